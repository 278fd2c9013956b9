"""longforge's Bradley-Terry fit (ties as half wins, logit scale) agrees with choix's ILSR and an
unpenalised logistic regression to 1e-6 after centring.
Usage: python bradley_terry.py BATTLES.jsonl RANK.json. Prints 'N passed, N failed'."""
import json
import sys

import choix
import numpy as np
from sklearn.linear_model import LogisticRegression

battles = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
ours = {r["model"]: r["rating"] for r in json.load(open(sys.argv[2]))["ratings"]}
models = sorted({b["model_a"] for b in battles} | {b["model_b"] for b in battles})
idx = {m: i for i, m in enumerate(models)}
n = len(models)

# choix: a decisive battle as two wins, a tie as one win each way (the same likelihood, doubled).
pairs = []
for b in battles:
    a, c = idx[b["model_a"]], idx[b["model_b"]]
    if b["winner"] == "model_a":
        pairs += [(a, c), (a, c)]
    elif b["winner"] == "model_b":
        pairs += [(c, a), (c, a)]
    else:
        pairs += [(a, c), (c, a)]
choix_s = np.asarray(choix.ilsr_pairwise(n, pairs, alpha=0, tol=1e-12))
choix_s -= choix_s.mean()

# Logistic regression: one row per battle, +1 for model_a and -1 for model_b, no intercept;
# a tie is two rows of weight one half, one each way.
rows, ys, ws = [], [], []
for b in battles:
    x = np.zeros(n)
    x[idx[b["model_a"]]], x[idx[b["model_b"]]] = 1.0, -1.0
    if b["winner"] == "model_a":
        rows.append(x); ys.append(1); ws.append(1.0)
    elif b["winner"] == "model_b":
        rows.append(x); ys.append(0); ws.append(1.0)
    else:
        rows += [x, x]; ys += [1, 0]; ws += [0.5, 0.5]
lr = LogisticRegression(C=np.inf, solver="newton-cg", tol=1e-12, fit_intercept=False, max_iter=1000)
lr.fit(np.array(rows), np.array(ys), sample_weight=np.array(ws))
lr_s = lr.coef_[0] - lr.coef_[0].mean()

ours_s = np.array([ours[m] for m in models])
ours_s -= ours_s.mean()
passed = failed = 0
for name, peer in [("choix ilsr_pairwise", choix_s), ("logistic regression", lr_s)]:
    gap = float(np.max(np.abs(ours_s - peer)))
    ok = gap < 1e-6
    passed += ok
    failed += not ok
    print(f"{'ok  ' if ok else 'FAIL'} {name}: largest difference {gap:.2e}")
print(f"bradley-terry peers: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
