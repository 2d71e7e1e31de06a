"""Character n-gram language models: the count-based baselines of lesson 06.

Two smoothings live here. The first is the lesson's **interpolated absolute discounting**:

    tables = ngram_tables(train_text, max_order=5)
    nats = ngram_nats(test_text, tables, 5, unigram_p=unigram_p, discount=0.75)
    nats[n - 1]                     # mean loss of order n on test_text, in nats per character

For a context ``h`` of length ``k`` seen ``n(h)`` times, followed by ``t(h)`` different characters:

    p(c | h) = (max(n(h c) - D, 0) + D * t(h) * p(c | h shorter by its first character)) / n(h)

and a context never seen in training keeps the shorter context's probability. The unigram at the
bottom is ``p(c) = (count(c) + 1) / (number of characters + vocabulary size)``, so no character
ever gets probability 0.

The second is **interpolated Kneser–Ney**, a stronger standard smoothing (Chen & Goodman, 1998):

    tables = kneser_ney_tables(train_text, max_order=10)
    tuned = tune_kneser_ney(tables, validation_text, range(1, 11), vocabulary=vocabulary)
    kneser_ney_nats(test_text, tables, tuned["order"], discounts=tuned["discounts"], vocabulary=vocabulary)

It changes two things. Each level ``m`` (a context of ``m - 1`` characters) has its own discount
``D_m``, chosen on validation text. And only the highest order uses raw counts: every lower level
counts, instead of how often ``h c`` occurred, how many *different characters came before it*
(its continuation count). A lower level is only consulted when the longer context has little
evidence, so it should predict characters that appear after many different contexts, not
characters that are merely frequent inside one long word or name. At the bottom, the level-1
distribution is interpolated with the uniform distribution over ``vocabulary``, so every character,
even one never seen in training, keeps a probability above 0.
"""

import collections
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from utils.checks import ArgumentTypeError, describe, flag, is_real, positive_int


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
    if not isinstance(tables, Mapping) or any(k not in tables or not (isinstance(tables[k], tuple)
                                                                      and len(tables[k]) == 3)
                                              for k in range(1, max_order)):
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


# ---------------------------------------------------------------- interpolated Kneser–Ney
# Every n-gram seen in training gets an integer id per length m: ids follow the sorted order of the
# codes ``id of its first m - 1 characters * V + id of its last character`` (V = training characters),
# so a scored text finds its n-grams with one binary search per length.

@dataclass(frozen=True, eq=False, repr=False)
class KneserNeyTables:
    """The counts of a training text that :func:`kneser_ney_nats` needs, for n-grams of length 1 … ``max_order``.

    ``characters`` are the training characters, sorted (a character's id is its index). For every length
    ``m``, ``codes[m]`` lists the distinct m-grams seen (as sorted integer codes, an m-gram's id is its index),
    ``counts[m]`` how often each occurred and, for ``m < max_order``, ``continuation[m]`` how many different
    characters came just before it. For every context length ``k`` (``0 … max_order - 1``, indexed by the
    k-gram's id; the empty context has one entry), ``context_totals[k]`` / ``context_types[k]`` sum / count the
    raw counts of the ``(k + 1)``-grams that extend it, and ``continuation_totals[k]`` /
    ``continuation_types[k]`` do the same with continuation counts (``k < max_order - 1``).
    """

    characters: str
    max_order: int
    length: int
    codes: dict
    counts: dict
    continuation: dict
    context_totals: dict
    context_types: dict
    continuation_totals: dict
    continuation_types: dict

    def __repr__(self):
        sizes = ", ".join(f"{m}: {len(self.codes[m]):,}" for m in sorted(self.codes))
        return (f"KneserNeyTables({self.length:,} characters, {len(self.characters)} distinct, "
                f"max_order={self.max_order}; distinct n-grams by length {{{sizes}}})")


