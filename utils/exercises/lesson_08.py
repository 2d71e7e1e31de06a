"""Exercises 08.1–08.3 of lesson 08, choosing a cell: speed-ups of larger batches, attention weights, and average
pooling against the last state by the noise rule.
"""

import re
from collections.abc import Mapping

import numpy as np

from utils.checks import describe
from utils.exercises.core import (
    Wrong,
    compare,
    correct,
    exercise,
    read_mapping,
    read_number,
    read_numbers,
    read_outcome,
    read_word,
)

CELLS = ("simple_rnn", "lstm", "gru")


@exercise(
    "08.1",
    question="Re-run the benchmark at one configuration with `batch_size=64` and `batch_size=256`, three repeats "
             "each; the speed-up of repeat i is its training samples/s at 256 over repeat i at 64. Which cell "
             "gains most, as the noise rule decides it?",
    verifies="that the speed-ups are positive (two repeats and two cells or more), and that 'gains_most' is the "
             "cell with the highest mean speed-up if the noise rule, corrected over its comparisons, decides it "
             "better than every other cell, else 'none'",
    hint="For each cell, r64 = benchmark_in_subprocess(cell, 100, 128, batch_size=64, repeats=3) and r256 the same "
         "with 256; speed-ups = [a / b for a, b in zip(r256['train_samples_per_second_repeats'], "
         "r64['train_samples_per_second_repeats'])]. Then correct([compare(best, other, runs='repeats') for every "
         "other cell]) (utils.verdicts).",
    wrong=[({"speedups": {"lstm": [2.0, 2.1, 2.2], "gru": [1.5, 1.6, 1.55]}, "gains_most": "none"}, "lstm"),
           ({"speedups": {"lstm": [2.0, 1.2, 2.2], "gru": [1.5, 1.6, 1.55]}, "gains_most": "lstm"}, "none"),
           ({"speedups": {"lstm": [2.0], "gru": [1.5]}, "gains_most": "lstm"}, "at least 2"),
           ({"speedups": {"lstm": [2.0, 2.1]}, "gains_most": "lstm"}, "two cells")],
)
def _check_08_1(answer):
    example = '{"speedups": {"simple_rnn": [1.2, 1.3, 1.2], "lstm": [...], "gru": [...]}, "gains_most": "none"}'
    parts = read_mapping(answer, ["speedups", "gains_most"], example)
    speedups = parts["speedups"]
    if not isinstance(speedups, Mapping):
        raise Wrong(f'answer["speedups"] should be a dict {{cell: [speed-up per repeat]}}, got {describe(speedups)}')
    unknown = [cell for cell in speedups if cell not in CELLS]
    if unknown:
        raise Wrong(f"{unknown[0]!r} is not a cell; use {', '.join(CELLS)}")
    if len(speedups) < 2:
        raise Wrong("measure two cells or more: 'gains most' compares cells")
    values = {cell: read_numbers(v, f"the speed-ups of {cell}", 2, 0.0) for cell, v in speedups.items()}
    if any(v <= 0 for vs in values.values() for v in vs):
        raise Wrong("a speed-up is a ratio of two speeds, so it is positive")
    best = max(values, key=lambda cell: float(np.mean(values[cell])))
    comparisons = correct([compare(values[best], values[other], names=(best, other), runs="repeats")
                           for other in values if other != best])
    winner = best if all(c.better == best for c in comparisons) else "none"
    said = read_word(parts["gains_most"], (*CELLS, "none"), 'answer["gains_most"]')
    if said != winner:
        raise Wrong("by the noise rule: " + "; ".join(c.describe(2) for c in comparisons) + f", so gains_most is "
                    f"{winner!r}, not {said!r}")
    return "; ".join(c.describe(2) for c in comparisons) + (
        f" -> {winner} gains most." if winner != "none" else " -> no cell gains measurably more than the others.")


_PUNCTUATION = re.compile(r"[!\"#$%&()*+,\-./:;<=>?@\[\\\]^_`{|}~']")


