"""The claims themselves and what every decider shares: ``CLAIMS``, the lesson lists, :class:`Evidence` (read
access to the stored results of one mode), :class:`MissingEvidence` and the helpers that build a claim's record."""

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from utils.checks import ArgumentTypeError, describe, is_int, scalar
from utils.verdicts import Comparison, combine


@dataclass(frozen=True)
class Claim:
    id: str
    text: str  # the claim as comparison articles often put it, paraphrased
    lessons: tuple  # the lesson numbers ("04", ...) that measure it


CLAIMS = {claim.id: claim for claim in (
    Claim("C1", "IMDB sentiment, reviews of ~250 words: SimpleRNN about 87% accuracy, 45 min of training, 2.1 GB; "
                "LSTM about 92%, 2.5 h, 8.7 GB", ("04", "08")),
    Claim("C2", "Character-level Shakespeare: perplexity SimpleRNN about 146 vs LSTM about 98", ("06",)),
    Claim("C3", "Five years of daily S&P 500 prices: RMSE SimpleRNN 12.4 vs LSTM 9.7 (no baseline given)", ("07",)),
    Claim("C4", "A SimpleRNN reliably remembers 5–10 steps and forgets beyond 50; an LSTM remembers 100+", ("03",)),
    Claim("C5", "Below 20 steps a SimpleRNN does as well as an LSTM; from 20 to 100 the LSTM starts to win; "
                "beyond 100 it is far ahead", ("03",)),
    Claim("C6", "Training speed: SimpleRNN fastest, GRU faster than LSTM, LSTM slowest", ("08",)),
    Claim("C7", "Parameters: SimpleRNN fewest, GRU fewer than LSTM, LSTM most", ("02", "08")),
    Claim("C8", "Memory: SimpleRNN lowest, GRU lower than LSTM", ("08",)),
    Claim("C9", "SimpleRNNs suffer vanishing gradients; the gates of LSTM and GRU keep gradients flowing over "
                "long spans", ("01", "03")),
    Claim("C10", "Exploding gradients are fixed by gradient clipping", ("01",)),
    Claim("C11", "GRUs often match LSTMs with less compute", ("04", "06", "08")),
    Claim("C12", "Gate saturation (gates stuck near 0 or 1) is a failure symptom to watch", ("02",)),
    Claim("C13", "Bidirectional layers and dropout between layers improve accuracy", ("05",)),
    Claim("C14", "With a small data set a SimpleRNN does as well or better and an LSTM overfits; LSTMs need more "
                 "data", ("04",)),
    Claim("C15", "Inference: SimpleRNNs are fast and suit mobile and edge devices; LSTMs are slower and better "
                 "server-side; GRUs are lighter and faster on edge devices", ("10",)),
    Claim("C16", "Transformers train faster (in parallel) and handle long sequences better; RNNs need far less data "
                 "and keep the advantage for streaming input", ("09", "10")),
    Claim("C17", "GRUs are slightly less expressive than LSTMs and can fall behind them on complex dependency "
                 "structures", ("10",)),
)}


NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"  # the repository's, from utils/claims/


def _known_lessons() -> list:
    """Lessons 00 up to the highest numbered notebook (or claim), then the appendices in notebooks/ (A1, …)."""
    prefixes = {path.name.split("_", 1)[0] for path in NOTEBOOKS.glob("*_*.ipynb")}
    numbered = {int(p) for p in prefixes if p.isdigit()} | {int(n) for c in CLAIMS.values() for n in c.lessons}
    return [f"{n:02d}" for n in range(max(numbered) + 1)] + sorted(p for p in prefixes if not p.isdigit())


def claims_of_lesson(lesson: str) -> list:
    """The ids of the claims lesson ``lesson`` ("04", or 4) measures, in order; [] for a lesson that measures none."""
    lesson = scalar(lesson)
    if not (is_int(lesson) or (isinstance(lesson, str) and lesson.strip())):
        raise ArgumentTypeError(f"lesson must be a lesson number such as '04' or 4, got {describe(lesson)}")
    number = f"{int(lesson):02d}" if is_int(lesson) or lesson.strip().isdigit() else lesson.strip().upper()
    known = _known_lessons()
    if number not in known:
        raise ValueError(f"there is no lesson {lesson!r}: the lessons are {', '.join(known)}")
    return [claim.id for claim in CLAIMS.values() if number in claim.lessons]


def claims_markdown() -> str:
    """The list of claims as a Markdown table: id, claim, the lessons that measure it."""
    rows = ["| # | the claim, as comparison articles often put it | measured in lesson |", "|---|---|---|"]
    rows += [f"| {c.id} | {c.text} | {', '.join(c.lessons)} |" for c in CLAIMS.values()]
    return "\n".join(rows)


# ---------------------------------------------------------------------------------------------------------------
# Deciding the claims from the stored results (results/<lesson>.json and results/predictions/<lesson>.npz).
# Each decider returns the claim's verdict with its parts; every word of the evidence is computed here.
# ---------------------------------------------------------------------------------------------------------------


CELL_KEYS = ("simple_rnn", "lstm", "gru")  # utils.cells.CELL_NAMES, without importing Keras here


CHANCE_RECALL = 1 / 8  # lesson 03's vocabulary of 8 tokens: a guess is right one time in eight


FRESH = "seeds (own fresh test sequences each)"  # lesson 03: a seed's variance holds the test-set luck too


class MissingEvidence(LookupError):
    """A stored file a claim needs is damaged: :func:`decide_all` leaves the claim not decided, with this reason."""


