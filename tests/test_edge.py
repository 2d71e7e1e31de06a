"""utils.edge: the one-step model, its LiteRT file (float32 and int8), the loss per character, the export report.

Tiny models (vocabulary 10, units 6) keep this file fast; each conversion takes about half a second.
"""

import importlib.util
import sys

import keras
import numpy as np
import pytest

from utils.cells import CELL_NAMES, CELLS
from utils.checks import ArgumentTypeError
from utils.edge import (
    RUNTIMES,
    KerasStep,
    LiteRTStep,
    SequenceNats,
    copy_weights,
    export_litert,
    export_report,
    keras_step,
    one_step_model,
    sequence_nats,
)

VOCAB, EMBED, UNITS = 10, 8, 6
HAS_LITERT = importlib.util.find_spec("ai_edge_litert") is not None


def sequence_model(cell_key, *, units=UNITS, length=None, **cell_options):
    """Lesson 06's character model, small: Input → Embedding → cell(return_sequences=True) → Dense (logits)."""
    inputs = keras.Input((length,), dtype="int64")
    x = keras.layers.Embedding(VOCAB, EMBED)(inputs)
    x = CELLS[cell_key](units, return_sequences=True, **cell_options)(x)
    return keras.Model(inputs, keras.layers.Dense(VOCAB)(x))


def randomize(model, seed, scale=0.5):
    """Weights drawn with a spread like a trained model's, so that logits and states are far from zero."""
    rng = np.random.default_rng(seed)
    model.set_weights([rng.normal(0.0, scale, w.shape).astype("float32") for w in model.get_weights()])
    return model


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """Per cell: a whole-sequence model, its one-step twin and the twin's float32 LiteRT file."""
    folder = tmp_path_factory.mktemp("edge")
    models = {}
    for index, key in enumerate(CELL_NAMES):
        keras.utils.set_random_seed(index)
        sequence = randomize(sequence_model(key), seed=index)
        step = copy_weights(sequence, one_step_model(key, vocab_size=VOCAB, units=UNITS, embedding_dim=EMBED))
        models[key] = (sequence, step, export_litert(step, folder / f"{key}.tflite"))
    return models


IDS = np.random.default_rng(0).integers(0, VOCAB, 16)


def logits_of_whole_sequence(model, ids):
    return keras.ops.convert_to_numpy(model(ids[None, :], training=False))[0]  # [len(ids), VOCAB]


def run_steps(step, ids):
    """Logits at every position and every state along the way, carrying the state from zeros."""
    state, logits, states = step.zero_state(), [], []
    for token in ids:
        out, state = step(int(token), state)
        logits.append(out)
        states.append(state)
    return np.stack(logits), states


# ---- the one-step model -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("key, state_names", [("simple_rnn", ["h"]), ("lstm", ["h", "c"]), ("gru", ["h"])])
def test_one_step_model_has_named_inputs_and_outputs(key, state_names):
    model = one_step_model(key, vocab_size=VOCAB, units=UNITS, embedding_dim=EMBED)
    assert [t.name for t in model.inputs] == ["token", *state_names]
    assert [tuple(t.shape) for t in model.inputs] == [(1, 1)] + [(1, UNITS)] * len(state_names)
    assert "int32" in str(model.inputs[0].dtype)
    assert [tuple(t.shape) for t in model.outputs] == [(1, VOCAB)] + [(1, UNITS)] * len(state_names)
    assert isinstance(model.get_layer("cell"), {"simple_rnn": keras.layers.SimpleRNNCell,
                                                "lstm": keras.layers.LSTMCell, "gru": keras.layers.GRUCell}[key])


def test_the_gru_cell_computes_what_the_gru_layer_does():
    cell = one_step_model("gru", vocab_size=VOCAB, units=UNITS).get_layer("cell")
    assert cell.reset_after == keras.layers.GRU(UNITS).cell.reset_after


