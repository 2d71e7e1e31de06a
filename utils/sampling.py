"""Choosing the next token from a model's logits: temperature, top-k and nucleus (top-p) sampling.

    rng = np.random.default_rng(0)
    next_id(logits, rng, temperature=0.8)            # sharpen or flatten the whole distribution
    next_id(logits, rng, top_k=5)                    # only the 5 likeliest tokens may be drawn
    next_id(logits, rng, top_p=0.9)                  # only the likeliest tokens that make up 90% of the mass

Temperature divides the logits before the softmax: below 1 the likely tokens get likelier, above 1 the
distribution flattens. Top-k and top-p instead cut off the unlikely *tail*, where a character model's
misspellings come from, and leave the likely tokens' relative odds alone. The three combine: temperature
first, then top-k, then top-p on what top-k kept (as in common text-generation libraries).
"""

import numpy as np

from utils.checks import ArgumentTypeError, describe, is_int, is_real, numeric_array, scalar


def next_probabilities(logits, *, temperature=1.0, top_k=None, top_p=None) -> np.ndarray:
    """The distribution :func:`next_id` draws from: a float64 array like ``logits``, summing to 1.

    ``softmax(logits / temperature)``; with ``top_k``, every token but the ``top_k`` likeliest gets 0 (ties
    go to the lower id); with ``top_p``, every token outside the smallest set of likeliest tokens whose
    probability reaches ``top_p`` gets 0. What is left is renormalised.
    """
    logits = _logits(logits)
    temperature = _temperature(temperature)
    z = logits / temperature
    p = np.exp(z - z.max())
    p /= p.sum()
    order = np.argsort(-p, kind="stable")  # likeliest first, ties by id
    keep = len(p)
    if top_k is not None:
        keep = min(keep, _top_k(top_k))
    if top_p is not None:
        top_p = _top_p(top_p)
        mass = np.cumsum(p[order[:keep]]) / p[order[:keep]].sum()
        keep = min(keep, int(np.searchsorted(mass, top_p - 1e-12)) + 1)  # 1e-12: 0.5 + 0.3 reaches 0.8
    kept = np.zeros_like(p)
    kept[order[:keep]] = p[order[:keep]]
    return kept / kept.sum()


def next_id(logits, rng, *, temperature=1.0, top_k=None, top_p=None) -> int:
    """Draw the id of the next token from 1-D ``logits`` with the NumPy ``Generator`` ``rng``.

    ``temperature`` > 0; ``top_k`` an integer >= 1 (``top_k=1`` is greedy: always the likeliest token);
    ``top_p`` in (0, 1] (a tiny ``top_p`` is greedy too). See :func:`next_probabilities`.
    """
    if not isinstance(rng, np.random.Generator):
        raise ArgumentTypeError(f"rng must be a NumPy Generator, e.g. np.random.default_rng(0), got {describe(rng)}")
    p = next_probabilities(logits, temperature=temperature, top_k=top_k, top_p=top_p)
    candidates = np.flatnonzero(p)
    return int(rng.choice(candidates, p=p[candidates]))


def _logits(logits):
    array = numeric_array(logits, "logits")
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"logits must be a non-empty 1-D array (one score per token), got shape {array.shape}; "
                         "for a batch or a sequence, pass the last step of one row, e.g. logits[0, -1]")
    return array


def _temperature(temperature):
    temperature = scalar(temperature)
    if not is_real(temperature) or not 0 < temperature < np.inf:
        raise ValueError(f"temperature must be a positive, finite number (1 leaves the model's distribution "
                         f"as it is), got {describe(temperature)}")
    return float(temperature)


def _top_k(top_k):
    top_k = scalar(top_k)
    if not is_int(top_k) or top_k < 1:
        raise ValueError(f"top_k must be None or an integer >= 1 (how many of the likeliest tokens may be drawn), "
                         f"got {describe(top_k)}")
    return int(top_k)


def _top_p(top_p):
    top_p = scalar(top_p)
    if not is_real(top_p) or not 0 < top_p <= 1:
        raise ValueError(f"top_p must be None or a number in (0, 1] (the probability mass kept), "
                         f"got {describe(top_p)}")
    return float(top_p)