def kneser_ney_tables(text, max_order):
    """Count ``text`` (the training text) for Kneser–Ney models of every order ``1 … max_order``.

    Returns a :class:`KneserNeyTables`. Counting is done with NumPy sorts, one per n-gram length: a few
    million characters up to order 10 take seconds, not minutes.
    """
    text = _text(text, "text")
    max_order = positive_int(max_order, "max_order")
    if len(text) < max_order:
        raise ValueError(f"text has {len(text)} character(s); counting n-grams up to max_order={max_order} "
                         "needs at least that many")
    characters = "".join(sorted(set(text)))
    size = len(characters)
    codes, counts, continuation = {}, {}, {}
    context_totals, context_types = {0: np.array([len(text)], dtype="float64")}, {0: np.array([size], "float64")}
    ids = {1: _char_ids(text, characters)}
    for m in range(1, max_order + 1):
        key = ids[1] if m == 1 else ids[m - 1][:-1] * size + ids[1][m - 1:]
        codes[m], first, ids[m], counts[m] = np.unique(key, return_index=True, return_inverse=True,
                                                       return_counts=True)
        if m > 1:
            # continuation count of an (m-1)-gram: how many distinct m-grams end with it
            continuation[m - 1] = np.bincount(ids[m - 1][first + 1], minlength=len(codes[m - 1]))
            prefix = codes[m] // size  # id of the first m - 1 characters
            context_totals[m - 1] = np.bincount(prefix, weights=counts[m], minlength=len(codes[m - 1]))
            context_types[m - 1] = np.bincount(prefix, minlength=len(codes[m - 1])).astype("float64")
        if m > 2:  # keep ids[1] (the characters); the ids of shorter n-grams are no longer needed
            del ids[m - 1]
    continuation_totals, continuation_types = {}, {}
    for k in range(max_order - 1):
        seen = continuation[k + 1]
        prefix = codes[k + 1] // size if k else np.zeros(len(seen), dtype="int64")
        width = len(codes[k]) if k else 1
        continuation_totals[k] = np.bincount(prefix, weights=seen, minlength=width)
        continuation_types[k] = np.bincount(prefix, weights=seen > 0, minlength=width)
    return KneserNeyTables(characters, max_order, len(text), codes, counts, continuation,
                           context_totals, context_types, continuation_totals, continuation_types)


def kneser_ney_nats(text, tables, order, *, discounts, vocabulary, per_char=False):
    """Mean negative log-likelihood of ``text`` (nats per character) under the Kneser–Ney model of ``order``.

    Each character is predicted from the ``order - 1`` characters before it; the first characters of
    ``text`` use the shorter context they have (character ``i`` is predicted by the order ``i + 1`` model).

    ``tables`` comes from :func:`kneser_ney_tables` (with ``max_order >= order``). ``discounts`` gives the
    discount ``D_m`` in ``(0, 1]`` of every level ``m = 1 … order`` (level ``m`` looks at ``m - 1``
    characters of context): a dict ``{1: D_1, …, order: D_order}`` as :func:`tune_kneser_ney` returns, or one
    number for every level. ``vocabulary`` is the set of characters the model spreads its probability
    over: it must hold every training character and every character of ``text``; use the same vocabulary
    for every model you compare. With ``per_char=True`` the result is the array of each character's loss
    instead of their mean (to average over sequences of your own).
    """
    text = _text(text, "text")
    order = _order(order, tables)
    discounts = _discounts(discounts, order)
    vocabulary = _vocabulary(vocabulary, tables, text)
    per_char = flag(per_char, "per_char")
    ids = _gram_ids(tables, text, order)
    nats = np.empty(len(text))
    start = min(order - 1, len(text))
    for i in range(start):  # the first characters: the longest context they have
        nats[i] = -_log_probabilities(tables, ids, np.array([i]), i + 1, discounts, len(vocabulary))[0]
    positions = np.arange(start, len(text))
    nats[start:] = -_log_probabilities(tables, ids, positions, order, discounts, len(vocabulary))
    return nats if per_char else float(nats.mean())


def kneser_ney_distribution(context, tables, order, *, discounts, vocabulary):
    """The model's next-character distribution after ``context``: ``{character: probability}`` over ``vocabulary``.

    Uses the last ``order - 1`` characters of ``context`` (all of it if shorter; ``""`` gives the order-1
    distribution). The probabilities sum to 1. Arguments as in :func:`kneser_ney_nats`.
    """
    if not isinstance(context, str):
        raise ArgumentTypeError(f"context must be a string (possibly empty), got {describe(context)}")
    order = _order(order, tables)
    context = context[max(len(context) - (order - 1), 0):] if order > 1 else ""
    vocabulary = _vocabulary(vocabulary, tables, context)
    return {ch: math.exp(-kneser_ney_nats(context + ch, tables, order, discounts=discounts, vocabulary=vocabulary,
                                          per_char=True)[-1]) for ch in sorted(vocabulary)}


