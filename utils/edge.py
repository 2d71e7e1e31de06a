"""Recurrent cells on the edge: a one-step model, its LiteRT (TensorFlow Lite) file, and its loss per character.

A phone or a microcontroller reads text one character at a time. A recurrent cell suits it: it carries a state
of fixed size (``units`` numbers, twice that for an LSTM) from one character to the next, so each new character
costs one small step, whatever came before. The model exported here is that step: it takes one token and the
state, and returns the next token's logits and the new state; the app keeps the state between calls.

    from utils.edge import LiteRTStep, copy_weights, export_litert, keras_step, one_step_model, sequence_nats

    step_model = copy_weights(trained_model, one_step_model("gru", vocab_size=VOCAB, units=256))
    float_file = export_litert(step_model, "gru_step.tflite")
    int8_file = export_litert(step_model, "gru_step_int8.tflite", quantize=True)
    lite = LiteRTStep(int8_file)                     # lite.runtime: "ai_edge_litert" or "tensorflow.lite"
    logits, state = lite(token, lite.zero_state())   # logits: [vocab] float32; state: [h] or [h, c]
    keras_nats = sequence_nats(keras_step(step_model), ids)  # .nats_per_char, .per_position
    lite_nats = sequence_nats(lite, ids)             # the same code path; compare per_position paired
    print(export_report(trained_model))              # why the whole-sequence model is not exported instead

``trained_model`` is the whole-sequence character model of lesson 06: ``Input((None,), int64) → Embedding →
SimpleRNN / LSTM / GRU(units, return_sequences=True) → Dense(vocab)`` (logits). ``quantize=True`` stores the
weights as int8 (dynamic-range quantisation: ``tf.lite.Optimize.DEFAULT``); activations stay float32. Only
weight matrices of at least 1,024 numbers are quantised, so a tiny model barely shrinks.

The conversion goes Keras model → SavedModel (``keras.export.ExportArchive``) → ``tf.lite.TFLiteConverter``,
with TensorFlow Lite's builtin operations only, so the file runs in the plain LiteRT interpreter. (Converting the
traced function directly with ``from_concrete_functions`` gave files whose weights were never initialised on
TensorFlow 2.21: NaN or garbage outputs, or a ``READ_VARIABLE`` failure.) Keras's own
``model.export(path, format="litert")`` allows TensorFlow "Flex" operations as well, which the plain interpreter
cannot run; :func:`export_report` shows when a model needs them.
"""

import contextlib
import io
import os
import re
import sys
import tempfile
import warnings
from pathlib import Path
from typing import NamedTuple

import keras
import numpy as np

from utils.cells import CELL_NAMES, cell_layer
from utils.checks import ArgumentTypeError, describe, flag, is_int, numeric_array, path_like, scalar

STEP_CELLS = {"simple_rnn": keras.layers.SimpleRNNCell, "lstm": keras.layers.LSTMCell, "gru": keras.layers.GRUCell}
STATE_NAMES = {"simple_rnn": ("h",), "lstm": ("h", "c"), "gru": ("h",)}
RUNTIMES = ("ai_edge_litert", "tensorflow.lite")
# settings of a cell that change what it computes; units and the weights' shapes are checked apart
_CELL_SETTINGS = ("activation", "recurrent_activation", "use_bias", "reset_after")


def _count(value, name) -> int:
    if not is_int(value):
        raise ArgumentTypeError(f"{name} must be a positive integer, got {describe(value)}")
    if value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def _model(value, name):
    if not isinstance(value, keras.Model):
        raise ArgumentTypeError(f"{name} must be a Keras model, got {describe(value)}")
    return value


# ---- the one-step model -----------------------------------------------------------------------------------------


