"""utils.transformer: position embedding, Transformer block, the causal character model, KV-cache decoding,
the recompute baseline, the one-step recurrent cell and the streaming-cost table. Tiny models only."""

import keras
import numpy as np
import pandas as pd
import pytest
import tensorflow as tf

from utils.checks import ArgumentTypeError
from utils.sentiment import sentiment_classifier
from utils.transformer import (
    AddPositions,
    KVCacheDecoder,
    KVCacheState,
    TransformerBlock,
    causal_char_lm,
    recompute_step,
    recurrent_step,
    streaming_costs,
)

VOCAB, D, HEADS = 11, 16, 2


def tiny_lm(layers, max_len=64, seed=0):
    keras.utils.set_random_seed(seed)
    return causal_char_lm(VOCAB, d_model=D, heads=HEADS, layers=layers, ff_units=24, max_len=max_len)


@pytest.fixture(scope="module")
def lm1():
    return tiny_lm(1)


@pytest.fixture(scope="module")
def lm2():
    return tiny_lm(2)


def sequence_model(block, max_len=16):
    """Word ids -> Embedding(mask_zero) -> AddPositions -> block: the outputs at every step."""
    inputs = keras.Input((None,), dtype="int32")
    x = AddPositions(max_len)(keras.layers.Embedding(20, D, mask_zero=True)(inputs))
    return keras.Model(inputs, block(x))


# ---- AddPositions ------------------------------------------------------------------------------------------------


def test_add_positions_adds_the_first_rows_of_its_table_for_any_length():
    keras.utils.set_random_seed(0)
    layer = AddPositions(6)
    x = np.random.default_rng(0).normal(size=(2, 4, 8)).astype("float32")
    table = None
    for steps in (4, 2, 6):  # one layer, batches of different lengths
        out = np.asarray(layer(x[:, :1].repeat(steps, axis=1)))
        table = np.asarray(layer.positions)
        np.testing.assert_allclose(out - x[:, :1], np.broadcast_to(table[:steps], out.shape), atol=1e-6)
    assert table.shape == (6, 8) and layer.count_params() == 48
    mask = np.array([[True, True, False, False]] * 2)
    assert np.array_equal(np.asarray(layer.compute_mask(x, mask)), mask)  # the mask passes through


def test_add_positions_refuses_a_sequence_longer_than_max_len(lm1):
    layer = AddPositions(4, name="pos")
    layer(np.zeros((1, 4, 8), "float32"))
    with pytest.raises(ValueError, match=r"pos \(AddPositions\) holds positions for at most max_len=4 steps, got a "
                                         r"sequence of 5"):
        layer(np.zeros((1, 5, 8), "float32"))
    with pytest.raises(ValueError, match="max_len=3"):  # at build time too
        AddPositions(3)(np.zeros((1, 5, 8), "float32"))
    short = tiny_lm(1, max_len=8)
    with pytest.raises(tf.errors.InvalidArgumentError, match="max_len=8"):  # time unknown when traced: checked at run
        recompute_step(short)(np.ones((1, 9), "int32"))


# ---- TransformerBlock --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("causal", [False, True])
def test_padding_does_not_change_the_outputs_at_the_real_steps(causal):
    keras.utils.set_random_seed(1)
    model = sequence_model(TransformerBlock(HEADS, 24, dropout=0.1, causal=causal))
    review = [4, 9, 2, 7, 3]
    short, long = (np.array([review + [0] * pad], "int32") for pad in (3, 11))
    a, b = np.asarray(model(short)), np.asarray(model(long))
    np.testing.assert_allclose(a[:, :5], b[:, :5], atol=1e-5)
    if causal:
        return  # post-padding comes after the real steps: a causal block never sees it, mask or not
    # the test has teeth: without the mask the padding does change them
    inputs = keras.Input((None,), dtype="int32")
    unmasked = keras.Model(inputs, model.layers[-1](model.layers[2](keras.layers.Embedding(20, D)(inputs))))
    assert np.abs(np.asarray(unmasked(short))[:, :5] - np.asarray(unmasked(long))[:, :5]).max() > 1e-4


def test_a_causal_block_does_not_look_ahead():
    x = np.random.default_rng(0).normal(size=(2, 8, D)).astype("float32")
    changed = x.copy()
    changed[:, 5:] = np.random.default_rng(1).normal(size=(2, 3, D))
    keras.utils.set_random_seed(0)
    causal, full = TransformerBlock(HEADS, 24, causal=True), TransformerBlock(HEADS, 24)
    a, b = np.asarray(causal(x)), np.asarray(causal(changed))
    np.testing.assert_allclose(a[:, :5], b[:, :5], atol=1e-6)
    assert np.abs(a[:, 5:] - b[:, 5:]).max() > 1e-3
    assert np.abs(np.asarray(full(x))[:, :5] - np.asarray(full(changed))[:, :5]).max() > 1e-3


