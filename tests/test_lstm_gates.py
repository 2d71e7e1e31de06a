"""utils.lstm_gates: lesson 02's look inside a trained LSTM (its gates, their saturation, gradient sizes)."""

import keras
import numpy as np
import pytest

from utils.checks import ArgumentTypeError
from utils.lstm_gates import GATES, GradientLog, gate_values, lstm_gates, saturated_share


@pytest.fixture(scope="module")
def model():
    keras.utils.set_random_seed(0)
    return keras.Sequential([keras.Input((12,), dtype="int32"), keras.layers.Embedding(50, 4, mask_zero=True),
                             keras.layers.LSTM(3), keras.layers.Dense(1, activation="sigmoid")])


def test_lstm_gates_agree_with_keras(model):
    final, gates, keras_final = lstm_gates(model, np.array([5, 7, 9, 11]))
    assert np.abs(final - keras_final).max() < 1e-5
    assert set(gates) == set(GATES) and gates["forget"].shape == (4, 3)


def test_gate_values_skip_padding_and_empty_rows(model):
    x = np.array([[5, 7, 0, 0] + [0] * 8, [0] * 12, [3] * 12])
    values = gate_values(model, x, n_reviews=3)
    assert all(len(values[g]) == (2 + 12) * 3 for g in GATES)  # 2 + 12 words, 3 units; the padded row skipped
    with pytest.raises(ValueError, match="padding"):
        gate_values(model, np.zeros((2, 12), dtype=int), n_reviews=2)
    with pytest.raises(ArgumentTypeError, match="word ids"):
        gate_values(model, np.ones((2, 12)), n_reviews=2)
    with pytest.raises(ArgumentTypeError, match="Embedding and an LSTM"):
        gate_values(keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)]), x, 1)


def test_saturated_share():
    assert saturated_share(np.array([0.05, 0.5, 0.95, 0.5])) == 0.5
    assert saturated_share({"a": [0.0, 1.0], "b": [0.5, 0.5]}) == 0.5  # the mean over the gates
    for bad in ([], [np.nan], "x", {}):
        with pytest.raises(ValueError):
            saturated_share(bad)
    with pytest.raises(ValueError, match="low and high"):
        saturated_share([0.5], low=0.9, high=0.1)


def test_gradient_log_keeps_one_rms_per_weight_and_epoch(model, tmp_path):
    model.compile(optimizer="adam", loss="binary_crossentropy")
    x = np.random.default_rng(0).integers(1, 50, size=(16, 12))
    y = np.arange(16) % 2
    log = GradientLog(tmp_path, x, y)
    model.fit(x, y, epochs=2, verbose=0, callbacks=[log])
    assert len(log.rms) == 2 and len(log.rms[0]) == len(model.trainable_weights)
    assert all(v >= 0 and np.isfinite(v) for epoch in log.rms for v in epoch.values())
    assert list(tmp_path.glob("events.out.tfevents.*"))
