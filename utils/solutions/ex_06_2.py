"""Exercise 06.2: the character n-gram model on its own training text and on unseen plays, for n = 2 and n = 5."""
import collections

from utils import by_mode
from utils.datasets import load_shakespeare
from utils.ngram import ngram_nats, ngram_tables

train_text = load_shakespeare("train", limit_chars=by_mode(full=None, fast=60_000))
test_text = load_shakespeare("test", limit_chars=by_mode(full=None, fast=20_000))
MAX_ORDER, DISCOUNT = 5, 0.75
VOCAB = len(set(load_shakespeare("train"))) + 1  # the lesson's vocabulary, with [UNK]

counts = collections.Counter(train_text)
total = sum(counts.values()) + VOCAB  # add-one smoothing for the unigram model at the bottom
unigram_p = {ch: (counts.get(ch, 0) + 1) / total for ch in set(train_text) | set(test_text)}

tables = ngram_tables(train_text, MAX_ORDER)
in_sample = ngram_nats(train_text[:100_000], tables, MAX_ORDER, unigram_p=unigram_p, discount=DISCOUNT)  # counted
held_out = ngram_nats(test_text, tables, MAX_ORDER, unigram_p=unigram_p, discount=DISCOUNT)  # plays never counted
answer = {}
for n in (2, 5):
    answer[str(n)] = {"train": float(in_sample[n - 1]), "test": float(held_out[n - 1])}
    print(f"n = {n}: training text {in_sample[n - 1]:.3f}, test plays {held_out[n - 1]:.3f} nats/char "
          f"(gap {held_out[n - 1] - in_sample[n - 1]:.3f})")
