"""The Python `openai` package's AsyncOpenAI doing N chat requests, 64 at a time, against the
bench's instant server. Usage: python client_overhead.py BASE_URL N CONCURRENCY. Prints JSON."""
import asyncio
import json
import sys
import time

from openai import AsyncOpenAI


async def main(base_url, n, concurrency):
    client = AsyncOpenAI(base_url=base_url, api_key="unused", max_retries=0)
    gate = asyncio.Semaphore(concurrency)

    async def one():
        async with gate:
            r = await client.chat.completions.create(
                model="instant",
                messages=[{"role": "user", "content": "hi"}],
                temperature=0.0, top_p=1.0, max_tokens=16, seed=0,
            )
            return r.choices[0].message.content

    await asyncio.gather(*[one() for _ in range(64)])  # warm the connection pool
    start = time.perf_counter()
    answers = await asyncio.gather(*[one() for _ in range(n)])
    seconds = time.perf_counter() - start
    assert all(a == "ok" for a in answers)
    await client.close()
    import openai
    print(json.dumps({"requests": n, "seconds": seconds, "per_second": n / seconds, "version": "openai " + openai.__version__}))


asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