def tune_kneser_ney(tables, validation_text, orders, *, vocabulary, grid=None, sweeps=3):
    """Choose the order and the discounts of a Kneser–Ney model on ``validation_text``.

    For every order ``n`` in ``orders``, the discounts ``D_1 … D_n`` start at the closed-form estimate
    ``n1 / (n1 + 2 n2)`` (``n1``, ``n2``: how many n-grams of that level have count 1 and 2) and are then
    improved one level at a time (coordinate search) over ``grid`` (default 0.05, 0.10, … 1.00), for at most
    ``sweeps`` passes over the levels. The search scores the characters that have a full context (all but
    the first ``n - 1``); the reported validation loss is then :func:`kneser_ney_nats` on all of it.

    Returns ``{"order": best n, "discounts": {1: D_1, …}, "validation_nats_by_order": {n: nats},
    "discounts_by_order": {n: {1: D_1, …}}}``; the best order has the lowest validation loss.
    """
    validation_text = _text(validation_text, "validation_text")
    if isinstance(orders, int) or not hasattr(orders, "__iter__"):
        raise ArgumentTypeError(f"orders must be a list or range of orders such as range(1, 11), "
                                f"got {describe(orders)}")
    orders = sorted({_order(n, tables) for n in orders})
    if not orders:
        raise ValueError("orders must name at least one order")
    if len(validation_text) < orders[-1]:
        raise ValueError(f"validation_text has {len(validation_text)} character(s), fewer than the highest order "
                         f"tried ({orders[-1]}); give a longer validation text")
    grid = _grid(grid)
    sweeps = positive_int(sweeps, "sweeps")
    vocabulary = _vocabulary(vocabulary, tables, validation_text)
    ids = _gram_ids(tables, validation_text, orders[-1])
    by_order, nats_by_order = {}, {}
    for n in orders:
        positions = np.arange(min(n - 1, len(validation_text)), len(validation_text))
        levels = {m: _level(tables, ids, positions, m, raw=m == n) for m in range(1, n + 1)}
        start = {m: _closed_form_discount(tables, m, raw=m == n) for m in range(1, n + 1)}
        by_order[n] = _coordinate_search(levels, start, grid, sweeps, len(vocabulary))
        nats_by_order[n] = kneser_ney_nats(validation_text, tables, n, discounts=by_order[n], vocabulary=vocabulary)
    best = min(orders, key=lambda n: nats_by_order[n])
    return {"order": best, "discounts": by_order[best], "validation_nats_by_order": nats_by_order,
            "discounts_by_order": by_order}


def _char_ids(text, characters):
    """Each character's index in the sorted string ``characters``, or -1 for a character not in it."""
    points = np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype("int64")
    known = np.frombuffer(characters.encode("utf-32-le"), dtype="<u4").astype("int64")
    index = np.minimum(np.searchsorted(known, points), len(known) - 1)
    return np.where(known[index] == points, index, -1)


def _gram_ids(tables, text, order):
    """``{m: ids}``: the training id of the m-gram starting at each position of ``text`` (-1: never seen)."""
    size = len(tables.characters)
    ids = {1: _char_ids(text, tables.characters)}
    for m in range(2, order + 1):
        first, last = ids[m - 1][:-1], ids[1][m - 1:]
        known = (first >= 0) & (last >= 0)
        key = np.where(known, first * size + last, -1)
        codes = tables.codes[m]
        index = np.minimum(np.searchsorted(codes, key), len(codes) - 1)
        ids[m] = np.where(known & (codes[index] == key), index, -1)
    return ids


def _level(tables, ids, positions, m, raw):
    """For predicting ``text[positions]`` at level ``m``: ``(count of h c, total of h, types after h)``.

    ``raw`` picks raw counts (the highest order) or continuation counts (the levels below it).
    """
    k = m - 1
    gram = ids[m][positions - k]
    context = ids[k][positions - k] if k else np.zeros(len(positions), dtype="int64")
    counts = tables.counts[m] if raw else tables.continuation[m]
    totals = tables.context_totals[k] if raw else tables.continuation_totals[k]
    types = tables.context_types[k] if raw else tables.continuation_types[k]
    count = np.where(gram >= 0, counts[np.maximum(gram, 0)], 0).astype("float64")
    total = np.where(context >= 0, totals[np.maximum(context, 0)], 0.0)
    kinds = np.where(context >= 0, types[np.maximum(context, 0)], 0.0)
    return count, total, kinds


def _coefficients(level, discount):
    """``(a, b)`` with ``p_m = a + b * p_{m-1}``; an unseen context (total 0) passes ``p_{m-1}`` on."""
    count, total, kinds = level
    seen = total > 0
    inverse = np.where(seen, 1.0 / np.where(seen, total, 1.0), 0.0)
    return np.maximum(count - discount, 0.0) * inverse, np.where(seen, discount * kinds * inverse, 1.0)


def _log_probabilities(tables, ids, positions, order, discounts, vocabulary_size):
    p = np.full(len(positions), 1.0 / vocabulary_size)  # level 0: uniform over the vocabulary
    for m in range(1, order + 1):
        a, b = _coefficients(_level(tables, ids, positions, m, raw=m == order), discounts[m])
        p = a + b * p
    return np.log(p)


