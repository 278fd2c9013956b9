"""Times one choix ILSR fit and one unpenalised logistic-regression fit on an Arena battle file,
for the rank bench (input building included, as the peers need it). Usage: python rank_peers.py
BATTLES.jsonl. Prints JSON seconds."""
import json
import os
import sys
import time

import choix
import numpy as np
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "peers"))
from bt_inputs import choix_pairs, load, regression_rows  # noqa: E402

battles, models, idx = load(sys.argv[1])

start = time.perf_counter()
choix.ilsr_pairwise(len(models), choix_pairs(battles, idx), alpha=0, tol=1e-12)
choix_seconds = time.perf_counter() - start

start = time.perf_counter()
x, y, w = regression_rows(battles, idx)
LogisticRegression(C=np.inf, solver="newton-cg", tol=1e-12, fit_intercept=False, max_iter=1000).fit(x, y, sample_weight=w)
lr_seconds = time.perf_counter() - start
print(json.dumps({"choix_fit": choix_seconds, "logistic_regression_fit": lr_seconds}))
