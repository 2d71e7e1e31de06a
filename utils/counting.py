"""The counting task aⁿbⁿ (Weiss, Goldberg & Yahav, ACL 2018): can a recurrent cell count?

    from utils.counting import anbn_batch, correct_by_n, largest_n_solved

    batch = anbn_batch([1, 2, 3, 50])                     # inputs, targets, mask: [4, 100] each
    predicted = model.predict(batch.inputs).argmax(-1)     # next-token ids, [4, 100]
    print(largest_n_solved(correct_by_n(predicted, batch)))

A sequence is ``n`` a's, ``n`` b's and an end marker: ``a a a b b b $`` for ``n = 3``. A model reads it one token
at a time and predicts the next one. While it reads a's, the next token may be another a or the first b, so
nothing is scored there. Once it has read the first b, the rest is determined: exactly ``n - 1`` more b's, then
the end marker. Getting them right needs the count of a's, so the task asks whether the model keeps a counter
in its state. Weiss et al. report that LSTMs learn such a counter and that GRUs and plain RNNs do not generalise
it far beyond the lengths they trained on; trained on small ``n`` and tested far beyond, this module measures it.

Vocabulary (``VOCAB`` ids):

- ``0`` = padding (``PAD``), after the end of a shorter sequence;
- ``1`` = ``a`` (``A``);
- ``2`` = ``b`` (``B``);
- ``3`` = end marker (``END``).

Layout, for a sequence ``s = a…a b…b $`` of ``2n + 1`` tokens: ``inputs[t] = s[t]`` and ``targets[t] = s[t + 1]``
for ``t < 2n``; the end marker is a target, never an input. Rows are post-padded with ``PAD`` to the longest
``2n`` in the batch. ``mask[t]`` is True on the ``n`` scored positions ``t = n … 2n - 1`` (input a b, target the
next b or the end marker) and False elsewhere, padding included. For ``n = 2`` (padded to 6 by an ``n = 3`` row)::

    inputs   a  a  b  b  .  .
    targets  a  b  b  $  .  .
    mask     -  -  x  x  -  -

Targets outside the mask hold the true next token (a or b) or ``PAD``, so that every target is a valid id; train
with the mask as ``sample_weight`` so that they carry no weight.
"""

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from utils.checks import ArgumentTypeError, describe, is_int, positive_int, seed_value

PAD, A, B, END = 0, 1, 2, 3
VOCAB = 4  # ids 0 … 3, see the module's docstring
TOKENS = {PAD: ".", A: "a", B: "b", END: "$"}


@dataclass(frozen=True)
class CountingBatch:
    """One batch of aⁿbⁿ sequences, row ``i`` for ``ns[i]``.

    ``inputs`` and ``targets``: int32 ``[batch, time]``, ``time = 2 * max(ns)``; ``mask``: bool ``[batch, time]``,
    True where the next token is determined and scored; ``ns``: int64 ``[batch]``.
    """

    inputs: np.ndarray
    targets: np.ndarray
    mask: np.ndarray
    ns: np.ndarray

    def __len__(self):
        return len(self.ns)

    def show(self, row=0) -> str:
        """Row ``row`` as three lines of text (inputs, targets, mask), as in the module's docstring."""
        if not is_int(row) or not -len(self) <= row < len(self):
            raise ValueError(f"row must be an integer index into the batch of {len(self)}, got {describe(row)}")
        lines = []
        for label, ids in (("inputs", self.inputs[row]), ("targets", self.targets[row])):
            lines.append(f"{label:8} " + " ".join(TOKENS[int(i)] for i in ids))
        lines.append(f"{'mask':8} " + " ".join("x" if m else "-" for m in self.mask[row]))
        return "\n".join(lines)


def anbn_batch(ns) -> CountingBatch:
    """The batch of sequences ``a``×n ``b``×n ``$`` for each ``n`` in ``ns`` (a list of positive integers, in any
    order, repeats allowed), encoded and masked as described in the module's docstring."""
    ns = _ns(ns)
    time = 2 * int(ns.max())
    inputs = np.full((len(ns), time), PAD, dtype="int32")
    targets = np.full((len(ns), time), PAD, dtype="int32")
    mask = np.zeros((len(ns), time), dtype=bool)
    for row, n in enumerate(ns):
        sequence = np.array([A] * n + [B] * n + [END], dtype="int32")
        inputs[row, :2 * n] = sequence[:-1]
        targets[row, :2 * n] = sequence[1:]
        mask[row, n:2 * n] = True
    return CountingBatch(inputs, targets, mask, ns)


