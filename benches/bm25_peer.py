"""The Python side of the bm25_1m bench: rank_bm25's BM25Okapi (0.2.2) over the same chunks.

Usage: python bm25_peer.py INPUT.json. INPUT holds {"chunks": [...], "queries": [...], "k": K}.
Times tokenising the chunks (re.findall(r"[^\\W_]+", text.lower()), the words longforge sees
on this prose), building BM25Okapi, and each query's scores plus its top k (a partial sort as
get_top_n does, taking every document tied at the k-th score, then document order). Prints JSON: the seconds, and each query's top
k as [id, score] pairs for the bench to compare.
"""
import json
import re
import sys
import time

import numpy as np
from rank_bm25 import BM25Okapi

with open(sys.argv[1], encoding="utf-8") as f:
    data = json.load(f)
k = data["k"]
pattern = re.compile(r"[^\W_]+")

start = time.perf_counter()
words = [pattern.findall(text.lower()) for text in data["chunks"]]
tokenise = time.perf_counter() - start

start = time.perf_counter()
bm25 = BM25Okapi(words, k1=1.5, b=0.75, epsilon=0.25)
build = time.perf_counter() - start

start = time.perf_counter()
top = []
for query in data["queries"]:
    scores = bm25.get_scores(pattern.findall(query.lower()))
    # Every document at or above the k-th best score, then ties in document order.
    kth = np.partition(scores, -k)[-k]
    best = np.flatnonzero(scores >= kth)
    best = sorted(best.tolist(), key=lambda d: (-scores[d], d))[:k]
    top.append([[d, float(scores[d])] for d in best])
queries = time.perf_counter() - start
print(json.dumps({"tokenise": tokenise, "build": build, "queries": queries, "top": top}))
