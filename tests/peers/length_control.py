"""`rank --control length` agrees with an unpenalised logistic regression on the same rows, as
the style-controlled arena fits it: features +1 for model_a, -1 for model_b, and the standardised
(len_a - len_b) / (len_a + len_b); ties as two half-weight rows.

Usage: python length_control.py make JUDGMENTS.jsonl
       python length_control.py check JUDGMENTS.jsonl RANK.json
The judgments are drawn from known strengths and a judge that favours longer answers."""
import json
import random
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression


def make(path, battles=6000, models=6, seed=5):
    rng = random.Random(seed)
    strength = [0.4 * i for i in range(models)]
    taste = 0.8  # logits per unit of the raw length difference
    with open(path, "w") as f:
        for k in range(battles):
            a, b = rng.sample(range(models), 2)
            la, lb = rng.randint(20, 400), rng.randint(20, 400)
            x = (la - lb) / (la + lb)
            p = 1 / (1 + np.exp(-(strength[a] - strength[b] + taste * x)))
            u = rng.random()
            verdict = "A=B" if u < 0.1 else ("A>B" if u < 0.1 + 0.9 * p else "B>A")
            f.write(json.dumps({
                "question_id": f"q{k}", "model_a": f"m{a}", "model_b": f"m{b}", "judge": "synthetic",
                "order": "ab", "verdict": verdict, "raw_verdict": verdict, "raw": None,
                "length_a": la, "length_b": lb,
            }) + "\n")


def check(path, rank_path):
    judgments = [json.loads(l) for l in open(path) if l.strip()]
    models = sorted({j["model_a"] for j in judgments} | {j["model_b"] for j in judgments})
    idx = {m: i for i, m in enumerate(models)}
    raw = np.array([(j["length_a"] - j["length_b"]) / (j["length_a"] + j["length_b"]) for j in judgments])
    z = (raw - raw.mean()) / raw.std()
    rows, ys, ws = [], [], []
    for j, zj in zip(judgments, z):
        x = np.zeros(len(models) + 1)
        x[idx[j["model_a"]]], x[idx[j["model_b"]]], x[-1] = 1.0, -1.0, zj
        if j["verdict"] == "A=B":
            rows += [x, x]; ys += [1, 0]; ws += [0.5, 0.5]
        else:
            rows.append(x); ys.append(1 if j["verdict"] == "A>B" else 0); ws.append(1.0)
    lr = LogisticRegression(C=np.inf, solver="newton-cg", tol=1e-12, fit_intercept=False, max_iter=1000)
    lr.fit(np.array(rows), np.array(ys), sample_weight=np.array(ws))
    peer = lr.coef_[0][:-1] - lr.coef_[0][:-1].mean()
    peer_beta = lr.coef_[0][-1]

    ranking = json.load(open(rank_path))
    ours = {r["model"]: r["rating"] for r in ranking["ratings"]}
    ours_s = np.array([ours[m] for m in models])
    ours_s -= ours_s.mean()
    gaps = [("strengths", float(np.max(np.abs(ours_s - peer)))),
            ("length coefficient", abs(ranking["length_coefficient"] - peer_beta))]
    failed = 0
    for name, gap in gaps:
        ok = gap < 1e-6
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} length control, {name}: largest difference {gap:.2e}")
    print(f"length-control peers: {len(gaps) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    else:
        check(sys.argv[2], sys.argv[3])
