"""Exercises 05.1–05.3 of lesson 05, deeper sentiment models: bidirectional shapes and parameter counts, and the
stacked LSTM decided against lesson 04's LSTM by the noise rule.
"""

import numpy as np

from utils.checks import describe
from utils.exercises.core import (
    Wrong,
    compare,
    exercise,
    read_integer,
    read_mapping,
    read_numbers,
    read_outcome,
    read_shape,
    read_share,
)


@exercise(
    "05.1",
    question="On the lesson's probe (2 reviews, 300 steps, 64 features), what shape does "
             "`Bidirectional(LSTM(64, return_sequences=True))` return, and what shape after a `GlobalMaxPooling1D` on "
             "top of it?",
    verifies='both shapes exactly, as {"bidirectional": ..., "pooled": ...}',
    hint="return_sequences=True keeps the time axis; Bidirectional concatenates the forward and backward "
         "outputs; GlobalMaxPooling1D takes the maximum over the time axis. Try it: tuple(layer(probe).shape).",
    wrong=[({"bidirectional": (2, 300, 64), "pooled": (2, 64)}, "concatenat"),
           ({"bidirectional": (2, 128), "pooled": (2, 128)}, "return_sequences"),
           ({"bidirectional": (2, 300, 128), "pooled": (2, 300)}, "time axis"),
           ({"bidirectional": (2, 300, 128), "pooled": (2, 64)}, "keeps 128 features")],
)
def _check_05_1(answer):
    parts = read_mapping(answer, ["bidirectional", "pooled"], '{"bidirectional": (2, 3, 4), "pooled": (2, 4)}')
    bidirectional = read_shape(parts["bidirectional"], "the bidirectional shape")
    pooled = read_shape(parts["pooled"], "the pooled shape")
    if bidirectional == (2, 300, 128) and pooled == (2, 128):
        return ("(2, 300, 128): every step keeps a state of 64 forward + 64 backward units; pooling over the 300 "
                "steps leaves one vector of 128 per review, the strongest signal from anywhere in it.")
    if bidirectional == (2, 128):
        raise Wrong("(2, 128) is the output without return_sequences=True; with it, the time axis stays: "
                    "[batch, time, units]")
    if bidirectional == (2, 300, 64):
        raise Wrong("(2, 300, 64) forgets that Bidirectional concatenates the forward and backward outputs: "
                    "the width doubles")
    if bidirectional != (2, 300, 128):
        raise Wrong(f"{bidirectional} is not the bidirectional output; it is [batch, time, 2 x units]")
    if pooled == (2, 64):
        raise Wrong("(2, 64) is the width of one direction; Bidirectional concatenates the forward and backward "
                    "outputs, so every step has 128 features and pooling over time keeps 128 features")
    if pooled == (2, 300):
        raise Wrong("(2, 300) pooled the units away; GlobalMaxPooling1D takes the maximum over the time axis and "
                    "keeps the features")
    raise Wrong(f"{pooled} is not the pooled shape; pooling over time leaves [batch, features]")