def _review_words(text):
    """The words TextVectorization's default standardisation gives: lower case, punctuation removed."""
    return _PUNCTUATION.sub("", text.lower()).split()


@exercise(
    "08.2",
    question="Encode a review of your own with `encode([...])` and get its attention weights from `weights_model`. "
             "Which word gets the largest weight?",
    verifies="that the weights are non-negative and sum to 1, that the padding gets none of them (the mask), and "
             "that 'top_word' is the word at the largest weight",
    hint="w = weights_model.predict(encode([review]), verbose=0)[0]; the words are the review's words in order, "
         "lower-cased and without punctuation, followed by padding (post-padding). The largest weight is at "
         "np.argmax(w).",
    wrong=[({"review": "a dull film", "weights": [1 / 60] * 60, "top_word": "dull"}, "padded"),
           ({"review": "a dull film", "weights": [0.5, 0.9, 0.1] + [0.0] * 57, "top_word": "dull"}, "sum"),
           ({"review": "a dull film", "weights": [0.2, 0.7, 0.1] + [0.0] * 57, "top_word": "film"}, "dull"),
           ({"review": "a dull film", "weights": "0.2 0.7 0.1", "top_word": "dull"}, "list of numbers")],
)
def _check_08_2(answer):
    parts = read_mapping(answer, ["review", "weights", "top_word"],
                         '{"review": "your text", "weights": w, "top_word": "word"}')
    review, top_word = parts["review"], parts["top_word"]
    if not isinstance(review, str) or not review.strip():
        raise Wrong(f'answer["review"] should be your review (a non-empty str), got {describe(review)}')
    if not isinstance(top_word, str):
        raise Wrong(f'answer["top_word"] should be a word (str), got {describe(top_word)}')
    weights = np.asarray(read_numbers(parts["weights"], 'answer["weights"]', 2))
    if (weights < 0).any():
        raise Wrong("a weight is negative; attention weights come from a softmax, so they are >= 0")
    if abs(weights.sum() - 1) > 1e-3:
        raise Wrong(f"the weights sum to {weights.sum():.3f}; a softmax over the steps sums to 1 — take the "
                    "attention layer's second output, not its scores")
    words = _review_words(review)
    kept = words[-len(weights):]  # truncating="pre" keeps the last words
    if len(kept) < len(weights) and (weights[len(kept):] > 1e-6).any():
        raise Wrong(f"the padded positions (after the {len(kept)} words) got weight {weights[len(kept):].sum():.3f}; "
                    "with mask_zero=True the mask gives them none — encode with the lesson's encoder, which pads at "
                    "the end")
    top = kept[int(np.argmax(weights))] if int(np.argmax(weights)) < len(kept) else None
    if top is not None and top_word.strip().lower() != top:
        raise Wrong(f"the largest weight, {weights.max():.3f}, is on word {int(np.argmax(weights)) + 1}, {top!r}, "
                    f"not {top_word!r}")
    if top is None and top_word.strip().lower() not in words:
        raise Wrong(f"{top_word!r} is not a word of your review")
    return (f"{top_word!r} gets {weights.max():.2f} of the attention, the padding none. A large weight says what the "
            "model pooled, not why it decided.")


POOLED, LAST = "lstm_average", "lstm_last_state"  # lesson 08's keys of the two models compared in 08.3


def _example_runs(accuracies, reviews=400, seed=8):
    """[seeds, reviews] of 1/0 whose rows average exactly to ``accuracies`` (for the typical wrong answers)."""
    rng = np.random.default_rng(seed)
    return np.stack([rng.permutation(np.arange(reviews) < round(a * reviews)) for a in accuracies]).astype(int)


_EXAMPLE_ACCURACIES = {POOLED: [0.8425, 0.85, 0.8375], LAST: [0.82, 0.8275, 0.8125]}
_EXAMPLE = {"accuracies": _EXAMPLE_ACCURACIES,
            "outcomes": {POOLED: _example_runs(_EXAMPLE_ACCURACIES[POOLED]),
                         LAST: _example_runs(_EXAMPLE_ACCURACIES[LAST], seed=9)}}
