"""utils.chars: the character ids, the training chunks and lesson 06's character model."""

import keras
import numpy as np
import pytest

from utils.chars import char_lookup, char_model, char_sequences, encode
from utils.checks import ArgumentTypeError


def test_lookup_ids_are_sorted_and_unknown_is_zero():
    to_ids = char_lookup("banana!")
    assert to_ids.get_vocabulary() == ["[UNK]", "!", "a", "b", "n"]
    assert encode(to_ids, "ban?").tolist() == [3, 2, 4, 0]  # "?" was never seen: [UNK]
    assert encode(to_ids, "").tolist() == []
    assert encode(to_ids, "a").dtype == np.int64


@pytest.mark.parametrize("text", ["", None, 12, ["ab"]])
def test_lookup_refuses_what_is_not_a_text(text):
    with pytest.raises((ArgumentTypeError, ValueError), match="train_text"):
        char_lookup(text)


def test_encode_refuses_bad_arguments():
    with pytest.raises(ArgumentTypeError, match="to_ids"):
        encode({"a": 1}, "a")
    with pytest.raises(ArgumentTypeError, match="text"):
        encode(char_lookup("ab"), b"ab")


def test_sequences_are_consecutive_chunks_shifted_by_one():
    ids = np.arange(23)
    batches = list(char_sequences(ids, seq_len=4, batch_size=2, shuffle=False))
    inputs = np.concatenate([x.numpy() for x, _ in batches])
    targets = np.concatenate([y.numpy() for _, y in batches])
    assert inputs.tolist() == [[0, 1, 2, 3], [5, 6, 7, 8], [10, 11, 12, 13], [15, 16, 17, 18]]
    assert np.array_equal(targets, inputs + 1)
    assert [len(x) for x, _ in batches] == [2, 2]  # 23 ids: four chunks of 5, the last 3 ids dropped


def test_shuffled_sequences_drop_the_small_last_batch_and_keep_the_pairs():
    ids = np.arange(60)
    batches = list(char_sequences(ids, seq_len=4, batch_size=5, shuffle=True, seed=3))
    assert [len(x) for x, _ in batches] == [5, 5]  # 12 chunks: two full batches
    chunks = np.concatenate([x.numpy() for x, _ in batches])
    assert all(row[0] % 5 == 0 and np.array_equal(row, np.arange(row[0], row[0] + 4)) for row in chunks)
    first = [x.numpy().tolist() for x, _ in char_sequences(ids, seq_len=4, batch_size=5, shuffle=True, seed=3)]
    again = [x.numpy().tolist() for x, _ in char_sequences(ids, seq_len=4, batch_size=5, shuffle=True, seed=3)]
    assert first == again  # the same seed, the same order


@pytest.mark.parametrize("kwargs, error, words", [
    ({"seq_len": 0}, ValueError, "seq_len"),
    ({"batch_size": 2.5}, ValueError, "batch_size"),
    ({"shuffle": "yes"}, ArgumentTypeError, "shuffle"),
    ({"seq_len": 30}, ValueError, "fewer than one chunk"),
])
def test_sequences_refuse_bad_settings(kwargs, error, words):
    settings = {"seq_len": 4, "batch_size": 2, "shuffle": False, **kwargs}
    with pytest.raises(error, match=words):
        char_sequences(np.arange(20), **settings)


def test_sequences_refuse_ids_that_are_not_integers():
    with pytest.raises(ArgumentTypeError, match="ids"):
        char_sequences(np.linspace(0, 1, 20), seq_len=4, batch_size=2, shuffle=False)
    with pytest.raises(ArgumentTypeError, match="ids"):
        char_sequences(np.zeros((4, 5), "int64"), seq_len=2, batch_size=2, shuffle=False)


@pytest.mark.parametrize("cell, layer, params", [
    ("simple_rnn", keras.layers.SimpleRNN, 11 * 4 + 4 * 3 + 3 * 3 + 3 + 3 * 11 + 11),
    ("lstm", keras.layers.LSTM, 11 * 4 + 4 * (4 * 3 + 3 * 3 + 3) + 3 * 11 + 11),
    ("gru", keras.layers.GRU, 11 * 4 + 3 * (4 * 3 + 3 * 3 + 2 * 3) + 3 * 11 + 11),
])
def test_char_model_is_lesson_06s_architecture(cell, layer, params):
    model = char_model(cell, vocab_size=11, units=3, learning_rate=0.01, embedding_dim=4)
    assert [type(lay) for lay in model.layers[1:]] == [keras.layers.Embedding, layer, keras.layers.Dense]
    assert model.count_params() == params
    assert model.layers[2].return_sequences
    logits = model.predict(np.array([[1, 2, 3]]), verbose=0)
    assert logits.shape == (1, 3, 11)
    loss = model.evaluate(np.array([[1, 2, 3]]), np.array([[2, 3, 4]]), verbose=0)
    assert abs(loss - np.log(11)) < 0.2  # untrained: about uniform over 11 characters, in nats


@pytest.mark.parametrize("kwargs, words", [
    ({"cell": "rnn"}, "cell must be one of"),
    ({"units": 0}, "units"),
    ({"learning_rate": 1.5}, "learning_rate"),
    ({"learning_rate": True}, "learning_rate"),
    ({"vocab_size": -2}, "vocab_size"),
])
def test_char_model_refuses_bad_settings(kwargs, words):
    settings = {"cell": "gru", "vocab_size": 5, "units": 2, "learning_rate": 0.01, **kwargs}
    cell = settings.pop("cell")
    with pytest.raises(ValueError, match=words):
        char_model(cell, **settings)
