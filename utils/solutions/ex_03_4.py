"""Exercise 03.4: how long a chrono-initialised LSTM sits at chance at T = 200 before it takes off."""
import keras

from utils import by_mode
from utils.memory_task import VOCAB, accuracy, build, chrono, train_at

LAG = by_mode(full=200, fast=5)
TOTAL_STEPS = by_mode(full=3000, fast=100)
SEEDS = by_mode(full=[0, 1], fast=[0])

curves, takeoff = [], []
for seed in SEEDS:
    model, curve = build(chrono(keras.layers.LSTM, LAG), seed), []  # the lesson's model with a chrono LSTM
    for block in range(TOTAL_STEPS // 100):
        # 100 fresh batches, the ones a single run of TOTAL_STEPS steps would draw, then the stopping set
        train_at(model, LAG, 100, seed, stop_early=False, check_every=100, first_step=100 * block)
        curve.append(accuracy(model, LAG, seed=1_000 + seed, n=256))
    first = next((k for k, a in enumerate(curve) if a >= 2 / VOCAB), None)
    curves.append(curve)
    takeoff.append(None if first is None else 100 * (first + 1))
    print(f"seed {seed}: accuracy every 100 steps {[round(a, 2) for a in curve]}, take-off {takeoff[-1]}")

answer = {"curves": curves, "takeoff_steps": takeoff,
          "why": "a"}  # until the gates keep the first token, almost no gradient reaches it