@exercise(
    "05.2",
    question="How many parameters do the layers `LSTM(64)`, `Bidirectional(LSTM(64))` and `Bidirectional(GRU(64))` "
             "themselves have (not the whole model) on 64-dimensional embeddings?",
    verifies='the three counts exactly, as {"lstm": ..., "bidirectional_lstm": ..., "bidirectional_gru": ...}',
    hint="Lesson 02's formulas: LSTM 4u(u + i + 1), GRU 3u(u + i + 2); Bidirectional holds two independent copies. "
         "Check with layer.build((None, None, 64)) and layer.count_params().",
    wrong=[({"lstm": 33024, "bidirectional_lstm": 33024, "bidirectional_gru": 24960}, "two"),
           ({"lstm": 33024, "bidirectional_lstm": 66048, "bidirectional_gru": 49152}, "bias"),
           ({"lstm": 16512, "bidirectional_lstm": 33024, "bidirectional_gru": 24960}, "four"),
           ({"lstm": 33024, "bidirectional_lstm": 66048, "bidirectional_gru": 49536}, "reset_after")],
)
def _check_05_2(answer):
    keys = ["lstm", "bidirectional_lstm", "bidirectional_gru"]
    parts = read_mapping(answer, keys, '{"lstm": 1, "bidirectional_lstm": 2, "bidirectional_gru": 3}')
    counts = {k: read_integer(parts[k], f'answer["{k}"]') for k in keys}
    lstm, gru = 4 * 64 * (64 + 64 + 1), 3 * 64 * (64 + 64 + 2)
    expected = {"lstm": lstm, "bidirectional_lstm": 2 * lstm, "bidirectional_gru": 2 * gru}
    if counts == expected:
        return (f"{lstm:,}, {2 * lstm:,} and {2 * gru:,}: Bidirectional doubles the layer, and a bidirectional GRU has "
                "about three quarters of a bidirectional LSTM's weights.")
    if counts["lstm"] != lstm:
        raise Wrong(f"LSTM(64) on 64 features: {counts['lstm']:,} is not 4u(u + i + 1) — an LSTM has four blocks")
    if counts["bidirectional_lstm"] == lstm or counts["bidirectional_gru"] == gru:
        raise Wrong("Bidirectional holds two copies of the layer, one per direction, with their own weights: the "
                    "count doubles")
    if counts["bidirectional_gru"] == 2 * 3 * 64 * (64 + 64 + 1):
        raise Wrong("the GRU count 49,536 is 2 x 3u(u + i + 1), the GRU with one bias vector (reset_after=False); "
                    "Keras' default GRU has reset_after=True, which applies the reset gate after the recurrent "
                    "product and gives that product its own bias vector: two bias vectors, 3u(u + i + 2) per "
                    "direction")
    if counts["bidirectional_gru"] == 2 * 3 * 64 * (64 + 64):
        raise Wrong("the GRU count leaves out its biases; Keras' default GRU has two bias vectors: 3u(u + i + 2)")
    raise Wrong(f"the counts {counts} do not match 2 x 4u(u + i + 1) and 2 x 3u(u + i + 2)")




def _lesson_04_lstm():
    """Lesson 04's stored per-seed test accuracies and per-review outcomes of its LSTM, in the current run mode."""
    from utils.predictions import load_predictions
    from utils.results import load_results
    from utils.runmode import run_mode

    mode = run_mode()
    try:
        seeds = load_results("sentiment", mode=mode)["models"]["lstm"]["test_accuracy_seeds"]
        items = np.asarray(load_predictions("sentiment", mode)["lstm"], dtype="float64")
    except (FileNotFoundError, KeyError):
        raise Wrong(f"lesson 04's stored LSTM (per-seed test accuracies and per-review outcomes, {mode} mode) is "
                    "missing: run lesson 04 first in this mode, then check again") from None
    return seeds, items.reshape(1, -1) if items.ndim == 1 else items


STACKED_MEANINGS = {
    "A better": "The second layer pays off within the lesson's budget: the stacked LSTM is decidedly more accurate "
                "than the single one on the same test reviews.",
    "B better": "A second layer makes the model deeper and slower to learn, and within the lesson's budget (lesson "
                "04's epochs and stopping rule) it does not catch up with the single LSTM. That is a verdict on "
                "this budget, not on what the stacked model could reach with more epochs.",
    "equivalent": "Within ±0.01 of the single LSTM: at this budget the second layer buys nothing that matters, for "
                  "about twice the cost per epoch.",
    "not decided": "The interval is too wide for either side. 'Not decided' is not a tie: more seeds (or more test "
                   "reviews) could still decide it.",
}


