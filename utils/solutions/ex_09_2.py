"""Exercise 09.2: lesson 09's attention reader without positions, on lesson 03's recall task at T = 20."""
import keras
import numpy as np

from utils import by_mode
from utils.memory_task import build, recall_outcomes, train_at
from utils.transformer import TransformerBlock

LAG, SEED = 20, 0
STEPS = by_mode(full=1200, fast=50)  # the lesson's budget


def reader_without_positions(units):
    return keras.Sequential([keras.layers.Dense(units),  # no AddPositions: the tokens' order is invisible
                             TransformerBlock(heads=2, ff_units=2 * units, dropout=0.0),
                             keras.layers.Lambda(lambda states: states[:, -1])])


model = build(reader_without_positions, SEED)
steps = train_at(model, LAG, STEPS, SEED)
predicted, true = recall_outcomes(model, LAG, 2_000 + SEED)  # the lesson's test set for seed 0
accuracy = float(np.mean(predicted == true))
print(f"{steps} steps, test accuracy {accuracy:.2f} (chance 1/8 = 0.125)")

answer = {"accuracy": accuracy,
          "reason": "without a position embedding self-attention sees the tokens as a set, so it cannot tell "
                    "which one came first (the order is lost)"}
