"""Exercises 05.1–05.3 of lesson 05, deeper sentiment models: bidirectional shapes and parameter counts, and the
dropout gain against the seed spread.
"""



from utils.exercises.core import (
    Wrong,
    exercise,
    read_boolean,
    read_integer,
    read_mapping,
    read_number,
    read_numbers,
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
           ({"bidirectional": (2, 300, 128), "pooled": (2, 300)}, "time axis")],
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
    if pooled == (2, 300):
        raise Wrong("(2, 300) pooled the units away; GlobalMaxPooling1D takes the maximum over the time axis and "
                    "keeps the features")
    raise Wrong(f"{pooled} is not the pooled shape; pooling over time leaves [batch, features]")


@exercise(
    "05.2",
    question="How many parameters do `LSTM(64)`, `Bidirectional(LSTM(64))` and `Bidirectional(GRU(64))` have on the "
             "64-dimensional embeddings?",
    verifies='the three counts exactly, as {"lstm": ..., "bidirectional_lstm": ..., "bidirectional_gru": ...}',
    hint="Lesson 02's formulas: LSTM 4u(u + i + 1), GRU 3u(u + i + 2); Bidirectional holds two independent copies. "
         "Check with layer.build((None, None, 64)) and layer.count_params().",
    wrong=[({"lstm": 33024, "bidirectional_lstm": 33024, "bidirectional_gru": 24960}, "two"),
           ({"lstm": 33024, "bidirectional_lstm": 66048, "bidirectional_gru": 49152}, "bias"),
           ({"lstm": 16512, "bidirectional_lstm": 33024, "bidirectional_gru": 24960}, "four")],
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
    if counts["bidirectional_gru"] == 2 * 3 * 64 * (64 + 64):
        raise Wrong("the GRU count leaves out its biases; Keras' default GRU has two bias vectors: 3u(u + i + 2)")
    raise Wrong(f"the counts {counts} do not match 2 x 4u(u + i + 1) and 2 x 3u(u + i + 2)")


@exercise(
    "05.3",
    question="Train `bidirectional_lstm` with at least two seeds. Does the dropout gain the lesson measured "
             "(`bidirectional_lstm_dropout` minus `bidirectional_lstm` test accuracy) exceed their seed spread?",
    verifies="that your accuracies are shares (two seeds or more) and that 'gain_counts' follows from them by the "
             "noise rule: the gain counts only if it is larger than the range of your accuracies",
    hint="Train variants['bidirectional_lstm'] as section 3 does (its training function takes a seed) for two or "
         "three seeds, and collect each run's test accuracy. The gain is the difference of the two variants' test "
         "accuracies in the lesson's table.",
    wrong=[({"accuracies": [0.86, 0.87], "dropout_gain": 0.015, "gain_counts": False}, "0.010"),
           ({"accuracies": [0.84, 0.87], "dropout_gain": 0.015, "gain_counts": True}, "spread"),
           ({"accuracies": [0.86], "dropout_gain": 0.015, "gain_counts": True}, "at least 2")],
)
def _check_05_3(answer):
    parts = read_mapping(answer, ["accuracies", "dropout_gain", "gain_counts"],
                         '{"accuracies": [0.86, 0.87], "dropout_gain": 0.015, "gain_counts": False}')
    accuracies = read_numbers(parts["accuracies"], 'answer["accuracies"]', 2)
    for a in accuracies:
        read_share(a, "an accuracy")
    gain = read_number(parts["dropout_gain"], 'answer["dropout_gain"]', -1.0, 1.0)
    said = read_boolean(parts["gain_counts"], 'answer["gain_counts"]')
    spread = max(accuracies) - min(accuracies)
    counts = abs(gain) > spread
    if said != counts:
        raise Wrong(f"the gain {gain:+.3f} against a seed spread of {spread:.3f} (range of your accuracies): it "
                    f"{'counts' if counts else 'does not count'} by the noise rule, so gain_counts should be {counts}")
    if counts:
        return (f"the gain {gain:+.3f} exceeds your seed spread of {spread:.3f}, so by the noise rule it counts — "
                "with two or three seeds the spread is a rough estimate: more seeds give a safer verdict.")
    return (f"the gain {gain:+.3f} is within your seed spread of {spread:.3f}: one seed per variant cannot rank "
            "variants whose gaps are this small.")