def one_step_model(cell_key, *, vocab_size, units, embedding_dim=64) -> keras.Model:
    """A Keras model of one step of a character model, for batch size 1.

    Inputs, in this order and with these names: ``token`` ([1, 1] int32, a token id), then the state: ``h``
    ([1, units] float32) for ``"simple_rnn"`` and ``"gru"``, ``h`` and ``c`` for ``"lstm"``. Outputs:
    ``[logits [1, vocab_size], *new_state]``, the new state in the same order as the state inputs. Layers:
    ``Embedding(vocab_size, embedding_dim)`` → ``SimpleRNNCell / LSTMCell / GRUCell(units)`` (Keras's defaults,
    as in the whole-sequence layers: a GRU with ``reset_after=True``) → ``Dense(vocab_size)``, named
    ``embedding``, ``cell`` and ``logits``. Its weights are random: :func:`copy_weights` brings in trained ones.
    """
    cell_class = STEP_CELLS[_cell_key(cell_key)]
    vocab_size = _count(vocab_size, "vocab_size")
    units = _count(units, "units")
    embedding_dim = _count(embedding_dim, "embedding_dim")
    token = keras.Input(batch_shape=(1, 1), dtype="int32", name="token")
    state = [keras.Input(batch_shape=(1, units), dtype="float32", name=name) for name in STATE_NAMES[cell_key]]
    x = keras.layers.Embedding(vocab_size, embedding_dim, name="embedding")(token)  # [1, 1, embedding_dim]
    x = keras.layers.Reshape((embedding_dim,), name="one_token")(x)  # [1, embedding_dim]
    output, new_state = cell_class(units, name="cell")(x, state)
    logits = keras.layers.Dense(vocab_size, name="logits")(output)
    return keras.Model([token, *state], [logits, *new_state], name=f"{cell_key}_one_step")


def _cell_key(cell_key) -> str:
    if not isinstance(cell_key, str):
        raise ArgumentTypeError(f"cell_key must be one of {', '.join(CELL_NAMES)}; got {describe(cell_key)}")
    cell_layer(cell_key)  # a clear ValueError for an unknown key
    return cell_key


def _layers_by_role(model, name, recurrent_type, allowed):
    """(embedding, recurrent, dense) of a model made of exactly one of each, plus Input and ``allowed`` layers."""
    found = {"Embedding": [], "recurrent": [], "Dense": []}
    for layer in model.layers:
        if isinstance(layer, keras.layers.Embedding):
            found["Embedding"].append(layer)
        elif isinstance(layer, recurrent_type):
            found["recurrent"].append(layer)
        elif isinstance(layer, keras.layers.Dense):
            found["Dense"].append(layer)
        elif not isinstance(layer, (keras.layers.InputLayer, *allowed)):
            raise ValueError(f"{name} has a {type(layer).__name__} layer ({layer.name!r}); copy_weights handles "
                             "only Input → Embedding → one recurrent layer → Dense (Dropout allowed)")
    for role, layers in found.items():
        if len(layers) != 1:
            what = {"recurrent": "recurrent layer"}.get(role, f"{role} layer")
            stacked = ": a stacked model has no one-step twin here" if role == "recurrent" and layers else ""
            raise ValueError(f"{name} must have exactly one {what}, found {len(layers)}{stacked}")
    return found["Embedding"][0], found["recurrent"][0], found["Dense"][0]


def _setting(layer, key):
    value = layer.get_config().get(key)
    return value if not isinstance(value, dict) else value.get("config", {}).get("name", value)


