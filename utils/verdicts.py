"""The course's one noise rule, and the claim verdicts built on it.

Every "A beats B" in the lessons and every claim verdict in the capstone is decided here:

    A difference between two measured means counts only when it is larger than the measured spread —
    the larger of the two sides' ranges (max − min) over seeds for accuracy and loss, over repeats for
    time and memory. Where a spread was measured elsewhere (e.g. the seed spread of the same model on the
    same data), it can be passed in; where no spread was measured at all, no difference counts.

The range is deliberately simple and conservative: with 3–5 seeds it is about two standard deviations, so
a gap that beats it is rarely luck, and a learner can check it by eye in the tables the lessons print.

>>> c = compare([0.875, 0.868, 0.879], [0.876, 0.872, 0.880], names=("lstm", "gru"))
>>> c.counts, c.better
(False, None)
"""

import math
from dataclasses import dataclass

from utils.checks import ArgumentTypeError, describe, is_real

VERDICTS = ("holds", "does not hold", "partly holds", "depends")

NOISE_RULE = (
    "a difference between two means counts only when it exceeds the measured spread: the larger of the two "
    "sides' ranges (max - min) over seeds for accuracy and loss, over repeats for time and memory; "
    "with no measured spread, no difference counts"
)


def _values(values, name):
    """A list of finite floats from one number or a sequence of numbers."""
    if is_real(values):
        values = [values]
    if values is None or isinstance(values, str | bytes | dict) or not hasattr(values, "__iter__"):
        raise ArgumentTypeError(f"{name} must be a number or a list of numbers, got {describe(values)}")
    values = list(values)
    wrong = [v for v in values if not is_real(v)]
    if wrong:
        raise ArgumentTypeError(f"{name} must hold numbers only, got {describe(wrong[0])} among them")
    out = [float(v) for v in values]
    if not out:
        raise ValueError(f"{name} is empty: pass at least one measured value")
    bad = [v for v in out if not math.isfinite(v)]
    if bad:
        raise ValueError(f"{name} holds non-finite values {bad}: measure again or leave that run out")
    return out


def spread(values) -> float:
    """Range (max − min) of the repeated measurements; 0.0 for a single value."""
    out = _values(values, "values")
    return max(out) - min(out)


def mean(values) -> float:
    out = _values(values, "values")
    return sum(out) / len(out)


@dataclass(frozen=True)
class Comparison:
    """The outcome of :func:`compare`: the two means, the noise the gap must beat, and who (if anyone) is better."""

    name_a: str
    name_b: str
    mean_a: float
    mean_b: float
    noise: float | None  # None: no spread measured, so no difference counts
    higher_is_better: bool
    noise_kind: str = "spread"

    @property
    def gap(self) -> float:
        return abs(self.mean_a - self.mean_b)

    @property
    def counts(self) -> bool:
        """True when the gap between the means exceeds the measured spread."""
        return self.noise is not None and self.gap > self.noise

    @property
    def better(self) -> str | None:
        """The better side's name when the difference counts, else None (a tie within the noise)."""
        if not self.counts:
            return None
        a_ahead = self.mean_a > self.mean_b if self.higher_is_better else self.mean_a < self.mean_b
        return self.name_a if a_ahead else self.name_b

    def describe(self, digits: int = 3) -> str:
        """One line for a lesson: the two means, the gap, the noise and what follows."""
        head = f"{self.name_a} {self.mean_a:.{digits}f} vs {self.name_b} {self.mean_b:.{digits}f}"
        if self.noise is None:
            return f"{head}: gap {self.gap:.{digits}f}, no spread measured -> not decided"
        if self.counts:
            noise = f"{self.noise_kind} {self.noise:.{digits}f}"
            return f"{head}: gap {self.gap:.{digits}f} > {noise} -> {self.better} better"
        return f"{head}: gap {self.gap:.{digits}f} <= {self.noise_kind} {self.noise:.{digits}f} -> no difference"

    def __str__(self) -> str:
        return self.describe()


