"""utils.memory_task: lesson 03's recall model, its training on fresh batches, its accuracy, chrono gates."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from utils.memory_task import _batch_seed, accuracy, build, chrono, train_at  # noqa: E402
from utils.sequences import recall_task  # noqa: E402

TINY = {"vocab": 4, "units": 4}


def test_build_gives_one_softmax_per_token():
    model = build(keras.layers.GRU, seed=0, n_tokens=3, **TINY)
    x, _ = recall_task(5, lag=2, vocab_size=4, seed=0, n_tokens=3)
    probabilities = model.predict(x, verbose=0)
    assert probabilities.shape == (5, 3, 4)
    np.testing.assert_allclose(probabilities.sum(-1), 1.0, rtol=1e-5)
    # Embedding(4, 8) + GRU(4) on 8 features + Dense(4 * 3)
    assert model.count_params() == 4 * 8 + 3 * 4 * (8 + 4 + 2) + (4 * 12 + 12)


def test_build_is_repeatable_by_seed():
    first = build(keras.layers.LSTM, seed=3, **TINY).get_weights()
    again = build(keras.layers.LSTM, seed=3, **TINY).get_weights()
    other = build(keras.layers.LSTM, seed=4, **TINY).get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    assert not all(np.array_equal(a, b) for a, b in zip(first, other))


def test_accuracy_is_the_share_of_tokens_recalled():
    model = build(keras.layers.SimpleRNN, seed=0, n_tokens=2, **TINY)
    x, y = recall_task(40, lag=3, vocab_size=4, seed=7, n_tokens=2)
    expected = np.mean(model.predict(x, verbose=0).argmax(-1) == y)
    assert accuracy(model, 3, seed=7, n=40, n_tokens=2, vocab=4) == pytest.approx(expected)


def test_batch_seeds_are_the_lessons():
    assert _batch_seed(0, 20, 50) == 10_000_000 + 200_000 + 50
    assert _batch_seed(2, 5, 0) == 30_000_000 + 50_000


class FakeModel:
    """Records the batches ``fit`` gets; ``predict`` recalls the first token(s) when ``perfect``, else token 0."""

    def __init__(self, perfect=False, n_tokens=1, vocab=4):
        self.perfect, self.n_tokens, self.vocab, self.fitted = perfect, n_tokens, vocab, []

    def fit(self, x, y, batch_size, epochs, shuffle, verbose):
        self.fitted.append((x, y, batch_size))

    def predict(self, x, **_):
        tokens = x[:, :self.n_tokens] if self.perfect else np.zeros((len(x), self.n_tokens), dtype=int)
        return np.eye(self.vocab)[tokens]


def test_train_at_draws_the_lessons_batches_and_continues_them_from_first_step():
    model = FakeModel()
    assert train_at(model, 3, 4, seed=1, stop_early=False, vocab=4, batch_size=8, check_every=2) == 4
    train_at(model, 3, 2, seed=1, stop_early=False, vocab=4, batch_size=8, check_every=2, first_step=2)
    expected = [recall_task(16, 3, 4, seed=_batch_seed(1, 3, step)) for step in (0, 2, 2)]
    assert len(model.fitted) == 3
    for (x, y, batch_size), (x_expected, y_expected) in zip(model.fitted, expected):
        np.testing.assert_array_equal(x, x_expected)
        np.testing.assert_array_equal(y, y_expected.reshape(16, 1))
        assert batch_size == 8


def test_train_at_stops_early_only_when_asked():
    assert train_at(FakeModel(), 2, 5, seed=0, vocab=4, batch_size=4, check_every=2) == 6  # never solves it
    assert train_at(FakeModel(perfect=True), 2, 10, seed=0, vocab=4, batch_size=4, check_every=2) == 2
    assert train_at(FakeModel(perfect=True), 2, 10, seed=0, stop_early=False, vocab=4, batch_size=4,
                    check_every=5) == 10
    assert accuracy(FakeModel(perfect=True, n_tokens=2), 3, seed=0, n=10, n_tokens=2, vocab=4) == 1.0


def test_train_at_trains_a_real_model():
    model = build(keras.layers.GRU, seed=0, n_tokens=2, **TINY)
    before = model.get_weights()
    assert train_at(model, 2, 2, seed=0, n_tokens=2, stop_early=False, vocab=4, batch_size=8, check_every=2) == 2
    assert not all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))


def test_chrono_biases_keep_the_first_token():
    t_max = 50
    keep = np.log(np.random.default_rng(0).uniform(1, t_max - 1, 4)).astype("float32")
    lstm = chrono(keras.layers.LSTM, t_max)(4)
    lstm.build((None, None, 3))
    bias = lstm.get_weights()[2]
    np.testing.assert_array_equal(bias[4:8], keep)  # forget gate
    np.testing.assert_array_equal(bias[:4], -keep)  # input gate
    assert not bias[8:].any() and not lstm.unit_forget_bias
    gru = chrono(keras.layers.GRU, t_max)(4)
    gru.build((None, None, 3))
    bias = gru.get_weights()[2]
    np.testing.assert_array_equal(bias[0, :4], keep)  # input-side update gate
    assert not bias[0, 4:].any() and not bias[1].any()


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: build("lstm", 0), "cell"),
        (lambda: build(keras.layers.GRU, -1), "seed"),
        (lambda: build(keras.layers.GRU, 0, n_tokens=0), "n_tokens"),
        (lambda: build(keras.layers.GRU, 0, units=2.5), "units"),
        (lambda: build(keras.layers.GRU, 0, clipnorm=0), "clipnorm"),
        (lambda: build(keras.layers.GRU, 0, jit_compile="yes"), "jit_compile"),
        (lambda: accuracy(None, 0, 0), "lag"),
        (lambda: accuracy(None, 5, 0, n=0), "n must"),
        (lambda: train_at(None, 5, 0, 0), "max_steps"),
        (lambda: train_at(None, 5, 10, 0, check_every=0), "check_every"),
        (lambda: train_at(None, 5, 10, 0, first_step=-50), "first_step"),
        (lambda: train_at(None, 5, 10, 0, stop_early="no"), "stop_early"),
        (lambda: chrono(keras.layers.SimpleRNN, 10), "cell_class"),
        (lambda: chrono(keras.layers.LSTM, 0), "t_max"),
    ],
)
def test_bad_input_names_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()
