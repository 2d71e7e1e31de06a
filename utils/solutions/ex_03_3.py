"""Exercise 03.3: the four-token curriculum with more steps at the first distance, for the LSTM and the GRU."""
import numpy as np

from utils import by_mode
from utils.cells import CELLS
from utils.memory_task import accuracy, build, train_at

SOLVED, N_TOKENS = 0.9, 4
LAGS = by_mode(full=[5, 20, 50, 100], fast=[5])
FIRST_STEPS = by_mode(full=5000, fast=50)  # the extra budget at the first distance
STEPS = by_mode(full=2000, fast=50)  # MULTI_STEPS, per later distance
SEEDS = by_mode(full=[0, 1, 2], fast=[0, 1])  # at least two: one seed says nothing about how often
GATED = ("lstm", "gru")

longest = {}
for key in GATED:
    longest[key] = []
    for seed in SEEDS:
        model, solved = build(CELLS[key], seed, n_tokens=N_TOKENS), 0  # the lesson's model, four tokens
        for i, lag in enumerate(LAGS):
            train_at(model, lag, FIRST_STEPS if i == 0 else STEPS, seed, n_tokens=N_TOKENS)
            if accuracy(model, lag, seed=2_000 + seed, n_tokens=N_TOKENS) < SOLVED:
                break
            solved = lag
        longest[key].append(solved)
    print(f"{key}: longest distance solved per seed {longest[key]}")

far = [key for key in GATED if np.median(longest[key]) >= 100]
answer = {**longest, "as_far_as_one": {0: "neither", 2: "both"}.get(len(far)) or f"{far[0]} only"}
