"""Exercise 09.1: the weights of section 1's Transformer block, and of its position embedding."""
import numpy as np

from utils.transformer import AddPositions, TransformerBlock

block = TransformerBlock(heads=2, ff_units=128)
block(np.zeros((1, 10, 64), "float32"))  # build it for width 64
for weight in block.weights:
    print(f"{weight.path:<50} {str(tuple(weight.shape)):<14} {int(np.prod(weight.shape)):>7,}")
count = {"attention": 0, "feed_forward": 0}
for weight in block.weights:
    part = "attention" if "/attention/" in weight.path else "feed_forward" if "/ff" in weight.path else None
    if part:
        count[part] += int(np.prod(weight.shape))
positions = AddPositions(300)
positions(np.zeros((1, 10, 64), "float32"))

answer = {**count, "positions": positions.count_params()}