def draw_ns(count, low, high, seed=None) -> np.ndarray:
    """``count`` lengths drawn uniformly from ``low`` to ``high`` (both included) with
    ``np.random.default_rng(seed)``: the ``ns`` of a training batch."""
    count = positive_int(count, "count")
    low = positive_int(low, "low")
    high = positive_int(high, "high")
    if high < low:
        raise ValueError(f"high must be at least low, got low={low} and high={high}")
    return np.random.default_rng(seed_value(seed)).integers(low, high + 1, size=count)


def sequence_correct(predicted_ids, batch) -> np.ndarray:
    """Per sequence of ``batch``, True if every scored position's predicted id equals its target (padding and the
    a-phase never count). ``predicted_ids``: integer ids ``[batch, time]``, the ``argmax(-1)`` of the model's
    probabilities. Returns bool ``[batch]``."""
    if not isinstance(batch, CountingBatch):
        raise ArgumentTypeError(f"batch must be a CountingBatch from anbn_batch, got {describe(batch)}")
    predicted = np.asarray(predicted_ids)
    if predicted.ndim == 3 and predicted.shape[:2] == batch.targets.shape:
        raise ValueError(f"predicted_ids has shape {predicted.shape}: these look like probabilities over the "
                         "vocabulary; pass their argmax(-1)")
    if predicted.shape != batch.targets.shape:
        raise ValueError(f"predicted_ids must have the batch's shape {batch.targets.shape}, got {predicted.shape}")
    if predicted.dtype.kind not in "iu":
        raise ArgumentTypeError(f"predicted_ids must hold integer token ids, got an array of dtype {predicted.dtype}")
    return np.all((predicted == batch.targets) | ~batch.mask, axis=1)


def correct_by_n(predicted_ids, batch) -> dict:
    """``{n: solved}`` for each distinct ``n`` of ``batch``, sorted by ``n``: ``solved`` is True when every
    sequence of that ``n`` is right (:func:`sequence_correct`). The input of :func:`largest_n_solved`."""
    correct = sequence_correct(predicted_ids, batch)
    return {int(n): bool(correct[batch.ns == n].all()) for n in np.unique(batch.ns)}


def largest_n_solved(correct_by_n) -> int:
    """The largest tested ``n`` such that every tested ``n' ≤ n`` is solved; 0 when the smallest one fails.

    ``correct_by_n`` maps each tested ``n`` (a positive integer) to True/False, or to several True/False (one per
    sequence; the ``n`` is solved when all are True). Convention: only tested ``n``'s count, and the first failure
    ends the run, so ``{1: True, 2: True, 3: False, 4: True}`` gives 2 (4 is solved by chance, not by counting).
    An ``n`` that was not tested is neither a success nor a failure: to claim "every n' ≤ n", test every ``n``
    from 1 up.
    """
    if not isinstance(correct_by_n, Mapping):
        raise ArgumentTypeError(f"correct_by_n must be a mapping {{n: solved}}, got {describe(correct_by_n)}")
    if not correct_by_n:
        raise ValueError("correct_by_n is empty: test at least one n")
    solved = {}
    for n, value in correct_by_n.items():
        if not is_int(n) or n <= 0:
            error = ValueError if is_int(n) else ArgumentTypeError
            raise error(f"the n's of correct_by_n must be positive integers, got {describe(n)}")
        outcomes = np.asarray(value)
        if outcomes.dtype != bool or outcomes.size == 0:
            raise ArgumentTypeError(f"correct_by_n[{n}] must be True/False or a non-empty list of them, "
                                    f"got {describe(value)}")
        solved[int(n)] = bool(outcomes.all())
    largest = 0
    for n in sorted(solved):
        if not solved[n]:
            break
        largest = n
    return largest


def _ns(ns) -> np.ndarray:
    if isinstance(ns, str | bytes | Mapping) or is_int(ns):
        hint = f"; wrap it in a list: [{ns}]" if is_int(ns) else ""
        raise ArgumentTypeError(f"ns must be a list of positive integers, got {describe(ns)}{hint}")
    if callable(getattr(ns, "numpy", None)):  # a TensorFlow tensor
        ns = np.asarray(ns)
    try:
        items = list(np.asarray(ns).ravel()) if isinstance(ns, np.ndarray) else list(ns)
    except TypeError:
        raise ArgumentTypeError(f"ns must be a list of positive integers, got {describe(ns)}") from None
    if not items:
        raise ValueError("ns is empty: give at least one n")
    for index, n in enumerate(items):
        positive_int(n, f"ns[{index}]", ValueError if is_int(n) else ArgumentTypeError)
    return np.array(items, dtype="int64")