def test_block_config_and_parameter_count():
    block = TransformerBlock(4, 32, dropout=0.2, causal=True, name="b")
    block(np.zeros((1, 3, D), "float32"))
    config = block.get_config()
    assert {key: config[key] for key in ("heads", "ff_units", "dropout", "causal")} == {
        "heads": 4, "ff_units": 32, "dropout": 0.2, "causal": True}
    copy = TransformerBlock.from_config(config)
    assert (copy.heads, copy.ff_units, copy.dropout, copy.causal, copy.name) == (4, 32, 0.2, True, "b")
    d, ff = D, 32
    assert block.count_params() == 4 * (d * d + d) + (d * ff + ff) + (ff * d + d) + 2 * 2 * d
    assert AddPositions.from_config(AddPositions(7).get_config()).max_len == 7


# ---- the course's IMDB classifier with a Transformer ------------------------------------------------------------


def test_global_average_pooling_averages_the_real_steps_only():
    x = np.arange(2 * 4 * 3, dtype="float32").reshape(2, 4, 3)
    mask = np.array([[True, True, False, False], [True, True, True, True]])
    pooled = np.asarray(keras.layers.GlobalAveragePooling1D()(x, mask=mask))
    np.testing.assert_allclose(pooled, [x[0, :2].mean(axis=0), x[1].mean(axis=0)], atol=1e-6)


def test_transformer_sentiment_classifier_trains_and_ignores_padding():
    keras.utils.set_random_seed(0)
    model = sentiment_classifier(AddPositions(40), TransformerBlock(4, 32), keras.layers.GlobalAveragePooling1D(),
                                 vocab_size=50)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    x = np.random.default_rng(0).integers(1, 50, (4, 12)).astype("int32")
    for row, length in enumerate((12, 7, 3, 9)):
        x[row, length:] = 0  # post-padding, as the course's reviews
    before = [np.asarray(w).copy() for w in model.trainable_weights]
    loss = model.train_on_batch(x, np.array([1, 0, 1, 0]))
    assert np.isfinite(float(np.ravel(loss)[0]))
    assert any(np.abs(np.asarray(w) - b).max() > 0 for w, b in zip(model.trainable_weights, before))
    padded = np.pad(x, ((0, 0), (0, 20)))  # the same reviews, 20 more padding steps
    np.testing.assert_allclose(model.predict(x, verbose=0), model.predict(padded, verbose=0), atol=1e-6)
    np.testing.assert_allclose(model.predict(x[2:3, :3], verbose=0), model.predict(x[2:3], verbose=0), atol=1e-6)


# ---- causal_char_lm, KV cache, recompute -------------------------------------------------------------------------


def test_causal_char_lm_shapes_and_saving(lm1, tmp_path):
    ids = np.random.default_rng(0).integers(0, VOCAB, (3, 9)).astype("int32")
    logits = np.asarray(lm1(ids))
    assert logits.shape == (3, 9, VOCAB)
    assert [type(layer).__name__ for layer in lm1.layers] == [
        "InputLayer", "Embedding", "AddPositions", "TransformerBlock", "LayerNormalization", "Dense"]
    lm1.save(tmp_path / "lm.keras")
    loaded = keras.models.load_model(tmp_path / "lm.keras")
    np.testing.assert_allclose(np.asarray(loaded(ids)), logits, atol=1e-6)