def compare(a, b, *, names=("A", "B"), higher_is_better=True, noise=None, noise_kind=None) -> Comparison:
    """Apply the noise rule to two sides, each one value or a list of repeated values (seeds, repeats).

    ``noise``: a spread measured elsewhere, used when it is larger than the spread of ``a`` and ``b`` themselves
    (pass it when a side was measured once). ``noise_kind`` names it in :meth:`Comparison.describe`
    (default "seed spread" / "spread").
    """
    if not (isinstance(names, tuple | list) and len(names) == 2 and all(isinstance(n, str) for n in names)):
        raise TypeError(f"names must be two strings, got {names!r}")
    va, vb = _values(a, names[0]), _values(b, names[1])
    if not isinstance(higher_is_better, bool):
        raise TypeError(f"higher_is_better must be True or False, got {higher_is_better!r}")
    measured = [spread(v) for v in (va, vb) if len(v) > 1]
    if noise is not None:
        if not is_real(noise) or not math.isfinite(noise) or noise < 0:
            raise ValueError(f"noise must be a finite number >= 0 (a measured spread), got {describe(noise)}")
        measured.append(float(noise))
    return Comparison(names[0], names[1], mean(va), mean(vb), max(measured) if measured else None,
                      higher_is_better, noise_kind or "spread")


def ordering(values: dict, claimed: list, *, higher_is_better=True, noise=None) -> dict:
    """Check a claimed order ``[best, ..., worst]`` pair by pair with the noise rule.

    ``values`` maps each name to one value or a list of repeats. Returns ``{"verdict", "pairs"}``: the verdict
    is "holds" when every adjacent pair is in the claimed order by more than the noise, "does not hold" when no
    pair is and at least one is reversed, "partly holds" otherwise; ``pairs`` lists each pair's outcome
    (``"as claimed"``, ``"tie"`` or ``"reversed"``) with its :class:`Comparison`.
    """
    if not isinstance(values, dict):
        raise TypeError(f"values must be a dict of name -> measurement(s), got {type(values).__name__}")
    if not isinstance(claimed, list | tuple) or len(claimed) < 2:
        raise ValueError(f"claimed must list at least two names, best first, got {claimed!r}")
    missing = [name for name in claimed if name not in values]
    if missing:
        raise ValueError(f"claimed order names {missing}, which are not among the measured {sorted(values)}")
    pairs = []
    for first, second in zip(claimed, claimed[1:]):
        c = compare(values[first], values[second], names=(first, second), higher_is_better=higher_is_better,
                    noise=noise)
        outcome = "tie" if c.better is None else "as claimed" if c.better == first else "reversed"
        pairs.append({"pair": f"{first} vs {second}", "outcome": outcome, "comparison": c})
    outcomes = [p["outcome"] for p in pairs]
    if all(o == "as claimed" for o in outcomes):
        verdict = "holds"
    elif "as claimed" not in outcomes and "reversed" in outcomes:
        verdict = "does not hold"
    elif "as claimed" not in outcomes:
        verdict = "does not hold"  # all ties: the claimed differences are not there
    else:
        verdict = "partly holds"
    return {"verdict": verdict, "pairs": pairs}


def combine(verdicts) -> str:
    """One verdict from several parts: all the same -> that one; otherwise "partly holds" when any part holds,
    else "depends" (parts disagree without any holding)."""
    parts = list(verdicts)
    for v in parts:
        _check_verdict(v)
    if not parts:
        raise ValueError("combine needs at least one verdict")
    if len(set(parts)) == 1:
        return parts[0]
    if "holds" in parts or "partly holds" in parts:
        return "partly holds"
    return "depends"


def _check_verdict(verdict):
    if verdict not in VERDICTS:
        raise ValueError(f"verdict must be one of {VERDICTS}, got {verdict!r}")


def claim(claim_text: str, verdict: str, evidence: str, lesson: str) -> dict:
    """A claim record for ``results/choosing_a_cell.json``: what is often said, the verdict, the numbers, the lesson."""
    _check_verdict(verdict)
    for name, value in (("claim_text", claim_text), ("evidence", evidence), ("lesson", lesson)):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    return {"claim": claim_text, "verdict": verdict, "evidence": evidence, "lesson": lesson}
