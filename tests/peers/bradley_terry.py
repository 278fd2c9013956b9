"""longforge's Bradley-Terry fit (ties as half wins, logit scale) agrees with choix's ILSR and an
unpenalised logistic regression to 1e-6 after centring.
Usage: python bradley_terry.py BATTLES.jsonl RANK.json. Prints 'N passed, N failed'."""
import json
import sys

import choix
import numpy as np
from sklearn.linear_model import LogisticRegression

from bt_inputs import choix_pairs, load, regression_rows

battles, models, idx = load(sys.argv[1])
ours = {r["model"]: r["rating"] for r in json.load(open(sys.argv[2]))["ratings"]}

choix_s = np.asarray(choix.ilsr_pairwise(len(models), choix_pairs(battles, idx), alpha=0, tol=1e-12))
choix_s -= choix_s.mean()

lr = LogisticRegression(C=np.inf, solver="newton-cg", tol=1e-12, fit_intercept=False, max_iter=1000)
x, y, w = regression_rows(battles, idx)
lr.fit(x, y, sample_weight=w)
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