def copy_weights(sequence_model, step_model) -> keras.Model:
    """Copy the Embedding, recurrent-cell and Dense weights of a trained whole-sequence model into a one-step
    model of the same sizes (from :func:`one_step_model`); returns ``step_model``.

    ``sequence_model`` is ``Input → Embedding → SimpleRNN / LSTM / GRU(return_sequences=True) → Dense`` (Dropout
    layers are allowed: they do nothing at inference). Refused, with the reason: another architecture, a cell of
    another kind, other sizes (vocabulary, embedding, units), other cell settings (activation, ``use_bias``, a
    GRU's ``reset_after``), ``mask_zero=True`` (the one-step model has no mask), ``go_backwards=True``, and a
    Dense layer with an activation (the one-step model returns logits).
    """
    sequence_model = _model(sequence_model, "sequence_model")
    step_model = _model(step_model, "step_model")
    embedding, recurrent, dense = _layers_by_role(sequence_model, "sequence_model", keras.layers.RNN,
                                                  (keras.layers.Dropout, keras.layers.SpatialDropout1D))
    step_embedding, step_cell, step_dense = _layers_by_role(step_model, "step_model", tuple(STEP_CELLS.values()),
                                                            (keras.layers.Reshape,))
    cell = recurrent.cell
    if type(cell) is not type(step_cell):
        raise ValueError(f"sequence_model's {type(recurrent).__name__} layer has a {type(cell).__name__}, but "
                         f"step_model has a {type(step_cell).__name__}: build the step model with the same cell")
    if getattr(recurrent, "go_backwards", False):
        raise ValueError("sequence_model's recurrent layer reads backwards (go_backwards=True); "
                         "the one-step model reads forwards")
    if embedding.get_config().get("mask_zero"):
        raise ValueError("sequence_model's Embedding has mask_zero=True: token 0 is skipped there but not in the "
                         "one-step model, so their outputs would differ")
    sizes = [("vocabulary (Embedding input_dim)", embedding.input_dim, step_embedding.input_dim),
             ("embedding_dim (Embedding output_dim)", embedding.output_dim, step_embedding.output_dim),
             ("units", cell.units, step_cell.units),
             ("vocabulary (Dense units)", dense.units, step_dense.units)]
    for what, theirs, ours in sizes:
        if theirs != ours:
            raise ValueError(f"{what} differs: {theirs} in sequence_model, {ours} in step_model")
    for key in _CELL_SETTINGS:
        theirs, ours = _setting(cell, key), _setting(step_cell, key)
        if theirs != ours:
            raise ValueError(f"the cells' {key} differs: {theirs!r} in sequence_model, {ours!r} in step_model")
    for key in ("activation", "use_bias"):
        theirs, ours = _setting(dense, key), _setting(step_dense, key)
        if theirs != ours:
            raise ValueError(f"the Dense layers' {key} differs: {theirs!r} in sequence_model, {ours!r} in "
                             "step_model (the one-step model returns logits: no activation)")
    for source, target in [(embedding, step_embedding), (cell, step_cell), (dense, step_dense)]:
        target.set_weights(source.get_weights())
    return step_model


# ---- conversion -------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _captured_output():
    """Keep what TensorFlow prints during a conversion out of the notebook: Python's output and C++'s (file
    descriptors 1 and 2) go to a temporary file; the yielded list holds their text afterwards."""
    captured = []
    python_output = io.StringIO()
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        if stream is not None:
            stream.flush()
    with tempfile.TemporaryFile() as sink:
        saved = []
        try:
            for fd in (1, 2):
                saved.append((fd, os.dup(fd)))
                os.dup2(sink.fileno(), fd)
        except OSError:  # a host without these descriptors: its output stays where it goes
            pass
        try:
            with contextlib.redirect_stdout(python_output), contextlib.redirect_stderr(python_output):
                yield captured
        finally:
            for fd, copy in reversed(saved):
                os.dup2(copy, fd)
                os.close(copy)
            sink.seek(0)
            captured.append(python_output.getvalue() + sink.read().decode(errors="replace"))


def _signature(model, batch_size=None):
    import tensorflow as tf

    specs = []
    for tensor in model.inputs:
        shape = list(tensor.shape)
        if batch_size is not None and shape and shape[0] is None:
            shape[0] = batch_size
        specs.append(tf.TensorSpec(shape, tensor.dtype, name=tensor.name))
    return specs


