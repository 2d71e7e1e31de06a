"""Exercise 06.2: the character n-gram model on its own training text and on unseen plays, for n = 2 and n = 5."""
import collections
import math

import numpy as np

from utils import by_mode
from utils.datasets import load_shakespeare

train_text = load_shakespeare("train", limit_chars=by_mode(full=None, fast=300_000))
test_text = load_shakespeare("test", limit_chars=by_mode(full=None, fast=60_000))
MAX_ORDER, DISCOUNT = 5, 0.75
VOCAB = len(set(load_shakespeare("train"))) + 1  # the lesson's vocabulary, with [UNK]

counts = collections.Counter(train_text)
total = sum(counts.values()) + VOCAB  # add-one smoothing for the unigram model at the bottom


def ngram_tables(text, max_order):
    """For each context length k >= 1: counts of (k + 1)-grams, and per context its total and its types."""
    tables = {}
    for k in range(1, max_order):
        grams = collections.Counter(text[i:i + k + 1] for i in range(len(text) - k))
        totals, types = collections.Counter(), collections.Counter()
        for gram, n in grams.items():
            totals[gram[:-1]] += n
            types[gram[:-1]] += 1
        tables[k] = (grams, totals, types)
    return tables


def ngram_nats(text, tables, max_order):
    """Mean negative log-likelihood (nats/char) of text under each order 1..max_order (interpolated discounting)."""
    nll = np.zeros(max_order)
    for i, ch in enumerate(text):
        p = (counts.get(ch, 0) + 1) / total
        nll[0] -= math.log(p)
        for k in range(1, max_order):
            grams, totals, types = tables[k]
            h = text[i - k:i] if i >= k else None
            n_h = totals.get(h) if h is not None else None
            if n_h:
                p = (max(grams.get(h + ch, 0) - DISCOUNT, 0) + DISCOUNT * types[h] * p) / n_h
            nll[k] -= math.log(p)
    return nll / len(text)


tables = ngram_tables(train_text, MAX_ORDER)
in_sample = ngram_nats(train_text[:100_000], tables, MAX_ORDER)  # text the counts came from
held_out = ngram_nats(test_text, tables, MAX_ORDER)  # plays never counted
answer = {}
for n in (2, 5):
    answer[str(n)] = {"train": float(in_sample[n - 1]), "test": float(held_out[n - 1])}
    print(f"n = {n}: training text {in_sample[n - 1]:.3f}, test plays {held_out[n - 1]:.3f} nats/char "
          f"(gap {held_out[n - 1] - in_sample[n - 1]:.3f})")