_EXAMPLE_GAP = float(np.mean(_EXAMPLE["accuracies"][POOLED]) - np.mean(_EXAMPLE["accuracies"][LAST]))

POOLING_MEANINGS = {
    "A better": "Averaging every state beats reading only the last one at this budget: for a whole review, what the "
                "LSTM saw early counts as much as what it saw last.",
    "B better": "The last state alone beats the average of all states at this budget: the states at the end of the "
                "review summarise it better than the mean over its words.",
    "equivalent": "Within ±0.01 of each other: at this budget the way the states are pooled does not matter for "
                  "accuracy.",
    "not decided": "The interval is too wide for either side. 'Not decided' is not a tie: more seeds or more test "
                   "reviews could still decide it.",
}


def _runs(parts, key):
    """The per-seed accuracies and the [seeds, reviews] outcomes of model ``key`` from the answer."""
    accuracies, outcomes = parts["accuracies"], parts["outcomes"]
    for name, table in (("accuracies", accuracies), ("outcomes", outcomes)):
        if not isinstance(table, Mapping) or key not in table:
            raise Wrong(f'answer["{name}"] should be a dict with the key {key!r} (and {POOLED!r}, {LAST!r}): the '
                        f"lesson's section 3 `{name}`, got {describe(table)}")
    values = [read_number(a, f"an accuracy of {key}", 0.0, 1.0) for a in read_numbers(accuracies[key], f"the "
                                                                                         f"accuracies of {key}")]
    try:
        rows = np.asarray(outcomes[key], dtype="float64")
    except (TypeError, ValueError):
        rows = None
    if rows is not None and rows.ndim == 1:
        rows = rows[None, :]
    if rows is None or rows.ndim != 2 or rows.shape[0] != len(values) or rows.shape[1] < 2:
        raise Wrong(f'answer["outcomes"][{key!r}] should be an array [seeds, reviews], one row per accuracy '
                    f"({len(values)}), as the lesson's review_outcomes gives them, got {describe(outcomes[key])}")
    if not np.isin(rows, (0, 1)).all():
        raise Wrong(f"the outcomes of {key} should be 1 or 0 per review (right or wrong), as review_outcomes gives "
                    "them, not probabilities")
    tolerance = max(0.002, 2 / rows.shape[1])
    for row, (mean, accuracy) in enumerate(zip(rows.mean(axis=1), values)):
        if abs(mean - accuracy) > tolerance:
            raise Wrong(f"row {row} of the outcomes of {key} averages to {mean:.4f}, but its accuracy is "
                        f"{accuracy:.4f}: each row must be the same run's review_outcomes on the test reviews, in the "
                        "order of the accuracies")
    return values, rows


def _close(said, right, tolerance=0.0011):
    return right is not None and abs(said - right) <= tolerance


