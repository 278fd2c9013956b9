"""Arena battles in the shapes the Bradley-Terry peers take, shared by the peer check
(tests/peers/bradley_terry.py) and the rank bench (benches/rank_peers.py)."""
import json

import numpy as np


def load(path):
    """Battles, sorted model names, and each model's index."""
    battles = [json.loads(l) for l in open(path) if l.strip()]
    models = sorted({b["model_a"] for b in battles} | {b["model_b"] for b in battles})
    return battles, models, {m: i for i, m in enumerate(models)}


def choix_pairs(battles, idx):
    """A decisive battle as two wins, a tie as one win each way: the half-win likelihood, doubled."""
    pairs = []
    for b in battles:
        a, c = idx[b["model_a"]], idx[b["model_b"]]
        if b["winner"] == "model_a":
            pairs += [(a, c), (a, c)]
        elif b["winner"] == "model_b":
            pairs += [(c, a), (c, a)]
        else:
            pairs += [(a, c), (c, a)]
    return pairs


def regression_rows(battles, idx):
    """One row per battle, +1 for model_a and -1 for model_b; a tie as two half-weight rows."""
    n = len(idx)
    rows, ys, ws = [], [], []
    for b in battles:
        x = np.zeros(n)
        x[idx[b["model_a"]]], x[idx[b["model_b"]]] = 1.0, -1.0
        if b["winner"] == "tie":
            rows += [x, x]; ys += [1, 0]; ws += [0.5, 0.5]
        else:
            rows.append(x); ys.append(1 if b["winner"] == "model_a" else 0); ws.append(1.0)
    return np.array(rows), np.array(ys), np.array(ws)