def _convert(model, *, quantize=False, select_tf_ops=False, batch_size=None) -> bytes:
    """The .tflite bytes of ``model`` (Keras → SavedModel → TFLiteConverter). Outputs are named ``output_0``,
    ``output_1``, … in the model's order (as Keras's own export names them); inputs keep the Keras Input names."""
    import tensorflow as tf

    def serve(*tensors):
        outputs = model(list(tensors) if len(tensors) > 1 else tensors[0], training=False)
        outputs = outputs if isinstance(outputs, list | tuple) else [outputs]
        return {f"output_{index}": output for index, output in enumerate(outputs)}

    with tempfile.TemporaryDirectory() as folder:
        archive = keras.export.ExportArchive()
        archive.track(model)
        archive.add_endpoint("serve", serve, input_signature=_signature(model, batch_size))
        archive.write_out(folder, verbose=False)
        converter = tf.lite.TFLiteConverter.from_saved_model(folder)
        if select_tf_ops:
            converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS, tf.lite.OpsSet.SELECT_TF_OPS]
        if quantize:
            converter.optimizations = [tf.lite.Optimize.DEFAULT]
        return converter.convert()


def _converter_messages(text) -> list:
    """The distinct ``error:`` messages of a converter error, without MLIR's location prefixes."""
    messages = []
    for line in str(text).splitlines():
        if "error:" not in line:
            continue
        message = line.split("error:", 1)[1].strip()
        if message.startswith("loc("):
            message = message.rsplit(")): ", 1)[-1]
        message = message.split("\\n")[0].strip()
        if message and message not in messages:
            messages.append(message)
    return messages


def export_litert(model, path, *, quantize=False) -> Path:
    """Write ``model`` to the LiteRT file ``path`` (``.tflite``, parent folders made); returns it as a ``Path``.

    ``quantize=True`` stores the weights as int8 (dynamic-range quantisation, ``tf.lite.Optimize.DEFAULT``):
    about a quarter of the size for a model whose weight matrices have 1,024 numbers or more; the activations
    and the state stay float32. Only TensorFlow Lite's builtin operations are allowed: a model that needs
    TensorFlow ("Flex") operations is refused with the converter's reason (see :func:`export_report`).
    Takes about a second and writes only ``path`` (and a temporary folder).
    """
    model = _model(model, "model")
    path = path_like(path, "path")
    if path.suffix != ".tflite":
        raise ValueError(f"path must end with .tflite, got {str(path)!r}")
    quantize = flag(quantize, "quantize")
    failure = None
    with _captured_output():
        try:
            content = _convert(model, quantize=quantize)
        except Exception as error:  # the converter's own exception class differs between TensorFlow versions
            failure = error
    if failure is not None:
        reasons = "; ".join(_converter_messages(failure)) or str(failure).strip()
        raise ValueError(f"model {model.name!r} cannot be converted with TensorFlow Lite's builtin operations "
                         f"alone: {reasons}. export_report(model) lists the operations it needs; for a "
                         "whole-sequence recurrent model, export its one_step_model twin (copy_weights) "
                         "instead") from failure
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


# ---- running a step: LiteRT and Keras, one interface ------------------------------------------------------------


def _interpreter_class(runtime=None):
    """(Interpreter class, runtime name): LiteRT's ``ai_edge_litert`` if installed, else ``tf.lite``."""
    if runtime not in (None, *RUNTIMES):
        raise ValueError(f"runtime must be None (the first available) or one of {', '.join(RUNTIMES)}; "
                         f"got {runtime!r}")
    if runtime in (None, "ai_edge_litert"):
        try:
            from ai_edge_litert.interpreter import Interpreter
        except ImportError:
            if runtime is not None:
                raise ImportError("runtime='ai_edge_litert' needs the package: pip install ai-edge-litert") from None
        else:
            return Interpreter, "ai_edge_litert"
    import tensorflow as tf

    return tf.lite.Interpreter, "tensorflow.lite"