@pytest.mark.parametrize("key", CELL_NAMES)
def test_copied_weights_reproduce_the_whole_sequence_logits(trained, key):
    sequence, step, _ = trained[key]
    step_logits, _ = run_steps(keras_step(step), IDS)
    np.testing.assert_allclose(step_logits, logits_of_whole_sequence(sequence, IDS), atol=1e-5)
    assert np.ptp(step_logits) > 1.0  # the logits are not all near zero: the comparison means something


# ---- LiteRT -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", CELL_NAMES)
def test_float32_litert_matches_the_keras_step(trained, key):
    _, step, path = trained[key]
    lite = LiteRTStep(path)
    assert lite.runtime == ("ai_edge_litert" if HAS_LITERT else "tensorflow.lite")
    assert lite.size_bytes == path.stat().st_size > 0
    assert lite.vocab_size == VOCAB and lite.state_shapes == ((1, UNITS),) * (2 if key == "lstm" else 1)
    lite_logits, lite_states = run_steps(lite, IDS)
    keras_logits, keras_states = run_steps(keras_step(step), IDS)
    np.testing.assert_allclose(lite_logits, keras_logits, atol=1e-5)
    for ours, theirs in zip(lite_states, keras_states):
        for a, b in zip(ours, theirs):
            assert a.dtype == np.float32 and a.shape == (1, UNITS)
            np.testing.assert_allclose(a, b, atol=1e-5)
    assert lite_logits.dtype == np.float32 and lite_logits.shape == (IDS.size, VOCAB)


def test_the_state_returned_is_a_copy(trained):
    lite = LiteRTStep(trained["lstm"][2])
    _, first = lite(3, lite.zero_state())
    kept = [array.copy() for array in first]
    lite(7, first)
    lite(1, lite.zero_state())
    for array, copy in zip(first, kept):
        np.testing.assert_array_equal(array, copy)


def test_tf_lite_interpreter_gives_the_same_outputs(trained):
    _, _, path = trained["gru"]
    lite = LiteRTStep(path, runtime="tensorflow.lite")
    assert lite.runtime == "tensorflow.lite"
    np.testing.assert_allclose(run_steps(lite, IDS)[0], run_steps(LiteRTStep(path), IDS)[0], atol=1e-6)


def test_without_ai_edge_litert_the_tf_lite_interpreter_is_used(trained, monkeypatch):
    monkeypatch.setitem(sys.modules, "ai_edge_litert", None)  # import ai_edge_litert now raises ImportError
    monkeypatch.setitem(sys.modules, "ai_edge_litert.interpreter", None)
    assert LiteRTStep(trained["simple_rnn"][2]).runtime == "tensorflow.lite"
    with pytest.raises(ImportError, match="pip install ai-edge-litert"):
        LiteRTStep(trained["simple_rnn"][2], runtime="ai_edge_litert")


@pytest.mark.skipif(not HAS_LITERT, reason="ai_edge_litert is not installed")
def test_ai_edge_litert_on_request(trained):
    assert LiteRTStep(trained["simple_rnn"][2], runtime="ai_edge_litert").runtime == "ai_edge_litert"


def test_int8_weights_shrink_the_file_and_stay_close(tmp_path):
    keras.utils.set_random_seed(3)
    model = randomize(one_step_model("gru", vocab_size=50, units=64, embedding_dim=32), seed=3, scale=0.3)
    float32 = LiteRTStep(export_litert(model, tmp_path / "gru.tflite"))
    int8 = LiteRTStep(export_litert(model, tmp_path / "gru_int8.tflite", quantize=True))
    assert int8.size_bytes < 0.4 * float32.size_bytes  # int8 weights: about a quarter of float32's bytes
    ids = np.random.default_rng(1).integers(0, 50, 24)
    exact, approximate = run_steps(float32, ids)[0], run_steps(int8, ids)[0]
    difference = np.abs(exact - approximate).max()
    assert 0 < difference < 0.05 * np.ptp(exact)
    exact_nats, approximate_nats = sequence_nats(float32, ids), sequence_nats(int8, ids)
    assert not np.array_equal(exact_nats.per_position, approximate_nats.per_position)
    assert abs(exact_nats.nats_per_char - approximate_nats.nats_per_char) < 0.05 * exact_nats.nats_per_char