class Evidence:
    """Read access to the stored results and per-item outcomes of one mode.

    ``results`` (``{lesson: payload}``) and ``predictions`` (``{lesson: {model: outcomes}}``) replace the stored
    files when given. A results file that cannot be read, or a damaged predictions file, raises
    :class:`MissingEvidence` naming it when a decider asks for that lesson."""

    def __init__(self, mode="full", results=None, predictions=None):
        from utils.report import collect_results_and_damage

        if not isinstance(mode, str) or mode not in ("full", "fast"):
            raise ValueError(f"mode must be 'full' or 'fast', got {mode!r}")
        for name, value in (("results", results), ("predictions", predictions)):
            if value is not None and not isinstance(value, dict):
                raise ArgumentTypeError(f"{name} must be None (read the stored files) or a dict {{lesson: ...}}, "
                                        f"got {describe(value)}")
        self.mode = mode
        self.results, self.damaged = collect_results_and_damage(mode) if results is None else (results, {})
        self._predictions = {} if predictions is None else dict(predictions)
        self.read = []  # the files read since the last reset, to name them when their contents do not fit

    def _note(self, path):
        if path not in self.read:
            self.read.append(path)

    def get(self, lesson, *path, default=None):
        from utils.results import _path, shown_path

        self._note(shown_path(_path(lesson, self.mode)))
        if lesson in self.damaged:
            raise MissingEvidence(self.damaged[lesson])
        value = self.results.get(lesson)
        for key in path:
            if not isinstance(value, dict) or key not in value:
                return default
            value = value[key]
        return value

    def items(self, lesson, model):
        """Per-item outcomes of ``model`` in ``lesson`` ([seeds, items]), or None where none were stored."""
        from utils.predictions import load_predictions, predictions_path
        from utils.results import shown_path

        self._note(shown_path(predictions_path(lesson, self.mode)))
        if lesson not in self._predictions:
            try:
                self._predictions[lesson] = load_predictions(lesson, self.mode)
            except FileNotFoundError:
                self._predictions[lesson] = {}
            except ValueError as error:  # a damaged file: its message names it and how to restore it
                self._predictions[lesson] = MissingEvidence(str(error))
        stored = self._predictions[lesson]
        if isinstance(stored, MissingEvidence):
            raise stored
        if not isinstance(stored, dict):
            raise MissingEvidence(f"the per-item outcomes of lesson {lesson!r} must be a dict {{model: outcomes}}, "
                                  f"got {describe(stored)}")
        return stored.get(model)

    def pair(self, lesson, a, b):
        """``(items_a, items_b)`` when both are stored, else None."""
        return self.pair_across((lesson, a), (lesson, b))

    def pair_across(self, a, b):
        """``(items_a, items_b)`` for ``a = (lesson, model)`` and ``b`` from two lessons scored on the same items,
        when both are stored and cover as many items, else None."""
        ia, ib = self.items(*a), self.items(*b)
        if ia is None or ib is None or np.shape(ia)[-1] != np.shape(ib)[-1]:
            return None
        return ia, ib


def _part(text, verdict, evidence, context=False, comparison=None, ratio=False):
    """One part of a claim. A ``context`` part (a question the claim's wording does not ask) is shown with its own
    verdict but does not move the claim's. A "not decided" part made from ``comparison`` (one Comparison, or the
    list its verdict was combined from) says the smallest gap its design can detect (``ratio=True``: a gap of
    logarithms, said as a ratio)."""
    if verdict == "not decided" and comparison is not None:
        evidence += _detectable(comparison, ratio)
    part = {"part": text, "verdict": verdict, "evidence": evidence}
    return part | {"context": True} if context else part


def _detectable(comparisons, ratio=False):
    """'; the smallest gap this design can detect: ...' for the undecided ones of ``comparisons`` ('' if none
    has one): for counts the smallest difference in shares of the runs the test could decide at all, for a gap of
    logarithms (``ratio``) a ratio, else the gap in the metric's unit that would be found 80% of the time."""
    import math

    comparisons = [comparisons] if isinstance(comparisons, Comparison) else list(comparisons)
    seen = {}
    for c in comparisons:
        if c.better or c.equivalent:
            continue
        gap = c.detectable_gap()
        if gap is None and c.test == "fisher" and c.n_runs:
            seen.setdefault(f"none: no counts of {c.n_runs[0]} against {c.n_runs[1]} runs can be decided in a "
                            f"family of {c.family}", math.inf)
        elif gap is not None:
            word = (f"a difference of {gap:.0%} of the runs" if c.test == "fisher" else
                    f"{math.exp(gap):.2f}x (found 80% of the time)" if ratio else f"{gap:.3f} (found 80% of the time)")
            seen.setdefault(word, gap)
    if not seen:
        return ""
    words = sorted(seen, key=seen.get)
    said = words[0] if len(words) == 1 else f"from {words[0]} to {words[-1]}, by comparison"
    return f"; the smallest gap this design can detect: {said}"


def _missing(cid, lesson):
    return _record(cid, [_part("measured", "not decided", f"no results of lesson {lesson} in this mode")])


def _record(cid, parts, verdict=None):
    voting = [p["verdict"] for p in parts if not p.get("context")]
    return {"id": cid, "claim": CLAIMS[cid].text, "verdict": verdict or combine(voting),
            "parts": parts, "lessons": list(CLAIMS[cid].lessons)}


def _ahead(c, first):
    """'holds' when ``first`` (the side the claim favours) is decided better, 'does not hold' when the other side
    is better or the two are equivalent, else 'not decided'."""
    if c.better == first:
        return "holds"
    return "does not hold" if c.better or c.equivalent else "not decided"


def _as_good(c, first):
    """'holds' when ``first`` is better or equivalent, 'does not hold' when the other is better."""
    if c.better == first or c.equivalent:
        return "holds"
    return "does not hold" if c.better else "not decided"