def _open_interpreter(runtime, **source):
    interpreter_class, name = _interpreter_class(runtime)
    with warnings.catch_warnings(), _captured_output():
        warnings.simplefilter("ignore")  # tf.lite.Interpreter's notice that it moves to ai_edge_litert
        interpreter = interpreter_class(**source)
    return interpreter, name


class _Step:
    """What :class:`LiteRTStep` and :class:`KerasStep` share: ``step(token, state) -> (logits, new_state)``."""

    vocab_size: int
    state_shapes: tuple

    def zero_state(self) -> list:
        """The state at the start of a text: zeros, one float32 array per state tensor ([1, units] each)."""
        return [np.zeros(shape, dtype="float32") for shape in self.state_shapes]

    def _check(self, token, state):
        """``(token, state)`` checked: an integer id (a 0-d tensor too) and float32 arrays of the state's shapes.
        Kept cheap: lesson 10 times these calls."""
        if not is_int(token):
            token = scalar(token)  # tf.argmax(logits) is a 0-d tensor
            if not is_int(token):
                raise ArgumentTypeError(f"token must be an integer token id, got {describe(token)}")
        if not 0 <= token < self.vocab_size:
            raise ValueError(f"token must be a token id in 0 … {self.vocab_size - 1}, got {token!r}")
        if not isinstance(state, list | tuple):
            raise ArgumentTypeError(f"state must be a list of {len(self.state_shapes)} array(s) (zero_state() "
                                    f"gives the first one), got {describe(state)}")
        if len(state) != len(self.state_shapes):
            raise ValueError(f"state must hold {len(self.state_shapes)} array(s) for this model, got {len(state)}")
        arrays = []
        for index, (array, shape) in enumerate(zip(state, self.state_shapes)):
            array = np.asarray(array, dtype="float32")
            if array.shape != shape:
                raise ValueError(f"state[{index}] must have shape {shape}, got {array.shape}")
            arrays.append(array)
        return token, arrays


class LiteRTStep(_Step):
    """A one-step model's LiteRT file, called like the Keras model: ``logits, state = step(token, state)``.

    ``path`` is a file written by :func:`export_litert` (or by ``model.export(path, format="litert")``) from a
    :func:`one_step_model`: inputs ``token``, ``h`` (and ``c``), outputs ``output_0`` (logits) and the new state.
    It runs in LiteRT's interpreter (``ai_edge_litert``) when that is installed, else in ``tf.lite.Interpreter``
    (TensorFlow's copy, deprecated but still in TensorFlow 2.21); ``runtime`` forces one. Attributes:
    ``runtime``, ``path``, ``size_bytes`` (of the file), ``vocab_size``, ``state_names`` and ``state_shapes``.
    """

    def __init__(self, path, *, runtime=None):
        self.path = path_like(path, "path")
        _interpreter_class(runtime)  # an unknown runtime is refused as such, not as a file the interpreter cannot read
        if not self.path.is_file():
            raise FileNotFoundError(f"no LiteRT file at {str(self.path)!r}; write one with export_litert(model, "
                                    "path)")
        self.size_bytes = self.path.stat().st_size
        try:
            self._interpreter, self.runtime = _open_interpreter(runtime, model_path=str(self.path))
        except (ValueError, RuntimeError) as error:
            raise ValueError(f"{str(self.path)!r} is not a LiteRT model file the interpreter can read: "
                             f"{str(error).splitlines()[0] if str(error) else type(error).__name__}") from error
        signatures = self._interpreter.get_signature_list()
        if len(signatures) != 1:
            raise ValueError(f"{str(self.path)!r} must have one signature, has {sorted(signatures)}")
        self._runner = self._interpreter.get_signature_runner()
        inputs = self._runner.get_input_details()
        outputs = self._runner.get_output_details()
        self.state_names = ("h", "c") if "c" in inputs else ("h",)
        expected_inputs = {"token", *self.state_names}
        expected_outputs = {f"output_{index}" for index in range(1 + len(self.state_names))}
        if set(inputs) != expected_inputs or set(outputs) != expected_outputs:
            raise ValueError(f"{str(self.path)!r} is not a one-step model as one_step_model builds it: inputs "
                             f"{sorted(inputs)}, outputs {sorted(outputs)}; expected inputs "
                             f"{sorted(expected_inputs)}, outputs {sorted(expected_outputs)}")
        self._token_dtype = inputs["token"]["dtype"]
        self.state_shapes = tuple(tuple(int(n) for n in inputs[name]["shape"]) for name in self.state_names)
        self.vocab_size = int(outputs["output_0"]["shape"][-1])
        self._output_names = sorted(expected_outputs, key=lambda name: int(name.rsplit("_", 1)[1]))
        with _captured_output():  # the first call prepares the interpreter, which prints that it did
            self(0, self.zero_state())

    def __call__(self, token, state):
        """``(logits [vocab_size] float32, new_state)`` after reading ``token`` in ``state`` (a list of float32
        arrays [1, units], ``h`` then ``c``); the new state is a list of new arrays in the same order."""
        token, state = self._check(token, state)
        feed = {"token": np.array([[token]], dtype=self._token_dtype)}
        feed.update(zip(self.state_names, state))
        result = self._runner(**feed)
        logits, *new_state = (result[name] for name in self._output_names)
        return logits.reshape(-1).astype("float32", copy=False), list(new_state)

    def __repr__(self):
        return (f"LiteRTStep({self.path.name!r}, runtime={self.runtime!r}, size_bytes={self.size_bytes}, "
                f"vocab_size={self.vocab_size}, state_shapes={self.state_shapes})")