def test_export_litert_returns_a_path_and_makes_folders(trained, tmp_path):
    path = export_litert(trained["gru"][1], str(tmp_path / "new" / "folder" / "gru.tflite"))
    assert path == tmp_path / "new" / "folder" / "gru.tflite" and path.stat().st_size > 1000


# ---- loss per character -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", CELL_NAMES)
def test_sequence_nats_is_the_whole_sequence_cross_entropy(trained, key):
    sequence, step, path = trained[key]
    expected = keras.ops.convert_to_numpy(keras.losses.sparse_categorical_crossentropy(
        IDS[None, 1:], sequence(IDS[None, :-1], training=False), from_logits=True))[0]
    for stepper in (keras_step(step), LiteRTStep(path)):
        result = sequence_nats(stepper, IDS)
        assert isinstance(result, SequenceNats) and result.per_position.shape == (IDS.size - 1,)
        np.testing.assert_allclose(result.per_position, expected, atol=1e-5)
        assert result.nats_per_char == pytest.approx(expected.mean(), abs=1e-5)
        nats, per_position = result  # a named tuple: it unpacks
        assert nats == result.nats_per_char and per_position is result.per_position


def test_sequence_nats_starts_from_the_state_given(trained):
    _, step, _ = trained["lstm"]
    stepper = keras_step(step)
    _, state = stepper(int(IDS[0]), stepper.zero_state())
    from_the_second = sequence_nats(stepper, IDS[1:], state=state)
    np.testing.assert_allclose(from_the_second.per_position, sequence_nats(stepper, IDS).per_position[1:],
                               atol=1e-6)


def test_sequence_nats_takes_any_step_function_with_a_state():
    calls = []

    def uniform(token, state):  # every token equally likely: log(VOCAB) nats each
        calls.append(token)
        return np.zeros(VOCAB, dtype="float32"), state

    result = sequence_nats(uniform, [1, 2, 3], state=[np.zeros((1, 4))])
    assert calls == [1, 2] and result.nats_per_char == pytest.approx(np.log(VOCAB))
    with pytest.raises(ArgumentTypeError, match="zero_state"):
        sequence_nats(uniform, [1, 2, 3])


# ---- the whole-sequence model: what its conversion needs ----------------------------------------------------------


def test_whole_sequence_export_needs_flex_ops_for_any_batch_size():
    report = export_report(sequence_model("gru"))
    assert report["builtins_only"] is False and "TensorListReserve" in report["error"]
    assert {"TensorListReserve", "TensorListSetItem", "TensorListStack"} <= set(report["flex_ops"])
    assert "WHILE" in report["ops"] and "FlexTensorListReserve" in report["ops"]
    assert report["runs"] is False and "Flex" in report["run_error"]
    assert list(report["input_shapes"].values()) == [[None, None]]
    assert report["runtime"] in RUNTIMES and report["size_bytes"] > 0


@pytest.mark.parametrize("key", ["simple_rnn", "lstm"])
def test_whole_sequence_export_with_batch_size_one_needs_builtins_only(key):
    report = export_report(sequence_model(key), batch_size=1)
    assert report["builtins_only"] is True and report["flex_ops"] == [] and report["error"] is None
    assert "WHILE" in report["ops"] and not any(name.startswith("Flex") for name in report["ops"])
    assert report["runs"] is True and report["run_error"] is None
    assert list(report["input_shapes"].values()) == [[1, None]]


def test_export_litert_refuses_a_model_that_needs_flex_ops(tmp_path):
    with pytest.raises(ValueError, match=r"builtin operations alone: .*TensorListReserve.*export_report"):
        export_litert(sequence_model("simple_rnn"), tmp_path / "whole.tflite")
    assert not (tmp_path / "whole.tflite").exists()