def _closed_form_discount(tables, m, raw):
    """``n1 / (n1 + 2 n2)`` for the counts of level ``m``, kept inside ``[0.05, 1]``."""
    counts = tables.counts[m] if raw else tables.continuation[m]
    n1, n2 = np.count_nonzero(counts == 1), np.count_nonzero(counts == 2)
    return float(np.clip(n1 / (n1 + 2 * n2), 0.05, 1.0)) if n1 + n2 else 0.75


def _coordinate_search(levels, discounts, grid, sweeps, vocabulary_size):
    """Lower the mean loss one level's discount at a time, the others held fixed.

    The top probability is linear in any one level's probability, ``p_top = A + B * p_m``, so trying a
    discount at level ``m`` costs a few array operations, whatever the order.
    """
    discounts, order = dict(discounts), max(levels)
    for _ in range(sweeps):
        above, shift, scale = {}, 0.0, 1.0
        for m in range(order, 0, -1):  # A, B of every level under the current discounts
            above[m] = (shift, scale)
            a, b = _coefficients(levels[m], discounts[m])
            shift, scale = shift + scale * a, scale * b
        p, changed = np.full(len(levels[1][0]), 1.0 / vocabulary_size), False
        for m in range(1, order + 1):
            shift, scale = above[m]

            def loss(d, m=m, p=p, shift=shift, scale=scale):
                a, b = _coefficients(levels[m], d)
                return -np.log(shift + scale * (a + b * p)).mean()

            best = min([discounts[m], *grid], key=loss)
            changed |= best != discounts[m]
            discounts[m] = best
            a, b = _coefficients(levels[m], best)
            p = a + b * p
        if not changed:
            break
    return {m: float(d) for m, d in sorted(discounts.items())}


def _order(order, tables):
    if not isinstance(tables, KneserNeyTables):
        raise ArgumentTypeError(f"tables must come from kneser_ney_tables(train_text, max_order), "
                                f"got {describe(tables)}")
    order = positive_int(order, "order")
    if order > tables.max_order:
        raise ValueError(f"order {order} needs tables counted with max_order >= {order}; these have "
                         f"max_order={tables.max_order}")
    return order


def _discounts(discounts, order):
    if is_real(discounts):
        discounts = dict.fromkeys(range(1, order + 1), discounts)
    if not isinstance(discounts, Mapping):
        raise ArgumentTypeError(f"discounts must be a number or a dict {{level: discount}} for levels 1 … {order}, "
                                f"got {describe(discounts)}")
    if set(discounts) != set(range(1, order + 1)):
        raise ValueError(f"discounts must give levels 1 … {order} exactly (one per level of the order-{order} model), "
                         f"got levels {sorted(discounts, key=str)}; tune_kneser_ney returns them per order")
    for m, d in discounts.items():
        if not is_real(d) or not 0 < d <= 1:
            raise ValueError(f"discounts[{m}] must be a number in (0, 1], got {describe(d)}")
    return {m: float(d) for m, d in discounts.items()}


def _vocabulary(vocabulary, tables, text):
    if isinstance(vocabulary, str):
        vocabulary = list(vocabulary)
    try:
        vocabulary = set(vocabulary)
    except TypeError:
        raise ArgumentTypeError(f"vocabulary must be a collection of characters, got {describe(vocabulary)}") from None
    odd = [v for v in vocabulary if not (isinstance(v, str) and len(v) == 1)]
    if odd:
        raise ValueError(f"vocabulary must hold single characters, got {describe(odd[0])}")
    missing = sorted(set(tables.characters) - vocabulary)
    if missing:
        raise ValueError(f"vocabulary lacks {len(missing)} training character(s), e.g. {missing[:5]}: it must hold "
                         "every character of the training text so that the probabilities sum to 1")
    missing = sorted(set(text) - vocabulary)
    if missing:
        raise ValueError(f"the scored text has {len(missing)} character(s) outside the vocabulary, e.g. {missing[:5]}; "
                         "add them to the vocabulary (use the same vocabulary for every model compared)")
    return vocabulary


def _grid(grid):
    if grid is None:
        return [round(0.05 * i, 2) for i in range(1, 21)]
    if isinstance(grid, str) or not hasattr(grid, "__iter__"):
        raise ArgumentTypeError(f"grid must be a list of discounts in (0, 1], got {describe(grid)}")
    grid = list(grid)
    if not grid or not all(is_real(d) and 0 < d <= 1 for d in grid):
        raise ValueError(f"grid must be a non-empty list of discounts in (0, 1], got {describe(grid)}")
    return [float(d) for d in grid]