class KerasStep(_Step):
    """A Keras one-step model (:func:`one_step_model`) called like :class:`LiteRTStep`:
    ``logits, state = step(token, state)``. The model runs inside one ``tf.function`` (traced on the first call),
    with ``training=False``."""

    def __init__(self, model):
        self.model = _model(model, "model")
        inputs, outputs = model.inputs, model.outputs
        if len(inputs) not in (2, 3) or len(outputs) != len(inputs):
            raise ValueError(f"model must be a one-step model (inputs token and the state; outputs logits and "
                             f"the new state), got {len(inputs)} inputs and {len(outputs)} outputs")
        if tuple(inputs[0].shape) != (1, 1) or "int" not in str(inputs[0].dtype):
            raise ValueError(f"the model's first input must be the token, [1, 1] integer, got shape "
                             f"{tuple(inputs[0].shape)} and dtype {inputs[0].dtype}")
        self.state_shapes = tuple(tuple(tensor.shape) for tensor in inputs[1:])
        if any(len(shape) != 2 or shape[0] != 1 or shape[1] is None for shape in self.state_shapes):
            raise ValueError(f"the state inputs must be [1, units], got shapes {list(self.state_shapes)}")
        self.vocab_size = int(outputs[0].shape[-1])
        self._token_dtype = inputs[0].dtype
        self._call = None

    def _compiled(self):
        if self._call is None:
            import tensorflow as tf

            self._call = tf.function(lambda tensors: self.model(tensors, training=False),
                                     input_signature=[_signature(self.model)])
        return self._call

    def __call__(self, token, state):
        """``(logits [vocab_size] float32, new_state)``, as :meth:`LiteRTStep.__call__`."""
        token, state = self._check(token, state)
        outputs = self._compiled()([np.array([[token]], dtype=self._token_dtype), *state])
        logits, *new_state = (keras.ops.convert_to_numpy(output) for output in outputs)
        return logits.reshape(-1).astype("float32", copy=False), new_state

    def __repr__(self):
        return f"KerasStep({self.model.name!r}, vocab_size={self.vocab_size}, state_shapes={self.state_shapes})"