# ---- bad input --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("args, kwargs, error, match", [
    (("rnn",), {"vocab_size": 10, "units": 4}, ValueError, "simple_rnn, lstm, gru"),
    ((keras.layers.GRU,), {"vocab_size": 10, "units": 4}, ArgumentTypeError, "cell_key"),
    (("gru",), {"vocab_size": 0, "units": 4}, ValueError, "vocab_size must be a positive integer"),
    (("gru",), {"vocab_size": 10, "units": 4.0}, ArgumentTypeError, "units must be a positive integer"),
    (("gru",), {"vocab_size": 10, "units": 4, "embedding_dim": True}, ArgumentTypeError, "embedding_dim"),
])
def test_one_step_model_refuses_bad_arguments(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        one_step_model(*args, **kwargs)


def step_of(key, units=UNITS, vocab=VOCAB, embed=EMBED):
    return one_step_model(key, vocab_size=vocab, units=units, embedding_dim=embed)


@pytest.mark.parametrize("make_sequence, step, match", [
    (lambda: sequence_model("gru"), lambda: step_of("lstm"), "has a GRUCell, but step_model has a LSTMCell"),
    (lambda: sequence_model("gru"), lambda: step_of("gru", units=7), "units differs: 6 in sequence_model, 7"),
    (lambda: sequence_model("gru"), lambda: step_of("gru", vocab=11), "vocabulary"),
    (lambda: sequence_model("gru"), lambda: step_of("gru", embed=9), "embedding_dim"),
    (lambda: sequence_model("gru", reset_after=False), lambda: step_of("gru"), "reset_after"),
    (lambda: sequence_model("simple_rnn", activation="relu"), lambda: step_of("simple_rnn"), "activation"),
    (lambda: sequence_model("lstm", go_backwards=True), lambda: step_of("lstm"), "go_backwards"),
])
def test_copy_weights_refuses_a_mismatch(make_sequence, step, match):
    with pytest.raises(ValueError, match=match):
        copy_weights(make_sequence(), step())


def test_copy_weights_refuses_other_architectures():
    inputs = keras.Input((None,), dtype="int64")
    x = keras.layers.Embedding(VOCAB, EMBED, mask_zero=True)(inputs)
    masked = keras.Model(inputs, keras.layers.Dense(VOCAB)(keras.layers.GRU(UNITS, return_sequences=True)(x)))
    with pytest.raises(ValueError, match="mask_zero"):
        copy_weights(masked, step_of("gru"))
    x = keras.layers.Embedding(VOCAB, EMBED)(inputs)
    x = keras.layers.GRU(UNITS, return_sequences=True)(keras.layers.GRU(UNITS, return_sequences=True)(x))
    with pytest.raises(ValueError, match="exactly one recurrent layer, found 2"):
        copy_weights(keras.Model(inputs, keras.layers.Dense(VOCAB)(x)), step_of("gru"))
    x = keras.layers.Bidirectional(keras.layers.GRU(UNITS, return_sequences=True))(
        keras.layers.Embedding(VOCAB, EMBED)(inputs))
    with pytest.raises(ValueError, match="Bidirectional"):
        copy_weights(keras.Model(inputs, keras.layers.Dense(VOCAB)(x)), step_of("gru"))
    x = keras.layers.GRU(UNITS, return_sequences=True)(keras.layers.Embedding(VOCAB, EMBED)(inputs))
    softmax = keras.Model(inputs, keras.layers.Dense(VOCAB, activation="softmax")(x))
    with pytest.raises(ValueError, match="Dense layers' activation differs.*logits"):
        copy_weights(softmax, step_of("gru"))
    with pytest.raises(ArgumentTypeError, match="sequence_model must be a Keras model"):
        copy_weights("model.keras", step_of("gru"))
    with pytest.raises(ArgumentTypeError, match="step_model must be a Keras model"):
        copy_weights(sequence_model("gru"), None)


def test_export_litert_refuses_bad_arguments(trained, tmp_path):
    step = trained["gru"][1]
    with pytest.raises(ValueError, match=r"\.tflite"):
        export_litert(step, tmp_path / "gru.keras")
    with pytest.raises(ArgumentTypeError, match="quantize must be True or False"):
        export_litert(step, tmp_path / "gru.tflite", quantize="int8")
    with pytest.raises(ArgumentTypeError, match="file path"):
        export_litert(step, None)
    with pytest.raises(ArgumentTypeError, match="model must be a Keras model"):
        export_litert(step.get_layer("cell"), tmp_path / "gru.tflite")


def test_litert_step_refuses_bad_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="export_litert"):
        LiteRTStep(tmp_path / "missing.tflite")
    garbage = tmp_path / "garbage.tflite"
    garbage.write_bytes(b"not a flatbuffer" * 10)
    with pytest.raises(ValueError, match="not a LiteRT model file"):
        LiteRTStep(garbage)
    inputs = keras.Input((3,), name="features")
    other = export_litert(keras.Model(inputs, keras.layers.Dense(2)(inputs)), tmp_path / "dense.tflite")
    with pytest.raises(ValueError, match=r"not a one-step model.*inputs \['features'\]"):
        LiteRTStep(other)
    with pytest.raises(ValueError, match="runtime must be None"):
        LiteRTStep(other, runtime="tflite")


