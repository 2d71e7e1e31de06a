"""Exercise 04.1: the share of training reviews cut at MAX_LEN = 100."""
import numpy as np

from utils.datasets import load_imdb

MAX_LEN = 100
train = load_imdb("train")  # all 19,921 training reviews, in any mode
share = float(np.mean([len(text.split()) > MAX_LEN for text in train["text"]]))
print(f"{share:.3f} of {len(train):,} training reviews are longer than {MAX_LEN} words")

answer = round(share, 3)
