"""Lesson 08's helpers: attention pooling and its weights model, and PyTorch's recurrent equations against Keras.

The PyTorch side is its documented equations in NumPy (``utils.torch_equations``), so these tests need no PyTorch:
Keras layers with random weights must give the same states once their weights are moved into PyTorch's layout.
"""

import keras
import numpy as np
import pytest

from utils.attention import AttentionPooling, attention_weights_model
from utils.lesson_functions import gru_forward
from utils.sentiment import sentiment_classifier
from utils.torch_equations import (
    torch_gru_forward,
    torch_layout,
    torch_lstm_forward,
    torch_parameter_count,
    torch_rnn_forward,
)

IDS = np.array([[3, 4, 5, 0, 0, 0], [7, 8, 9, 10, 11, 12], [2, 0, 0, 0, 0, 0]], dtype="int32")


def attention_classifier(units=8):
    keras.utils.set_random_seed(0)
    return sentiment_classifier(keras.layers.LSTM(units, return_sequences=True), AttentionPooling(name="attention"),
                                vocab_size=20, embedding_dim=4)


def test_attention_weights_sum_to_one_over_the_real_words_and_give_padding_none():
    model = attention_classifier()
    weights = np.asarray(attention_weights_model(model).predict(IDS, verbose=0))
    assert weights.shape == IDS.shape
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, atol=1e-6)
    assert np.all(weights[IDS == 0] < 1e-6) and np.all(weights[IDS != 0] > 0)
    assert weights[2, 0] == pytest.approx(1.0)  # one word: all the weight


def test_attention_pooling_is_the_weighted_sum_of_the_states_the_classifier_uses():
    model = attention_classifier()
    embedding, lstm, pooling, head = model.layers
    states = np.asarray(lstm(embedding(IDS)))
    weights = np.asarray(attention_weights_model(model).predict(IDS, verbose=0))
    pooled = np.einsum("bt,btu->bu", weights, states)
    np.testing.assert_allclose(np.asarray(head(pooled)), model.predict(IDS, verbose=0), atol=1e-5)
    assert pooling.count_params() == 8  # one score weight per unit


def test_attention_weights_model_of_a_functional_model_and_bad_models():
    inputs = keras.Input((None,), dtype="int32")
    states = keras.layers.LSTM(4, return_sequences=True)(keras.layers.Embedding(20, 4, mask_zero=True)(inputs))
    model = keras.Model(inputs, keras.layers.Dense(1)(AttentionPooling()(states)))
    weights = np.asarray(attention_weights_model(model).predict(IDS, verbose=0))
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, atol=1e-6)
    plain = sentiment_classifier(keras.layers.LSTM(4), vocab_size=20)
    with pytest.raises(ValueError, match="no AttentionPooling"):
        attention_weights_model(plain)
    with pytest.raises(TypeError, match="Keras model"):
        attention_weights_model("model")


def test_average_pooling_averages_the_real_words_only():
    """Lesson 08's average-pooling model relies on GlobalAveragePooling1D respecting the embedding's mask."""
    keras.utils.set_random_seed(1)
    model = sentiment_classifier(keras.layers.LSTM(4, return_sequences=True), keras.layers.GlobalAveragePooling1D(),
                                 vocab_size=20, embedding_dim=4)
    embedding, lstm, _, head = model.layers
    states = np.asarray(lstm(embedding(IDS)))
    real = (IDS != 0)[..., None]
    average = (states * real).sum(axis=1) / real.sum(axis=1)
    np.testing.assert_allclose(np.asarray(head(average)), model.predict(IDS, verbose=0), atol=1e-5)


CASES = [(keras.layers.SimpleRNN, torch_rnn_forward, 1), (keras.layers.LSTM, torch_lstm_forward, 4),
         (keras.layers.GRU, torch_gru_forward, 3)]