@exercise(
    "05.3",
    question="Train the stacked LSTM, `sentiment_classifier(LSTM(128, return_sequences=True), LSTM(64), "
             "vocab_size=VOCAB)`, with `train_seeds` as the lesson trains its variants (about five minutes a seed on "
             "2 CPU cores), and decide it against lesson 04's LSTM with `compare`.",
    verifies='accuracies as shares, three seeds or more, outcomes that average to them, and the outcome compare '
             'gives against `lstm_seeds` and `lstm_items`, as {"accuracies": [...], "outcomes": [seeds, reviews], '
             '"outcome": ...}',
    hint="stacked = train_seeds(lambda: sentiment_classifier(LSTM(128, return_sequences=True), LSTM(64), "
         "vocab_size=VOCAB), *splits_300, seeds=SEEDS, epochs=EPOCHS, name='stacked_lstm'); the accuracies are "
         "stacked.entry['test_accuracy_seeds'] and the outcomes stacked.outcomes ([seeds, reviews], 1/0). Then "
         "compare(accuracies, lstm_seeds, names=('stacked_lstm', 'lstm'), items=(stacked.outcomes, lstm_items), "
         "margin='accuracy').outcome.",
    wrong=[({"accuracies": [0.84, 0.85], "outcomes": [[1, 0, 1, 1], [1, 1, 0, 1]], "outcome": "not decided"},
            "three seeds"),
           ({"accuracies": [0.75, 0.5, 0.5], "outcomes": [[1, 1, 1, 0], [1, 0, 1, 0], [1, 0, 0, 0]],
             "outcome": "not decided"}, "averages to"),
           ({"accuracies": [75, 50, 50], "outcomes": [[1, 1, 1, 0], [1, 0, 1, 0], [1, 0, 1, 0]],
             "outcome": "not decided"}, "percentage"),
           ({"accuracies": [0.5, 0.5, 0.5], "outcomes": [[0.9, 0.1], [0.9, 0.1], [0.9, 0.1]],
             "outcome": "not decided"}, "1 or 0"),
           ({"accuracies": [0.75, 0.5, 0.5], "outcomes": [[1, 1, 1, 0], [1, 0, 1, 0], [1, 0, 1, 0]],
             "outcome": "lstm better"}, "B better"),
           ({"accuracies": [0.75, 0.5, 0.5], "outcomes": [[1, 1, 1, 0], [1, 0, 1, 0], [1, 0, 1, 0]],
             "outcome": "tie"}, "not a tie")],
)
def _check_05_3(answer):
    parts = read_mapping(answer, ["accuracies", "outcomes", "outcome"],
                         '{"accuracies": [0.84, 0.85, 0.83], "outcomes": np.stack(rows), "outcome": "not decided"}')
    accuracies = [read_share(a, "an accuracy") for a in read_numbers(parts["accuracies"], 'answer["accuracies"]')]
    if len(accuracies) < 3:
        raise Wrong(f"{len(accuracies)} seed(s): the noise rule needs at least two seeds to estimate the seed "
                    "variance, and the exercise asks for three seeds (0, 1 and 2), so that the estimate is less rough")
    try:
        outcomes = np.asarray(parts["outcomes"], dtype="float64")
    except (TypeError, ValueError):
        outcomes = None
    if outcomes is None or outcomes.ndim != 2 or outcomes.shape[0] != len(accuracies) or outcomes.shape[1] < 2:
        raise Wrong(f'answer["outcomes"] should be an array [seeds, reviews], one row per accuracy '
                    f"({len(accuracies)}) — np.stack of each run's review_outcomes — got "
                    f"{describe(parts['outcomes'])}")
    if not np.isin(outcomes, (0, 1)).all():
        raise Wrong("the outcomes should be 1 or 0 per review (right or wrong), as review_outcomes gives them, "
                    "not probabilities")
    for row, (mean, accuracy) in enumerate(zip(outcomes.mean(axis=1), accuracies)):
        if abs(mean - accuracy) > 0.002:
            raise Wrong(f"row {row} of the outcomes averages to {mean:.4f}, but its accuracy is {accuracy:.4f}: each "
                        "row must be the same run's review_outcomes on the test reviews, in the order of the "
                        "accuracies")
    said = read_outcome(parts["outcome"], 'answer["outcome"]', "the stacked LSTM", "lesson 04's LSTM")
    lstm_seeds, lstm_items = _lesson_04_lstm()
    if lstm_items.shape[1] != outcomes.shape[1]:
        raise Wrong(f"your outcomes cover {outcomes.shape[1]:,} test reviews, lesson 04's stored ones "
                    f"{lstm_items.shape[1]:,}: score the lesson's x_test, y_test (the same test reviews in the same "
                    "order, with the same run mode as lesson 04)")
    c = compare(accuracies, lstm_seeds, names=("stacked_lstm", "lstm"), items=(outcomes, lstm_items),
                margin="accuracy")
    if said != c.outcome:
        raise Wrong(f"for your numbers the rule gives {c.outcome!r}, not {said!r}: {c.describe()}")
    return f"{c.describe()}. {STACKED_MEANINGS[c.outcome]}"