@exercise(
    "08.3",
    question="Is average pooling better than the last state? Decide it with `compare` from section 3's "
             "`accuracies` and `outcomes`: `lstm_average` as A, `lstm_last_state` as B, paired on the test reviews "
             "(`items=`), `margin='accuracy'`. What are the gap, its 95% interval and the outcome?",
    verifies="that each row of per-review outcomes (1/0) averages to its seed's accuracy, then, recomputed from "
             "them, the gap (mean A minus mean B), the interval's ends to ±0.001 and the outcome, in the dict the "
             "cell shows",
    hint="c = compare(accuracies['lstm_average'], accuracies['lstm_last_state'], names=('lstm_average', "
         "'lstm_last_state'), items=(outcomes['lstm_average'], outcomes['lstm_last_state']), margin='accuracy'); "
         "then answer = {'accuracies': accuracies, 'outcomes': outcomes, 'gap': c.difference, "
         "'interval': (c.low, c.high), 'outcome': c.outcome}. No Holm correction: this is one question on its own.",
    wrong=[(_EXAMPLE | {"gap": -_EXAMPLE_GAP, "interval": (0.0, 0.05), "outcome": "A better"}, "sign"),
           (_EXAMPLE | {"gap": _EXAMPLE_GAP, "interval": (0.0, 0.05), "outcome": "tie"}, "not a tie"),
           (_EXAMPLE | {"gap": _EXAMPLE_GAP, "interval": (0.3, 0.4), "outcome": "A better"}, "interval"),
           ({"accuracies": {POOLED: _EXAMPLE_ACCURACIES[POOLED]}, "outcomes": _EXAMPLE["outcomes"], "gap": 0.02,
             "interval": (0.0, 0.05), "outcome": "A better"}, LAST),
           ({"accuracies": _EXAMPLE["accuracies"] | {POOLED: [0.9, 0.85, 0.84]}, "outcomes": _EXAMPLE["outcomes"],
             "gap": 0.02, "interval": (0.0, 0.05), "outcome": "A better"}, "review_outcomes")],
)
def _check_08_3(answer):
    parts = read_mapping(answer, ["accuracies", "outcomes", "gap", "interval", "outcome"],
                         '{"accuracies": accuracies, "outcomes": outcomes, "gap": c.difference, '
                         '"interval": (c.low, c.high), "outcome": c.outcome}')
    (acc_a, items_a), (acc_b, items_b) = _runs(parts, POOLED), _runs(parts, LAST)
    if items_a.shape[1] != items_b.shape[1]:
        raise Wrong(f"the outcomes cover {items_a.shape[1]:,} and {items_b.shape[1]:,} reviews: both models must be "
                    "scored on the same test reviews, in the same order")
    said = read_outcome(parts["outcome"], 'answer["outcome"]', POOLED, LAST)
    c = compare(acc_a, acc_b, names=(POOLED, LAST), items=(items_a, items_b), margin="accuracy")
    gap = read_number(parts["gap"], 'answer["gap"]')
    if not _close(gap, c.difference, 0.0006):
        raise Wrong(f"gap {gap:+.4f}: the gap is mean(A) - mean(B) = {c.mean_a:.4f} - {c.mean_b:.4f} = "
                    f"{c.difference:+.4f}" + (" — check its sign: A is lstm_average" if _close(-gap, c.difference,
                                                                                          0.0006) else ""))
    interval = parts["interval"]
    if c.low is None:
        if interval is not None and not (hasattr(interval, "__len__") and all(v is None for v in interval)):
            raise Wrong(f"with one seed per model there is no interval ({c.reason}): answer None")
    else:
        ends = read_numbers(interval, 'answer["interval"]', 2)
        if len(ends) != 2:
            raise Wrong(f'answer["interval"] should be two numbers (low, high), got {len(ends)}')
        low, high = sorted(ends)
        if not (_close(low, c.low) and _close(high, c.high)):
            seeds_only = compare(acc_a, acc_b, names=(POOLED, LAST), margin="accuracy")
            why = (" — that is the interval of the seeds alone: pass items=(outcomes['lstm_average'], "
                   "outcomes['lstm_last_state']) so that the sampling noise of the test reviews counts too"
                   if seeds_only.low is not None and _close(low, seeds_only.low) and _close(high, seeds_only.high)
                   else " — check A and B (A is lstm_average) and items=" if _close(-high, c.low)
                   and _close(-low, c.high) else "")
            raise Wrong(f"interval [{low:+.4f}, {high:+.4f}]: for these numbers the 95% interval of the gap is "
                        f"[{c.low:+.4f}, {c.high:+.4f}] ({c.sources}){why}")
    if said != c.outcome:
        raise Wrong(f"for these numbers the rule gives {c.outcome!r}, not {said!r}: {c.describe()}")
    return f"{c.describe()}. {POOLING_MEANINGS[c.outcome]}"