@pytest.mark.parametrize(("layer_class", "forward", "gates"), CASES, ids=["simple_rnn", "lstm", "gru"])
def test_keras_layers_compute_pytorchs_equations_once_ported(layer_class, forward, gates):
    keras.utils.set_random_seed(2)
    x = np.random.default_rng(0).normal(size=(3, 15, 5)).astype("float32")
    layer = layer_class(6, return_sequences=True, bias_initializer="random_normal")  # non-zero biases count too
    states = np.asarray(layer(x))
    ported = torch_layout(layer)
    assert ported["weight_ih"].shape == (gates * 6, 5) and ported["weight_hh"].shape == (gates * 6, 6)
    assert ported["bias_ih"].shape == ported["bias_hh"].shape == (gates * 6,)
    np.testing.assert_allclose(forward(x, **ported), states, atol=1e-5)
    assert torch_parameter_count(ported) == gates * (6 * 5 + 6 * 6 + 2 * 6)


def test_parameter_counts_differ_by_the_second_bias_except_for_keras_default_gru():
    x = np.zeros((1, 2, 10), dtype="float32")
    for layer_class, extra in ((keras.layers.SimpleRNN, 32), (keras.layers.LSTM, 128), (keras.layers.GRU, 0)):
        layer = layer_class(32)
        layer(x)
        assert torch_parameter_count(torch_layout(layer)) - layer.count_params() == extra, layer_class.__name__
    # the articles' SimpleRNN(10 -> 32) + Linear(32 -> 1): 1,441 in PyTorch, 1,409 in Keras
    rnn = keras.layers.SimpleRNN(32)
    rnn(x)
    assert torch_parameter_count(torch_layout(rnn)) + 33 == 1441 and rnn.count_params() + 33 == 1409


def test_gru_gate_order_matters_and_agrees_with_lesson_02s_keras_gru():
    keras.utils.set_random_seed(3)
    x = np.random.default_rng(1).normal(size=(2, 8, 4)).astype("float32")
    layer = keras.layers.GRU(5, return_sequences=True, bias_initializer="random_normal")
    states = np.asarray(layer(x))
    kernel, recurrent_kernel, bias = layer.get_weights()
    np.testing.assert_allclose(gru_forward(x, kernel, recurrent_kernel, bias), states, atol=1e-5)
    unordered = {"weight_ih": kernel.T, "weight_hh": recurrent_kernel.T, "bias_ih": bias[0], "bias_hh": bias[1]}
    assert np.abs(torch_gru_forward(x, **unordered) - states).max() > 1e-3  # Keras' z, r, h read as r, z, n


def test_torch_layout_refuses_what_pytorch_does_not_compute():
    x = np.zeros((1, 2, 3), dtype="float32")
    old_gru = keras.layers.GRU(4, reset_after=False)
    old_gru(x)
    with pytest.raises(ValueError, match="reset_after=False"):
        torch_layout(old_gru)
    with pytest.raises(ValueError, match="not built"):
        torch_layout(keras.layers.LSTM(4))
    relu = keras.layers.SimpleRNN(4, activation="relu")
    relu(x)
    with pytest.raises(ValueError, match="default activations"):
        torch_layout(relu)
    with pytest.raises(TypeError, match="SimpleRNN, LSTM or GRU"):
        torch_layout(keras.layers.Dense(3))
    with pytest.raises(ValueError, match="parameters|weight_ih"):
        torch_parameter_count({"weight_ih": np.zeros(3)})


def test_torch_forwards_check_shapes():
    ported = {"weight_ih": np.zeros((4, 3)), "weight_hh": np.zeros((4, 4)), "bias_ih": np.zeros(4),
              "bias_hh": np.zeros(4)}
    assert torch_rnn_forward(np.zeros((2, 5, 3)), **ported).shape == (2, 5, 4)
    with pytest.raises(ValueError, match="x must be"):
        torch_rnn_forward(np.zeros((5, 3)), **ported)
    with pytest.raises(ValueError, match="weight_ih"):
        torch_lstm_forward(np.zeros((2, 5, 3)), **ported)  # one block of rows where an LSTM has four
