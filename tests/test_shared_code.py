"""The small shared modules: the layer map, the IMDB classifier and recipe, attention pooling, the calibration."""

import keras
import numpy as np
import pytest

from utils.attention import AttentionPooling, attention_weights_model
from utils.calibration import DESIGNS, calibration_markdown, decision_rate
from utils.cells import CELL_NAMES, CELLS, cell_layer
from utils.sentiment import sentiment_classifier, train_classifier


def test_cell_map_and_its_errors():
    assert CELL_NAMES == ("simple_rnn", "lstm", "gru") and cell_layer("gru") is keras.layers.GRU
    assert CELLS["lstm"] is keras.layers.LSTM
    for bad in ("LSTM", None, 3):
        with pytest.raises(ValueError, match="cell must be one of"):
            cell_layer(bad)


def test_sentiment_classifier_shapes_and_errors():
    model = sentiment_classifier(keras.layers.GRU(4), vocab_size=50, embedding_dim=8)
    out = model(np.array([[3, 4, 5, 0, 0], [7, 0, 0, 0, 0]], dtype="int32"))
    assert tuple(out.shape) == (2, 1) and np.all((0 <= out) & (out <= 1))
    with pytest.raises(ValueError, match="at least one layer"):
        sentiment_classifier(vocab_size=50)
    with pytest.raises(ValueError, match="Keras layers"):
        sentiment_classifier("gru", vocab_size=50)
    with pytest.raises(ValueError, match="vocab_size"):
        sentiment_classifier(keras.layers.GRU(4), vocab_size=0)
    with pytest.raises(ValueError, match="max_len"):
        sentiment_classifier(keras.layers.GRU(4), vocab_size=50, max_len=-1)


def test_train_classifier_is_seeded_and_records():
    rng = np.random.default_rng(0)
    x = rng.integers(1, 30, size=(64, 12)).astype("int32")
    x[:, 8:] = 0  # post-padding
    y = (x[:, 0] > 15).astype("int32")

    def build():
        return sentiment_classifier(keras.layers.SimpleRNN(4), vocab_size=30, embedding_dim=4)

    runs = [train_classifier(build, (x, y), (x, y), (x, y), seed=3, epochs=1, verbose=0) for _ in range(2)]
    assert runs[0][2]["test"]["accuracy"] == runs[1][2]["test"]["accuracy"]  # same seed, same result
    assert {"epochs", "best_epoch", "train_seconds"} <= set(runs[0][2])
    _, _, padded = train_classifier(build, (x, y), (x, y), (x, y), seed=3, epochs=1, bucketed=False,
                                    clipnorm=None, verbose=0)
    assert 0 <= padded["test"]["accuracy"] <= 1
    with pytest.raises(ValueError, match="build"):
        train_classifier("model", (x, y), (x, y), (x, y), seed=0, epochs=1)
    with pytest.raises(ValueError, match="seed"):
        train_classifier(build, (x, y), (x, y), (x, y), seed=0.5, epochs=1)
    with pytest.raises(ValueError, match="bucketed"):
        train_classifier(build, (x, y), (x, y), (x, y), seed=0, epochs=1, bucketed="yes")
    with pytest.raises(ValueError, match="min_epochs"):
        train_classifier(build, (x, y), (x, y), (x, y), seed=0, epochs=1, min_epochs=2)


def test_attention_weights_sum_to_one_over_real_words():
    inputs = keras.Input((6,), dtype="int32")
    states = keras.layers.LSTM(4, return_sequences=True)(keras.layers.Embedding(20, 4, mask_zero=True)(inputs))
    model = keras.Model(inputs, AttentionPooling()(states))
    ids = np.array([[5, 6, 7, 0, 0, 0]], dtype="int32")
    pooled_out = keras.ops.convert_to_numpy(model(ids))
    weights_out = keras.ops.convert_to_numpy(attention_weights_model(model)(ids))
    assert pooled_out.shape == (1, 4) and weights_out.shape == (1, 6)
    assert weights_out[0, :3].sum() == pytest.approx(1.0, abs=1e-5) and weights_out[0, 3:].sum() < 1e-6


def test_calibration_runs_and_refuses_unknown_designs():
    rate = decision_rate("3 vs 3 seeds", gap=0.0, trials=20, seed=1)
    assert 0 <= rate["decided"] <= 1 and rate["trials"] == 20
    with pytest.raises(ValueError, match="design"):
        decision_rate("7 vs 7 seeds")
    with pytest.raises(ValueError, match="trials"):
        decision_rate("3 vs 3 seeds", trials=0)
    rows = [{"design": d, "what": DESIGNS[d].text, "false_alarm_rate": 0.01, "gap": "x", "power": 0.5,
             "trials": 10, "monte_carlo_se": 0.01} for d in DESIGNS]
    assert calibration_markdown(rows).count("\n") == len(DESIGNS) + 1
