"""Times one choix ILSR fit and one unpenalised logistic-regression fit on an Arena battle file,
for the rank bench. Usage: python rank_peers.py BATTLES.jsonl. Prints JSON seconds."""
import json
import sys
import time

import choix
import numpy as np
from sklearn.linear_model import LogisticRegression

battles = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
models = sorted({b["model_a"] for b in battles} | {b["model_b"] for b in battles})
idx = {m: i for i, m in enumerate(models)}
n = len(models)

start = time.perf_counter()
pairs = []
for b in battles:
    a, c = idx[b["model_a"]], idx[b["model_b"]]
    if b["winner"] == "model_a":
        pairs += [(a, c), (a, c)]
    elif b["winner"] == "model_b":
        pairs += [(c, a), (c, a)]
    else:
        pairs += [(a, c), (c, a)]
choix.ilsr_pairwise(n, pairs, alpha=0, tol=1e-12)
choix_seconds = time.perf_counter() - start

start = time.perf_counter()
rows, ys, ws = [], [], []
for b in battles:
    x = np.zeros(n)
    x[idx[b["model_a"]]], x[idx[b["model_b"]]] = 1.0, -1.0
    if b["winner"] == "tie":
        rows += [x, x]; ys += [1, 0]; ws += [0.5, 0.5]
    else:
        rows.append(x); ys.append(1 if b["winner"] == "model_a" else 0); ws.append(1.0)
LogisticRegression(C=np.inf, solver="newton-cg", tol=1e-12, fit_intercept=False, max_iter=1000).fit(
    np.array(rows), np.array(ys), sample_weight=np.array(ws))
lr_seconds = time.perf_counter() - start
print(json.dumps({"choix_fit": choix_seconds, "logistic_regression_fit": lr_seconds}))