def keras_step(model) -> KerasStep:
    """``model`` (a :func:`one_step_model`) as a step function with :class:`LiteRTStep`'s interface."""
    return KerasStep(model)


# ---- loss per character -----------------------------------------------------------------------------------------


class SequenceNats(NamedTuple):
    """The loss of a step function on one text: the mean and the loss at each position (nats)."""

    nats_per_char: float
    per_position: np.ndarray  # [len(ids) - 1] float64: −log p(ids[t + 1] | ids[0 … t])


def sequence_nats(step, ids, *, state=None) -> SequenceNats:
    """Mean negative log-likelihood, in nats per character, of the token ids ``ids`` (a 1-D integer array of at
    least 2) when ``step`` predicts each next token from the ones before, carrying its state.

    ``step`` is a :class:`LiteRTStep` or a :func:`keras_step` (anything called ``step(token, state) ->
    (logits, new_state)``). It starts from ``state``, by default ``step.zero_state()``. Position ``t`` scores
    ``ids[t + 1]`` after reading ``ids[0 … t]``, so there are ``len(ids) - 1`` losses — the same positions as a
    whole-sequence model's cross-entropy on inputs ``ids[:-1]`` and targets ``ids[1:]``. Compare two steps
    (float32 and int8) with their ``per_position`` losses, paired on the same characters. Costs one step per
    character (a few thousand a second in the interpreter).
    """
    if not callable(step):
        raise ArgumentTypeError(f"step must be a step function such as LiteRTStep(path) or keras_step(model), "
                                f"got {describe(step)}")
    if isinstance(ids, str | bytes) or not hasattr(ids, "__len__"):
        raise ArgumentTypeError(f"ids must be a 1-D array of token ids, got {describe(ids)}")
    ids = np.asarray(ids)
    if ids.dtype.kind not in "iu":
        raise ArgumentTypeError(f"ids must hold integer token ids, got dtype {ids.dtype}")
    if ids.ndim != 1 or ids.size < 2:
        raise ValueError(f"ids must be a 1-D array of at least 2 token ids, got shape {ids.shape}")
    vocab_size = getattr(step, "vocab_size", None)
    if vocab_size is not None and (ids.min() < 0 or ids.max() >= vocab_size):
        raise ValueError(f"ids must be token ids in 0 … {vocab_size - 1}, got values from {ids.min()} to "
                         f"{ids.max()}")
    if state is None:
        if not hasattr(step, "zero_state"):
            raise ArgumentTypeError("step has no zero_state(): pass the first state, state=[h] or [h, c]")
        state = step.zero_state()
    elif isinstance(state, list | tuple):  # a NaN state would turn every loss after it into NaN
        state = [numeric_array(part, f"state[{index}]", dtype="float32") for index, part in enumerate(state)]
    losses = np.empty(ids.size - 1, dtype="float64")
    for position in range(ids.size - 1):
        logits, state = step(int(ids[position]), state)
        logits = np.asarray(logits, dtype="float64").reshape(-1)
        top = logits.max()
        losses[position] = top + np.log(np.exp(logits - top).sum()) - logits[ids[position + 1]]
    return SequenceNats(float(losses.mean()), losses)


# ---- why not the whole-sequence model? --------------------------------------------------------------------------


def _op_names(content) -> list:
    """The distinct operation names in a .tflite model, from TensorFlow Lite's analyzer (Flex ops as
    ``Flex<TensorFlow op>``)."""
    import tensorflow as tf

    with _captured_output() as printed:
        tf.lite.experimental.Analyzer.analyze(model_content=content)
    return sorted(set(re.findall(r"Op#\d+ (\w+)\(", printed[0])))