@pytest.mark.parametrize("token, state, error, match", [
    (10, None, ValueError, r"token must be a token id in 0 … 9, got 10"),
    (-1, None, ValueError, "token must be a token id"),
    (2.0, None, ArgumentTypeError, "integer token id"),
    (True, None, ArgumentTypeError, "integer token id"),
    (1, np.zeros((1, UNITS)), ArgumentTypeError, "state must be a list of 2 array"),
    (1, [np.zeros((1, UNITS))], ValueError, "state must hold 2 array"),
    (1, [np.zeros((1, UNITS)), np.zeros(UNITS)], ValueError, r"state\[1\] must have shape \(1, 6\)"),
])
def test_steps_refuse_bad_tokens_and_states(trained, token, state, error, match):
    _, step, path = trained["lstm"]
    for stepper in (LiteRTStep(path), keras_step(step)):
        with pytest.raises(error, match=match):
            stepper(token, stepper.zero_state() if state is None else state)


def test_keras_step_refuses_a_model_that_is_not_a_step(trained):
    with pytest.raises(ValueError, match="one-step model"):
        keras_step(trained["gru"][0])
    token, h = keras.Input((2,), dtype="int32", name="token"), keras.Input((UNITS,), name="h")
    x = keras.layers.Concatenate()([keras.layers.Flatten()(keras.layers.Embedding(VOCAB, 2)(token)), h])
    two_tokens = keras.Model([token, h], [keras.layers.Dense(VOCAB)(x), keras.layers.Dense(UNITS)(x)])
    with pytest.raises(ValueError, match=r"first input must be the token, \[1, 1\] integer"):
        KerasStep(two_tokens)
    with pytest.raises(ArgumentTypeError, match="model must be a Keras model"):
        keras_step(lambda token, state: None)


@pytest.mark.parametrize("ids, error, match", [
    ([3], ValueError, "at least 2"),
    ([[1, 2], [3, 4]], ValueError, "1-D"),
    ([1.0, 2.0], ArgumentTypeError, "integer token ids"),
    ("abc", ArgumentTypeError, "1-D array of token ids"),
    ([1, 10], ValueError, r"token ids in 0 … 9, got values from 1 to 10"),
])
def test_sequence_nats_refuses_bad_ids(trained, ids, error, match):
    with pytest.raises(error, match=match):
        sequence_nats(LiteRTStep(trained["gru"][2]), ids)


def test_sequence_nats_and_export_report_refuse_bad_arguments():
    with pytest.raises(ArgumentTypeError, match="step must be a step function"):
        sequence_nats("gru.tflite", [1, 2])
    with pytest.raises(ArgumentTypeError, match="model must be a Keras model"):
        export_report("model.keras")
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        export_report(sequence_model("gru"), batch_size=0)
