"""The original NeedleBench haystack path, written from its published algorithm, for timing.

Shuffle the filler lines with a seeded RNG, tokenize line by line with tiktoken until the token
budget is reached, truncate, insert each needle's tokens at floor(len * depth / 100), decode.
Usage: python original_needlebench.py FILLER NEEDLES_JSON LENGTH ROUNDS
NEEDLES_JSON is a list of [text, depth]. Prints JSON: per-round seconds and the final count.
"""
import json
import random
import sys
import time

import tiktoken


def build(enc, lines, needles, length, seed):
    rng = random.Random(seed)
    order = lines[:]
    rng.shuffle(order)
    needle_tokens = [enc.encode("\n" + text + "\n") for text, _ in needles]
    budget = length - sum(len(t) for t in needle_tokens)
    tokens = []
    for line in order:
        tokens.extend(enc.encode(line + "\n"))
        if len(tokens) >= budget:
            break
    tokens = tokens[:budget]
    # Deepest first, so earlier insertions do not move later positions.
    for (text, depth), needle in sorted(zip(needles, needle_tokens), key=lambda x: -x[0][1]):
        at = int(len(tokens) * depth / 100)
        tokens[at:at] = needle
    return enc.decode(tokens)


def main():
    filler, needles_json, length, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    enc = tiktoken.get_encoding("cl100k_base")
    lines = [l for l in open(filler, encoding="utf-8").read().split("\n") if l.strip()]
    needles = json.load(open(needles_json, encoding="utf-8"))
    seconds = []
    context = ""
    for r in range(rounds):
        start = time.perf_counter()
        context = build(enc, lines, needles, length, r)
        seconds.append(time.perf_counter() - start)
    print(json.dumps({"seconds": seconds, "tokens": len(enc.encode_ordinary(context)), "tiktoken": tiktoken.__version__}))


if __name__ == "__main__":
    main()