def _runs(content, runtime=None):
    """(True, None) if the interpreter runs the model on zeros (unknown sizes set to 2), else (False, reason)."""
    try:
        interpreter, _ = _open_interpreter(runtime, model_content=content)
        runner = interpreter.get_signature_runner()
        feed = {name: np.zeros([2 if n < 0 else n for n in detail["shape_signature"]], dtype=detail["dtype"])
                for name, detail in runner.get_input_details().items()}
        with _captured_output():
            runner(**feed)
    except Exception as error:  # the interpreter's own words are the report
        return False, (str(error).strip().splitlines() or [type(error).__name__])[0]
    return True, None


def export_report(model, *, batch_size=None) -> dict:
    """Whether ``model`` converts to TensorFlow Lite with builtin operations alone, and what it needs if not.

    ``batch_size`` fixes the batch dimension of the exported signature (``None`` keeps the model's own, usually
    any size). The model is converted twice at most: with builtin operations only (what :func:`export_litert`
    does), and if that fails with TensorFlow's operations allowed as well ("Flex", ``SELECT_TF_OPS``, as
    ``model.export(path, format="litert")`` does). Returns a dict::

        builtins_only   True if the builtin-only conversion worked
        ops             the operations in the converted file (with Flex ops named Flex<op>), sorted
        flex_ops        the TensorFlow operations that need the Flex delegate ([] if none)
        error           the builtin-only converter's messages (None if it worked)
        runs            whether this module's interpreter ran the converted file on zeros
        run_error       the interpreter's message if it did not (None if it ran)
        runtime, size_bytes, input_shapes (of the exported signature, None for any size)

    What it finds on TensorFlow 2.21 / Keras 3.15 (and TensorFlow 2.20 / Keras 3.13) for lesson 06's model,
    ``Input((None,), int64) → Embedding → SimpleRNN / LSTM / GRU(return_sequences=True) → Dense``: the recurrent
    layer becomes a ``WHILE`` loop over time that fills a TensorList. With any batch size (``batch_size=None``,
    the model as trained, fixed sequence length or not) the list's element shape is not static and the
    builtin-only conversion fails ("'tf.TensorListReserve' op requires element_shape to be static"); with Flex
    allowed it converts, needing ``TensorListReserve``, ``TensorListSetItem`` and ``TensorListStack``, and neither
    ``ai_edge_litert`` nor ``tf.lite.Interpreter`` (pip builds, no Flex delegate) can run the file. With
    ``batch_size=1`` it converts with builtins only, even for any sequence length (a ``WHILE`` loop), and
    runs. (A layer with ``unroll=True`` and a fixed length converts with builtins only at any batch size, with
    one copy of the cell's operations per time step and no loop.) Either way the file processes a whole sequence
    per call and returns no state: to generate or to read a stream one character at a time an app would run it
    on the whole prefix again for each character. The one-step model carries the state outside instead and has
    only fixed shapes.
    """
    model = _model(model, "model")
    if batch_size is not None:
        batch_size = _count(batch_size, "batch_size")
    report = {"builtins_only": True, "ops": [], "flex_ops": [], "error": None, "runs": False, "run_error": None,
              "runtime": _interpreter_class()[1], "size_bytes": None,
              "input_shapes": {spec.name: spec.shape.as_list() for spec in _signature(model, batch_size)}}
    content = None
    with _captured_output():
        try:
            content = _convert(model, batch_size=batch_size)
        except Exception as error:
            report["builtins_only"] = False
            report["error"] = "; ".join(_converter_messages(error)) or str(error).strip()
            try:
                content = _convert(model, batch_size=batch_size, select_tf_ops=True)
            except Exception as flex_error:
                report["error"] += " | with Flex ops: " + ("; ".join(_converter_messages(flex_error))
                                                            or str(flex_error).strip())
    if content is None:
        report["run_error"] = "not converted"
        return report
    report["size_bytes"] = len(content)
    report["ops"] = _op_names(content)
    report["flex_ops"] = [name.removeprefix("Flex") for name in report["ops"] if name.startswith("Flex")]
    report["runs"], report["run_error"] = _runs(content)
    return report
