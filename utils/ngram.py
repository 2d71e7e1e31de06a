"""A character n-gram language model: the count-based baseline of lesson 06.

    tables = ngram_tables(train_text, max_order=5)
    nats = ngram_nats(test_text, tables, 5, unigram_p=unigram_p, discount=0.75)
    nats[n - 1]                     # mean loss of order n on test_text, in nats per character

The smoothing is **interpolated absolute discounting** that backs off, at the bottom, to an add-one
(Laplace) unigram model. For a context ``h`` of length ``k`` seen ``n(h)`` times, followed by
``t(h)`` different characters:

    p(c | h) = (max(n(h c) - D, 0) + D * t(h) * p(c | h shorter by its first character)) / n(h)

and a context never seen in training keeps the shorter context's probability. The unigram at the
bottom is ``p(c) = (count(c) + 1) / (number of characters + vocabulary size)``, so no character
ever gets probability 0.
"""

import collections
import math
from collections.abc import Mapping

import numpy as np

from utils.checks import describe, is_real, positive_int


def ngram_tables(text, max_order):
    """Counts of ``text`` for every context length ``k = 1 … max_order - 1``.

    Returns ``{k: (grams, totals, types)}``: ``grams`` counts each ``(k + 1)``-character string, ``totals``
    each ``k``-character context (how often it is followed by a character), ``types`` how many different
    characters follow that context. Order 1 (the unigram) needs no table.
    """
    text = _text(text, "text")
    max_order = positive_int(max_order, "max_order")
    tables = {}
    for k in range(1, max_order):
        grams = collections.Counter(text[i:i + k + 1] for i in range(len(text) - k))
        totals, types = collections.Counter(), collections.Counter()
        for gram, n in grams.items():
            totals[gram[:-1]] += n
            types[gram[:-1]] += 1
        tables[k] = (grams, totals, types)
    return tables


def ngram_nats(text, tables, max_order, *, unigram_p, discount):
    """Mean negative log-likelihood of ``text`` (nats per character) under every order ``1 … max_order``.

    ``tables`` comes from :func:`ngram_tables` (with at least ``max_order``); ``unigram_p`` maps each
    character of ``text`` to its add-one unigram probability, ``(count + 1) / (characters + vocabulary)``;
    ``discount`` is the absolute discount ``D`` in ``(0, 1]`` (see the module docstring). Returns a float
    array of shape ``[max_order]``: entry ``n - 1`` is order ``n`` (the character and the ``n - 1`` before
    it). One pass over ``text`` scores every order.
    """
    text = _text(text, "text")
    max_order = positive_int(max_order, "max_order")
    if not isinstance(tables, Mapping) or any(k not in tables for k in range(1, max_order)):
        raise ValueError(f"tables must be ngram_tables(train_text, max_order) with max_order >= {max_order} "
                         f"(context lengths 1 … {max_order - 1}), got {describe(tables)}")
    if not isinstance(unigram_p, Mapping):
        raise ValueError(f"unigram_p must be a dict {{character: probability}}, got {describe(unigram_p)}")
    missing = sorted(set(text) - set(unigram_p))
    if missing:
        raise ValueError(f"unigram_p has no probability for {len(missing)} character(s) of text, e.g. {missing[:5]}; "
                         "give every character of every scored text its add-one probability")
    bad = [ch for ch in set(text) if not (is_real(unigram_p[ch]) and 0 < unigram_p[ch] <= 1)]
    if bad:
        raise ValueError(f"unigram_p must give probabilities in (0, 1]; {bad[0]!r} has {describe(unigram_p[bad[0]])}")
    if not is_real(discount) or not 0 < discount <= 1:
        raise ValueError(f"discount must be a number in (0, 1] (0.75 is usual), got {describe(discount)}")
    nll = np.zeros(max_order)
    for i, ch in enumerate(text):
        p = unigram_p[ch]
        nll[0] -= math.log(p)
        for k in range(1, max_order):
            grams, totals, types = tables[k]
            n_h = totals.get(text[i - k:i]) if i >= k else None
            if n_h:  # a known context: discount its counts, interpolate with the shorter context
                h = text[i - k:i]
                p = (max(grams.get(h + ch, 0) - discount, 0) + discount * types[h] * p) / n_h
            nll[k] -= math.log(p)  # an unknown context keeps the shorter context's p
    return nll / len(text)


def _text(value, name):
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty string, got {describe(value)}")
    return value
