"""Exercises 08.1–08.3 of lesson 08, choosing a cell: speed-ups of larger batches, attention weights, and the noise
rule by hand.
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
    read_word,
)

CELLS = ("simple_rnn", "lstm", "gru")


@exercise(
    "08.1",
    question="Re-run the benchmark at one configuration with `batch_size=64` and `batch_size=256` (three repeats "
             "each). The speed-up of repeat i is its training samples/s at 256 over repeat i at 64. Which cell "
             "gains most from larger batches, as the noise rule decides it?",
    verifies="that the speed-ups are positive numbers (two repeats or more per cell, two cells or more), and that "
             "'gains_most' follows from them: the cell with the highest mean speed-up, if the noise rule "
             "(Holm-corrected over its comparisons) decides it better than every other cell, else 'none'",
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
    verifies="that the weights are an attention distribution (non-negative, summing to 1), that the padded "
             "positions get none of it (the mask), and that 'top_word' is the word at the largest weight",
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


@exercise(
    "08.3",
    question="Apply the noise rule by hand to the IMDB accuracies of three seeds: lstm 0.821, 0.839, 0.833 and "
             "gru 0.838, 0.845, 0.840 (seeds only: no per-review outcomes). What are the gap between the means, "
             "the half-width of its 95% interval, and the verdict?",
    verifies='the gap and the half-width to ±0.0005, and the verdict, as {"gap": ..., "noise": ..., "verdict": ...} '
             '(verdict "gru better", "lstm better" or "not decided")',
    hint="The gap is the difference of the two means. The interval is Welch's: "
         "scipy.stats.ttest_ind(gru, lstm, equal_var=False).confidence_interval(0.95) gives its two ends, and the "
         "half-width is half the distance between them. A side is better only when the interval excludes 0.",
    wrong=[({"gap": 0.01, "noise": 0.0198, "verdict": "gru better"}, "includes 0"),
           ({"gap": 0.01, "noise": 0.018, "verdict": "not decided"}, "welch"),
           ({"gap": 0.01, "noise": 0.0198, "verdict": "no difference"}, "not a tie")],
)
def _check_08_3(answer):
    parts = read_mapping(answer, ["gap", "noise", "verdict"],
                         '{"gap": 0.01, "noise": 0.02, "verdict": "not decided"}')
    gap, noise = read_number(parts["gap"], 'answer["gap"]'), read_number(parts["noise"], 'answer["noise"]', 0.0)
    said = parts["verdict"]
    if isinstance(said, str) and said.strip().lower() in ("no difference", "tie", "equal"):
        raise Wrong(f"{said!r} reads the gap as a tie; it is not a tie: when the interval includes 0 the rule says "
                    "'not decided' (more seeds could still decide it)")
    verdict = read_word(said, ("gru better", "lstm better", "not decided"), 'answer["verdict"]')
    lstm, gru = [0.821, 0.839, 0.833], [0.838, 0.845, 0.840]
    c = compare(gru, lstm, names=("gru", "lstm"))
    if abs(abs(gap) - c.gap) > 0.0005:
        raise Wrong(f"gap {gap:.4f}: the means are {c.mean_b:.4f} (lstm) and {c.mean_a:.4f} (gru)")
    if abs(noise - c.noise) > 0.0005:
        raise Wrong(f"half-width {noise:.4f}: Welch's 95% interval of the gap runs from {c.low:+.4f} to "
                    f"{c.high:+.4f} (t at the Welch-Satterthwaite degrees of freedom, {c.df:.1f}, times the "
                    "standard error), so its half-width is different")
    right = "not decided" if c.better is None else f"{c.better} better"
    if verdict != right:
        raise Wrong(f"the interval [{c.low:+.4f}, {c.high:+.4f}] includes 0, so neither is better: not decided"
                    if c.better is None else f"the interval excludes 0 on {c.better}'s side: {right}")
    return f"{c.describe(4)}. Three seeds each cannot tell these two apart; one seed each could rank them either way."
