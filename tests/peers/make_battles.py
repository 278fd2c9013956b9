"""Writes N Arena-format battles among M models of known strengths, with ties, from a seed.
Usage: python make_battles.py OUT N M SEED"""
import json
import math
import random
import sys

out, n, m, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(seed)
models = [f"model-{i:02d}" for i in range(m)]
strength = {x: 2.0 * i / max(m - 1, 1) for i, x in enumerate(models)}
with open(out, "w") as f:
    for k in range(n):
        a, b = rng.sample(models, 2)
        p = 1 / (1 + math.exp(strength[b] - strength[a]))
        winner = "tie" if rng.random() < 0.15 else ("model_a" if rng.random() < p else "model_b")
        f.write(json.dumps({"question_id": k // 2, "model_a": a, "model_b": b, "winner": winner}) + "\n")
