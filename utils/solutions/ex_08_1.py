"""Exercise 08.1: which cell gains most from batches of 256 instead of 64, by the noise rule."""
import numpy as np

from utils import by_mode
from utils.benchmark import benchmark_cell, benchmark_in_subprocess
from utils.verdicts import compare, correct

SEQ_LEN, UNITS = by_mode(full=(100, 128), fast=(10, 32))
BATCHES, REPEATS = by_mode(full=12, fast=2), by_mode(full=3, fast=2)
CELLS = by_mode(full=["simple_rnn", "lstm", "gru"], fast=["simple_rnn", "lstm"])
# A fresh process per measurement, as in the lesson; fast mode measures in this process to skip the start-ups.
benchmark = by_mode(full=benchmark_in_subprocess, fast=benchmark_cell)

speedups = {}
for cell in CELLS:
    speed = {batch_size: benchmark(cell, SEQ_LEN, UNITS, batch_size=batch_size, batches=BATCHES,
                                   repeats=REPEATS)["train_samples_per_second_repeats"]
             for batch_size in (64, 256)}
    speedups[cell] = [big / small for big, small in zip(speed[256], speed[64])]  # repeat i against repeat i
    print(f"{cell:<10} speed-up per repeat: {[round(s, 2) for s in speedups[cell]]}")

best = max(speedups, key=lambda cell: np.mean(speedups[cell]))
comparisons = correct([compare(speedups[best], speedups[other], names=(best, other), runs="repeats")
                       for other in speedups if other != best])  # Holm over the comparisons
for c in comparisons:
    print(c.describe(2))

answer = {"speedups": speedups, "gains_most": best if all(c.better == best for c in comparisons) else "none"}
