"""samples.parquet is readable by pyarrow, polars and Hugging Face `datasets`, and holds the same
rows as samples.jsonl. Usage: python parquet_readers.py DATASET_DIR [DATASET_DIR ...]
Prints one line per check and a closing 'N passed, N failed' line; exits 1 on any failure."""
import json
import os
import sys
import tempfile

os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import datasets
import polars
import pyarrow.parquet as pq

passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name} {detail}")


for folder in sys.argv[1:]:
    rows = [json.loads(line) for line in open(os.path.join(folder, "samples.jsonl"), encoding="utf-8")]
    path = os.path.join(folder, "samples.parquet")
    ids = [r["id"] for r in rows]

    table = pq.read_table(path)
    check(f"{folder}: pyarrow reads the ids", table.column("id").to_pylist() == ids)
    check(f"{folder}: pyarrow contexts equal", table.column("context").to_pylist() == [r.get("context") for r in rows])
    refs = [json.loads(x) for x in table.column("reference").to_pylist()]
    check(f"{folder}: reference JSON equal", refs == [r["reference"] for r in rows])
    metas = [json.loads(x) for x in table.column("meta").to_pylist()]
    check(f"{folder}: meta JSON equal", metas == [r["meta"] for r in rows])

    frame = polars.read_parquet(path)
    check(f"{folder}: polars reads the ids", frame["id"].to_list() == ids)

    with tempfile.TemporaryDirectory() as cache:
        ds = datasets.Dataset.from_parquet(path, cache_dir=cache)
        check(f"{folder}: datasets reads every row", ds.num_rows == len(rows) and ds["id"] == ids)
        check(f"{folder}: datasets prompts equal", ds["prompt"] == [r["prompt"] for r in rows])

print(f"parquet peers: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