@pytest.mark.parametrize("layers", [1, 2])
def test_kv_cache_steps_give_the_full_model_logits(layers, lm1, lm2):
    model = {1: lm1, 2: lm2}[layers]
    ids = np.random.default_rng(layers).integers(0, VOCAB, 12)
    full = np.asarray(model(ids[None].astype("int32")))[0]
    decoder = KVCacheDecoder(model)
    state = decoder.empty()
    assert decoder.state_bytes(state) == 0
    stepped = []
    for t, token in enumerate(ids):
        logits, state = decoder.step(int(token), state)
        stepped.append(np.asarray(logits))
        assert state.position == t + 1 and state.keys[0].shape == (1, t + 1, HEADS, D // HEADS)
    np.testing.assert_allclose(np.array(stepped), full, atol=1e-4)
    assert decoder.state_bytes(state) == 2 * layers * 12 * D * 4
    logits, state = decoder.prefill(ids[:5])  # a prompt in one pass, then steps: the same logits
    np.testing.assert_allclose(np.asarray(logits), full[4], atol=1e-4)
    for t in range(5, 12):
        logits, state = decoder.step(int(ids[t]), state)
        np.testing.assert_allclose(np.asarray(logits), full[t], atol=1e-4)
    recompute = recompute_step(model)
    for t in (1, 6, 12):
        np.testing.assert_allclose(np.asarray(recompute(ids[None, :t])), full[t - 1], atol=1e-5)


def test_decoding_traces_once(lm2):
    decoder, recompute = KVCacheDecoder(lm2), recompute_step(lm2)
    state = decoder.empty()
    for token in range(50):
        logits, state = decoder.step(token % VOCAB, state)
        if token % 10 == 0:
            recompute(np.arange(token + 1) % VOCAB)
    assert state.position == 50 and decoder.traces == 1 and recompute.traces == 1


def test_the_decoder_stops_at_max_len_and_refuses_bad_input(lm1):
    decoder = KVCacheDecoder(tiny_lm(1, max_len=3))
    state = decoder.prefill([1, 2, 3])[1]
    with pytest.raises(ValueError, match="context is full.*max_len=3"):
        decoder.step(1, state)
    with pytest.raises(ValueError, match="more than the model's max_len=3"):
        decoder.prefill([1, 2, 3, 4])
    decoder = KVCacheDecoder(lm1)
    with pytest.raises(ValueError, match=rf"token_id must be an integer in \[0, {VOCAB}\)"):
        decoder.step(VOCAB, decoder.empty())
    with pytest.raises(ValueError, match="token_id"):
        decoder.step(1.0, decoder.empty())
    with pytest.raises(ArgumentTypeError, match="KVCacheState"):
        decoder.step(1, (decoder.empty().keys, decoder.empty().values, 0))
    with pytest.raises(ArgumentTypeError, match="KVCacheState"):
        decoder.step(1, KVCacheDecoder(tiny_lm(2)).empty())  # another decoder's, with more layers
    with pytest.raises(ArgumentTypeError, match="token ids"):
        decoder.prefill(np.zeros((2, 3), "int32"))
    with pytest.raises(ValueError, match=rf"in \[0, {VOCAB}\)"):
        decoder.prefill([1, -1])
    with pytest.raises(ArgumentTypeError, match="KVCacheState"):
        decoder.state_bytes([np.zeros(3)])
    assert isinstance(decoder.empty(), KVCacheState)


def test_the_decoder_refuses_models_it_cannot_step():
    with pytest.raises(ArgumentTypeError, match="causal_char_lm"):
        KVCacheDecoder("model")
    classifier = sentiment_classifier(keras.layers.GRU(4), vocab_size=20)
    with pytest.raises(ValueError, match="not laid out as causal_char_lm.*GRU"):
        KVCacheDecoder(classifier)
    inputs = keras.Input((None,), dtype="int32")
    x = TransformerBlock(2, 8, causal=False)(AddPositions(8)(keras.layers.Embedding(5, 4)(inputs)))
    bidirectional = keras.Model(inputs, keras.layers.Dense(5)(keras.layers.LayerNormalization()(x)))
    with pytest.raises(ValueError, match="causal=False"):
        KVCacheDecoder(bidirectional)
    with pytest.raises(ArgumentTypeError, match="Keras model"):
        recompute_step(lambda ids: ids)
    with pytest.raises(ArgumentTypeError, match="token ids"):
        recompute_step(classifier)(np.zeros((1, 3), "float32"))


# ---- recurrent_step and streaming_costs --------------------------------------------------------------------------


@pytest.mark.parametrize("cell_class", [keras.layers.GRUCell, keras.layers.LSTMCell])
def test_recurrent_step_follows_the_cell_over_a_sequence(cell_class):
    keras.utils.set_random_seed(0)
    cell = cell_class(6)
    step = recurrent_step(cell, input_dim=3)
    x = np.random.default_rng(0).normal(size=(1, 5, 3)).astype("float32")
    state = step.initial_state()
    for t in range(5):
        output, state = step(x[:, t], state)
    expected = keras.layers.RNN(cell)(x)  # the same cell and weights, over the whole sequence
    np.testing.assert_allclose(np.asarray(output), np.asarray(expected), atol=1e-5)
    assert len(state) == (2 if cell_class is keras.layers.LSTMCell else 1) and step.traces == 1
    assert recurrent_step(cell).input_dim == 3  # a built cell: its width is read from its kernel


def test_recurrent_step_refuses_bad_cells():
    with pytest.raises(ArgumentTypeError, match="recurrent cell"):
        recurrent_step(keras.layers.Dense(3), input_dim=2)
    with pytest.raises(ValueError, match="input_dim is needed"):
        recurrent_step(keras.layers.GRUCell(4))
    with pytest.raises(ValueError, match="input_dim must be a positive integer"):
        recurrent_step(keras.layers.GRUCell(4), input_dim=0)
    with pytest.raises(ValueError, match="does not match the built cell's input width 3"):
        recurrent_step(recurrent_step(keras.layers.GRUCell(4), input_dim=3).cell, input_dim=5)


def test_streaming_costs_table(lm1):
    methods = {"gru": recurrent_step(keras.layers.GRUCell(8), input_dim=4), "kv_cache": KVCacheDecoder(lm1),
               "recompute": recompute_step(lm1)}
    table = streaming_costs(methods, contexts=(0, 3, 9), repeats=3, warmup=1)
    assert isinstance(table, pd.DataFrame)
    assert list(table.columns) == ["method", "context", "p50_us", "p99_us", "mean_us", "state_bytes"]
    assert table["method"].tolist() == ["gru", "kv_cache", "recompute"] * 3
    assert table["context"].tolist() == [0, 0, 0, 3, 3, 3, 9, 9, 9]
    assert (table[["p50_us", "p99_us", "mean_us"]] > 0).all().all()
    assert (table["p99_us"] >= table["p50_us"]).all()
    by = table.set_index(["method", "context"])["state_bytes"]
    assert [by["gru", t] for t in (0, 3, 9)] == [8 * 4] * 3  # the state does not grow
    assert [by["kv_cache", t] for t in (0, 3, 9)] == [2 * 1 * t * D * 4 for t in (0, 3, 9)]
    assert [by["recompute", t] for t in (0, 3, 9)] == [0, 12, 36]


@pytest.mark.parametrize("kwargs, error, match", [
    ({"step_fns": {}}, ArgumentTypeError, "non-empty dict"),
    ({"step_fns": {"f": lambda: None}}, ArgumentTypeError, r"step_fns\['f'\]"),
    ({"contexts": 5}, ArgumentTypeError, "list of context lengths"),
    ({"contexts": []}, ValueError, "at least one"),
    ({"contexts": [3, -1]}, ValueError, r"contexts\[1\]"),
    ({"contexts": [64]}, ValueError, "context=64 is more than"),
    ({"repeats": 0}, ValueError, "repeats must be a positive integer"),
    ({"warmup": -1}, ValueError, "warmup"),
])
def test_streaming_costs_refuses_bad_input(kwargs, error, match, lm1):
    arguments = {"step_fns": {"kv": KVCacheDecoder(lm1)}, "contexts": [2], "repeats": 1, "warmup": 0, **kwargs}
    with pytest.raises(error, match=match):
        streaming_costs(**arguments)


# ---- bad arguments to the layers and the model ------------------------------------------------------------------


@pytest.mark.parametrize("build, error, match", [
    (lambda: AddPositions(0), ValueError, "max_len must be a positive integer"),
    (lambda: AddPositions("5"), ValueError, "max_len must be a positive integer"),
    (lambda: TransformerBlock(0, 8), ValueError, "heads must be a positive integer"),
    (lambda: TransformerBlock(2, 8.0), ValueError, "ff_units must be a positive integer"),
    (lambda: TransformerBlock(2, 8, dropout=1.0), ValueError, r"dropout must be in \[0, 1\)"),
    (lambda: TransformerBlock(2, 8, dropout="0.1"), ArgumentTypeError, "dropout must be a number"),
    (lambda: TransformerBlock(2, 8, causal=1), ArgumentTypeError, "causal must be True or False"),
    (lambda: TransformerBlock(3, 8)(np.zeros((1, 2, 8), "float32")), ValueError, "d=8 .* multiple of heads=3"),
    (lambda: TransformerBlock(2, 8)(np.zeros((2, 8), "float32")), ValueError, r"\[batch, time, d\]"),
    (lambda: AddPositions(4)(np.zeros((2, 8), "float32")), ValueError, r"\[batch, time, d\]"),
    (lambda: causal_char_lm(0), ValueError, "vocab_size must be a positive integer"),
    (lambda: causal_char_lm(10, d_model=10, heads=4), ValueError, "d_model=10 must be a multiple of heads=4"),
    (lambda: causal_char_lm(10, layers=0), ValueError, "layers must be a positive integer"),
    (lambda: causal_char_lm(10, ff_units=-2), ValueError, "ff_units must be a positive integer"),
    (lambda: causal_char_lm(10, max_len=None), ValueError, "max_len must be a positive integer"),
    (lambda: causal_char_lm(10, dropout=2), ValueError, r"dropout must be in \[0, 1\)"),
])
def test_layers_and_model_refuse_bad_arguments(build, error, match):
    with pytest.raises(error, match=match):
        build()
