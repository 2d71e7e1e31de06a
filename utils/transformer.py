"""Small Transformers next to the recurrent cells: layers, a causal character model, and the cost of streaming.

The course's IMDB classifier with a Transformer in the middle (``GlobalAveragePooling1D`` averages over the
real words only: it reads the Keras mask of the embedding, so no pooling layer of our own is needed)::

    model = sentiment_classifier(AddPositions(MAX_LEN), TransformerBlock(heads=4, ff_units=128),
                                 keras.layers.GlobalAveragePooling1D(), vocab_size=20_000)

A character model, and two ways to produce one more character from it::

    model = causal_char_lm(vocab_size, d_model=128, heads=4, layers=2, max_len=256)
    decoder = KVCacheDecoder(model)          # keeps every layer's keys and values: one token per step
    state = decoder.empty()
    logits, state = decoder.step(token_id, state)
    recompute = recompute_step(model)        # the no-cache baseline: the whole prefix again for every token
    logits = recompute(ids_so_far)           # [1, t] ids -> [vocab_size] logits of the last position

and the table that compares them with a recurrent cell, whose state does not grow::

    streaming_costs({"gru": recurrent_step(keras.layers.GRUCell(256), input_dim=128),
                     "kv_cache": decoder, "recompute": recompute})

A recurrent cell carries a state of fixed size from one token to the next. A causal Transformer either keeps
the keys and values of every token seen (a cache that grows by one row per layer and token; each new token
attends over it) or recomputes the whole prefix for every new token.

The layers are registered for saving (``model.save("m.keras")`` and ``keras.models.load_model`` need no
``custom_objects`` once this module is imported). Decoding (``KVCacheDecoder``, ``recompute_step``,
``recurrent_step``) uses ``tf.function`` and so needs the TensorFlow backend, the course's.
"""

import math
from typing import NamedTuple

import keras
import numpy as np
import tensorflow as tf

from utils.checks import (
    ArgumentTypeError,
    describe,
    flag,
    is_int,
    is_real,
    numeric_array,
    positive_int,
    scalar,
    seed_value,
)
from utils.latency import latency_summary, time_calls
from utils.latency import state_bytes as _bytes_of

__all__ = ["AddPositions", "KVCacheDecoder", "KVCacheState", "RecomputeStep", "RecurrentStep", "TransformerBlock",
           "causal_char_lm", "recompute_step", "recurrent_step", "streaming_costs"]

_EPSILON = 1e-6  # of every LayerNormalization here


def _too_long(layer_name, max_len, steps) -> str:
    return (f"{layer_name} (AddPositions) holds positions for at most max_len={max_len} steps, got a sequence of "
            f"{steps} steps: cut the sequences or build the layer with a larger max_len")


@keras.saving.register_keras_serializable(package="rnn_course")
class AddPositions(keras.layers.Layer):
    """Adds a learned position embedding to an embedded sequence: ``[batch, time, d] -> [batch, time, d]``.

    Row ``t`` of a ``[max_len, d]`` weight (``d`` is the input's last dimension, read at build time) is added to
    step ``t`` of every sequence. Any ``time <= max_len`` is accepted, so length-bucketed batches of different
    lengths go through the same layer; a longer sequence is refused (a ``ValueError`` when its length is known
    while tracing, else a ``tf.errors.InvalidArgumentError`` with the same message). The Keras mask of the
    input (from ``Embedding(mask_zero=True)``) passes through unchanged. Adds ``max_len * d`` parameters.
    """

    def __init__(self, max_len, **kwargs):
        max_len = positive_int(max_len, "max_len")
        super().__init__(**kwargs)
        self.max_len = max_len
        self.supports_masking = True

    def build(self, input_shape):
        if len(input_shape) != 3 or input_shape[-1] is None:
            raise ValueError(f"{self.name} (AddPositions) takes an embedded sequence [batch, time, d] with a known "
                             f"d, got shape {tuple(input_shape)}")
        if input_shape[1] is not None and input_shape[1] > self.max_len:
            raise ValueError(_too_long(self.name, self.max_len, input_shape[1]))
        self.positions = self.add_weight(name="positions", shape=(self.max_len, int(input_shape[-1])),
                                         initializer=keras.initializers.RandomNormal(stddev=0.02))

    def call(self, inputs):
        steps = keras.ops.shape(inputs)[1]
        if isinstance(steps, int):
            if steps > self.max_len:
                raise ValueError(_too_long(self.name, self.max_len, steps))
        elif keras.backend.backend() == "tensorflow":  # the length is known only when the graph runs
            check = tf.debugging.assert_less_equal(steps, self.max_len,
                                                   message=_too_long(self.name, self.max_len, "more"))
            with tf.control_dependencies([check]):  # the check runs before the slice can fail first
                steps = tf.identity(steps)
        positions = keras.ops.slice(self.positions, (0, 0), (steps, self.positions.shape[1]))
        return inputs + keras.ops.cast(positions, inputs.dtype)[None]

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "max_len": self.max_len}


@keras.saving.register_keras_serializable(package="rnn_course")
class TransformerBlock(keras.layers.Layer):
    """A pre-layer-norm Transformer block: ``[batch, time, d] -> [batch, time, d]``.

    ``x + Dropout(MultiHeadAttention(LayerNorm(x)))``, then ``x + Dropout(Dense(d)(Dense(ff_units, gelu)(
    LayerNorm(x))))``. The attention has ``heads`` heads of ``key_dim = d // heads`` (``d`` must be a multiple
    of ``heads``) and attention dropout ``dropout``. Padded steps (the Keras mask of the input, e.g. from
    ``Embedding(mask_zero=True)``) are never attended to, so they do not change the outputs at the real steps;
    the mask passes through to the next layer. ``causal=True`` lets step ``t`` attend to steps ``<= t`` only,
    as a language model needs. Adds ``4 d² + 2 d ff_units`` weights (plus biases and the norms' scales).
    """

    def __init__(self, heads, ff_units, dropout=0.1, causal=False, **kwargs):
        heads = positive_int(heads, "heads")
        ff_units = positive_int(ff_units, "ff_units")
        if not is_real(dropout):
            raise ArgumentTypeError(f"dropout must be a number in [0, 1), got {describe(dropout)}")
        if not 0 <= dropout < 1:
            raise ValueError(f"dropout must be in [0, 1), got {dropout!r}")
        causal = flag(causal, "causal")
        super().__init__(**kwargs)
        self.heads, self.ff_units, self.dropout, self.causal = heads, ff_units, float(dropout), causal
        self.supports_masking = True

    def build(self, input_shape):
        if len(input_shape) != 3 or input_shape[-1] is None:
            raise ValueError(f"{self.name} (TransformerBlock) takes a sequence [batch, time, d] with a known d, "
                             f"got shape {tuple(input_shape)}")
        d = int(input_shape[-1])
        if d % self.heads:
            raise ValueError(f"{self.name} (TransformerBlock): the width d={d} of its input must be a multiple of "
                             f"heads={self.heads} (each head gets d // heads dimensions)")
        self.norm1 = keras.layers.LayerNormalization(epsilon=_EPSILON, name="norm1")
        self.attention = keras.layers.MultiHeadAttention(self.heads, key_dim=d // self.heads, dropout=self.dropout,
                                                         name="attention")
        self.attention_dropout = keras.layers.Dropout(self.dropout)
        self.norm2 = keras.layers.LayerNormalization(epsilon=_EPSILON, name="norm2")
        self.ff1 = keras.layers.Dense(self.ff_units, activation="gelu", name="ff1")
        self.ff2 = keras.layers.Dense(d, name="ff2")
        self.ff_dropout = keras.layers.Dropout(self.dropout)
        shape = tuple(input_shape)
        self.norm1.build(shape)
        self.attention.build(shape, shape)
        self.norm2.build(shape)
        self.ff1.build(shape)
        self.ff2.build((*shape[:-1], self.ff_units))

    def call(self, inputs, mask=None, training=None):
        normed = self.norm1(inputs)
        attended = self.attention(normed, normed, value_mask=mask, use_causal_mask=self.causal, training=training)
        x = inputs + self.attention_dropout(attended, training=training)
        fed = self.ff2(self.ff1(self.norm2(x)))
        return x + self.ff_dropout(fed, training=training)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "heads": self.heads, "ff_units": self.ff_units, "dropout": self.dropout,
                "causal": self.causal}


def causal_char_lm(vocab_size, *, d_model=128, heads=4, layers=2, ff_units=None, max_len=256, dropout=0.0,
                   name="causal_char_lm") -> keras.Model:
    """A decoder-only Transformer language model: ids ``[batch, time]`` (int32, ``time <= max_len``) ->
    logits ``[batch, time, vocab_size]`` (unnormalised, for ``SparseCategoricalCrossentropy(from_logits=True)``).

    ``Embedding(vocab_size, d_model)`` -> ``AddPositions(max_len)`` -> ``layers`` causal ``TransformerBlock``s
    (``heads`` heads, ``ff_units`` hidden units, ``4 * d_model`` when None) -> ``LayerNormalization`` ->
    ``Dense(vocab_size)``. The logits at step ``t`` depend on the ids up to ``t`` only. Id 0 is an ordinary
    token (no mask). Not compiled: the caller chooses optimizer and loss.
    """
    vocab_size = positive_int(vocab_size, "vocab_size")
    d_model = positive_int(d_model, "d_model")
    heads = positive_int(heads, "heads")
    layers = positive_int(layers, "layers")
    ff_units = 4 * d_model if ff_units is None else positive_int(ff_units, "ff_units")
    max_len = positive_int(max_len, "max_len")
    if d_model % heads:
        raise ValueError(f"d_model={d_model} must be a multiple of heads={heads} (each head gets d_model // heads "
                         "dimensions)")
    if not isinstance(name, str) or not name:
        raise ArgumentTypeError(f"name must be a non-empty string, got {describe(name)}")
    inputs = keras.Input((None,), dtype="int32", name="ids")
    x = keras.layers.Embedding(vocab_size, d_model, name="embedding")(inputs)
    x = AddPositions(max_len, name="positions")(x)
    for index in range(layers):
        x = TransformerBlock(heads, ff_units, dropout=dropout, causal=True, name=f"block_{index + 1}")(x)
    x = keras.layers.LayerNormalization(epsilon=_EPSILON, name="final_norm")(x)
    return keras.Model(inputs, keras.layers.Dense(vocab_size, name="logits")(x), name=name)


def _need_tensorflow(what):
    if keras.backend.backend() != "tensorflow":
        raise RuntimeError(f"{what} uses tf.function and needs the TensorFlow backend; the Keras backend is "
                           f"{keras.backend.backend()!r} (set KERAS_BACKEND=tensorflow before importing keras)")


def _context(context, max_context) -> int:
    if not is_int(context) or context < 0:
        raise ValueError(f"context must be a non-negative integer (tokens already seen), got {describe(context)}")
    if context > max_context:
        raise ValueError(f"context={context} is more than this method can hold before one more token "
                         f"({max_context}); build the model with a larger max_len")
    return int(context)


class KVCacheState(NamedTuple):
    """What :class:`KVCacheDecoder` carries from one token to the next: per layer, the keys and the values of
    the ``position`` tokens seen so far (each ``[1, position, heads, d // heads]``), and ``position``."""

    keys: tuple
    values: tuple
    position: int


class KVCacheDecoder:
    """Token-by-token decoding of a model from :func:`causal_char_lm`, with its trained weights and a key/value
    cache.

    ``state = decoder.empty()`` starts an empty context; ``logits, state = decoder.step(token_id, state)`` feeds
    one token and returns the logits ``[vocab_size]`` of the next one. Each step projects the new token only (the
    blocks' own layer norms, the attention's query/key/value/output ``EinsumDense`` layers and the feed-forward
    layers), appends its key and value to every layer's cache and attends over the cache: the work grows with the
    context only through that attention, never by recomputing earlier tokens. The logits equal
    ``model(ids)[0, t]`` (to float32 rounding). ``decoder.prefill(ids)`` fills the cache from a prompt in one
    forward pass. ``decoder.traces`` counts the tracings of the step's ``tf.function`` (the cache has a free time
    dimension, so one trace serves every length). Batch 1, inference only (no dropout).
    """

    def __init__(self, model):
        _need_tensorflow("KVCacheDecoder")
        layers = getattr(model, "layers", None)
        if not isinstance(model, keras.Model) or not layers:
            raise ArgumentTypeError(f"model must be a Keras model built by causal_char_lm, got {describe(model)}")
        top = [layer for layer in layers if not isinstance(layer, keras.layers.InputLayer)]
        if not (len(top) >= 5 and isinstance(top[0], keras.layers.Embedding) and isinstance(top[1], AddPositions)
                and all(isinstance(layer, TransformerBlock) for layer in top[2:-2])
                and isinstance(top[-2], keras.layers.LayerNormalization) and isinstance(top[-1], keras.layers.Dense)):
            raise ValueError(f"model {model.name!r} is not laid out as causal_char_lm builds it (Embedding, "
                             "AddPositions, TransformerBlocks, LayerNormalization, Dense); its layers: "
                             f"{', '.join(type(layer).__name__ for layer in top)}")
        self.embedding, self.positions, *self.blocks, self.final_norm, self.head = top
        if not all(block.causal for block in self.blocks):
            raise ValueError(f"model {model.name!r} has a TransformerBlock with causal=False: token-by-token "
                             "decoding gives the model's outputs only if every step sees the earlier steps alone")
        self.model = model
        self.vocab_size = int(self.embedding.input_dim)
        self.max_len = self.positions.max_len
        self.traces = 0
        heads = self.blocks[0].heads
        width = int(self.embedding.output_dim) // heads
        self._scale = 1.0 / math.sqrt(width)
        self._row = (1, 0, heads, width)  # an empty cache
        self._dtype = self.blocks[0].compute_dtype
        cache = tuple(tf.TensorSpec((1, None, heads, width), self._dtype) for _ in self.blocks)
        scalar = tf.TensorSpec((), tf.int32)
        self._step = tf.function(self._step_graph, input_signature=(scalar, scalar, cache, cache))
        self._prefill = tf.function(self._prefill_graph, input_signature=(tf.TensorSpec((1, None), tf.int32),))

    def empty(self) -> KVCacheState:
        """The state before any token: every layer's keys and values with 0 rows, position 0."""
        empty = tuple(tf.zeros(self._row, self._dtype) for _ in self.blocks)
        return KVCacheState(empty, empty, 0)

    def step(self, token_id, state):
        """Feed ``token_id`` (an int in ``[0, vocab_size)``) at position ``state.position``; returns ``(logits
        [vocab_size] tf.Tensor, the new state)`` whose caches are one row longer."""
        if not isinstance(state, KVCacheState) or len(state.keys) != len(self.blocks):
            raise ArgumentTypeError(f"state must be a KVCacheState of this decoder (from empty(), prefill() or "
                                    f"step()), got {describe(state)}")
        if not is_int(token_id):
            token_id = scalar(token_id)  # tf.argmax(logits) is a 0-d tensor
        if not is_int(token_id) or not 0 <= token_id < self.vocab_size:
            raise ValueError(f"token_id must be an integer in [0, {self.vocab_size}), got {describe(token_id)}")
        if state.position >= self.max_len:
            raise ValueError(f"the context is full: the model has positions for max_len={self.max_len} tokens "
                             "only; start again from empty() or prefill() a shorter prompt")
        logits, keys, values = self._step(tf.constant(token_id, tf.int32), tf.constant(state.position, tf.int32),
                                          state.keys, state.values)
        return logits, KVCacheState(tuple(keys), tuple(values), state.position + 1)

    def prefill(self, ids):
        """Run a prompt (``ids``: 1-D or ``[1, t]`` ints, ``1 <= t <= max_len``) through the model in one pass;
        returns ``(logits [vocab_size] of its last token, the state after it)``, as ``t`` steps would."""
        ids = np.asarray(ids)
        if ids.ndim == 1:
            ids = ids[None]
        if ids.ndim != 2 or ids.shape[0] != 1 or ids.dtype.kind not in "iu" or ids.shape[1] == 0:
            raise ArgumentTypeError(f"ids must be a non-empty 1-D or [1, t] array of token ids, got {describe(ids)}")
        if ids.shape[1] > self.max_len:
            raise ValueError(f"ids has {ids.shape[1]} tokens, more than the model's max_len={self.max_len}")
        if ids.min() < 0 or ids.max() >= self.vocab_size:
            raise ValueError(f"ids must be in [0, {self.vocab_size}), got values from {ids.min()} to {ids.max()}")
        logits, keys, values = self._prefill(tf.constant(ids, tf.int32))
        return logits, KVCacheState(tuple(keys), tuple(values), int(ids.shape[1]))

    def state_bytes(self, state) -> int:
        """Bytes of the keys and values in ``state``: ``2 * layers * position * d_model * 4`` in float32."""
        if not isinstance(state, KVCacheState):
            raise ArgumentTypeError(f"state must be a KVCacheState, got {describe(state)}")
        return _bytes_of([*state.keys, *state.values])

    def at_context(self, context, *, seed=0):
        """For :func:`streaming_costs`: a cache of ``context`` random tokens (one ``prefill``; an empty one for
        0) and ``(a call that feeds one more token, the cache's bytes)``."""
        context = _context(context, self.max_len - 1)
        rng = np.random.default_rng(seed_value(seed))
        state = self.prefill(rng.integers(0, self.vocab_size, context))[1] if context else self.empty()
        token = int(rng.integers(0, self.vocab_size))
        return (lambda: self.step(token, state)[0].numpy()), self.state_bytes(state)

    def _block_step(self, block, x, keys, values):
        """One block on the new token ``x [1, 1, d]`` with the cached ``keys``/``values``; also returns them with
        the new token's row appended."""
        attention = block.attention
        normed = block.norm1(x)
        keys = tf.concat([keys, attention._key_dense(normed)], axis=1)  # [1, t + 1, heads, width]
        values = tf.concat([values, attention._value_dense(normed)], axis=1)
        query = attention._query_dense(normed) * tf.cast(self._scale, normed.dtype)  # [1, 1, heads, width]
        weights = tf.nn.softmax(tf.einsum("bqhw,bkhw->bhqk", query, keys), axis=-1)
        x = x + attention._output_dense(tf.einsum("bhqk,bkhw->bqhw", weights, values))
        return x + block.ff2(block.ff1(block.norm2(x))), keys, values

    def _step_graph(self, token, position, keys, values):
        self.traces += 1  # Python runs this body once per tracing only
        x = self.embedding(tf.reshape(token, (1, 1)))
        x = x + tf.cast(tf.gather(self.positions.positions, position), x.dtype)
        new_keys, new_values = [], []
        for block, block_keys, block_values in zip(self.blocks, keys, values):
            x, block_keys, block_values = self._block_step(block, x, block_keys, block_values)
            new_keys.append(block_keys)
            new_values.append(block_values)
        return self.head(self.final_norm(x))[0, 0], tuple(new_keys), tuple(new_values)

    def _prefill_graph(self, ids):
        x = self.positions(self.embedding(ids))
        keys, values = [], []
        for block in self.blocks:
            normed = block.norm1(x)
            keys.append(block.attention._key_dense(normed))
            values.append(block.attention._value_dense(normed))
            x = block(x, training=False)
        return self.head(self.final_norm(x))[0, -1], tuple(keys), tuple(values)


class RecomputeStep:
    """The no-cache baseline of :func:`recompute_step`: ``step(ids)`` runs the whole prefix ``ids [1, t]``
    through ``model`` and returns the logits ``[vocab_size]`` (a ``tf.Tensor``) of its last position."""

    def __init__(self, model):
        _need_tensorflow("recompute_step")
        if not isinstance(model, keras.Model):
            raise ArgumentTypeError(f"model must be a Keras model from ids [batch, time] to logits [batch, time, "
                                    f"vocab], got {describe(model)}")
        self.model = model
        self.traces = 0
        self._call = tf.function(self._graph, input_signature=(tf.TensorSpec((1, None), tf.int32),))
        embedding = next((layer for layer in model.layers if isinstance(layer, keras.layers.Embedding)), None)
        positions = next((layer for layer in model.layers if isinstance(layer, AddPositions)), None)
        self.vocab_size = None if embedding is None else int(embedding.input_dim)
        self.max_len = None if positions is None else positions.max_len

    def _graph(self, ids):
        self.traces += 1  # Python runs this body once per tracing only
        return self.model(ids, training=False)[0, -1]

    def __call__(self, ids):
        ids = np.asarray(ids)
        if ids.ndim == 1:
            ids = ids[None]
        if ids.ndim != 2 or ids.shape[0] != 1 or ids.dtype.kind not in "iu" or ids.shape[1] == 0:
            raise ArgumentTypeError(f"ids must be a non-empty 1-D or [1, t] array of token ids, got {describe(ids)}")
        if ids.min() < 0 or (self.vocab_size is not None and ids.max() >= self.vocab_size):
            top = "" if self.vocab_size is None else f" and below the vocabulary size {self.vocab_size}"
            raise ValueError(f"ids must be token ids >= 0{top}, got values from {ids.min()} to {ids.max()}")
        return self._call(tf.constant(ids, tf.int32))

    def at_context(self, context, *, seed=0):
        """For :func:`streaming_costs`: ``context`` random ids plus one new token, and ``(a call that recomputes
        all ``context + 1`` positions, the bytes of the ``context`` ids kept (int32))``."""
        if self.vocab_size is None:
            raise ValueError(f"model {self.model.name!r} has no Embedding layer to take the vocabulary size from")
        context = _context(context, (self.max_len or math.inf) - 1)
        rng = np.random.default_rng(seed_value(seed))
        ids = tf.constant(rng.integers(0, self.vocab_size, (1, context + 1)), tf.int32)
        return (lambda: self._call(ids).numpy()), 4 * context


def recompute_step(model) -> RecomputeStep:
    """A callable ``ids_so_far [1, t] -> logits [vocab_size]`` of the last position that runs ``model`` (ids
    ``[batch, time]`` -> logits ``[batch, time, vocab]``, e.g. from :func:`causal_char_lm`) on the whole prefix
    every time: the cost of one more token without a cache. One ``tf.function`` with input signature
    ``[1, None]`` serves every length (``.traces`` counts its tracings)."""
    return RecomputeStep(model)


class RecurrentStep:
    """One step of a recurrent cell at batch 1, from :func:`recurrent_step`: ``output, state = step(x, state)``
    with ``x [1, input_dim]`` and ``state`` a list of ``[1, size]`` tensors (one for GRU and SimpleRNN, ``[h, c]``
    for LSTM)."""

    def __init__(self, cell, input_dim=None):
        _need_tensorflow("recurrent_step")
        sizes = getattr(cell, "state_size", None)
        if not isinstance(cell, keras.layers.Layer) or sizes is None:
            raise ArgumentTypeError(f"cell must be a Keras recurrent cell (e.g. keras.layers.GRUCell(64)), got "
                                    f"{describe(cell)}")
        sizes = [int(size) for size in (sizes if isinstance(sizes, list | tuple) else [sizes])]
        if cell.built:  # keep its weights; read its input width from its kernel where it has one
            kernel = getattr(cell, "kernel", None)
            built_dim = None if kernel is None else int(kernel.shape[0])
            if input_dim is None:
                if built_dim is None:
                    raise ValueError("input_dim is needed: the built cell has no kernel to read its input width from")
                input_dim = built_dim
            elif positive_int(input_dim, "input_dim") != (built_dim or input_dim):
                raise ValueError(f"input_dim={input_dim} does not match the built cell's input width {built_dim}")
        elif input_dim is None:
            raise ValueError("input_dim is needed for a cell that is not built yet (the width of its inputs)")
        else:
            input_dim = positive_int(input_dim, "input_dim")
            cell.build((None, input_dim))
        input_dim = int(input_dim)
        self.cell, self.input_dim, self.sizes = cell, input_dim, sizes
        self.traces = 0
        self._call = tf.function(self._graph, input_signature=(
            tf.TensorSpec((1, input_dim), cell.compute_dtype),
            [tf.TensorSpec((1, size), cell.compute_dtype) for size in sizes]))

    def _graph(self, x, state):
        self.traces += 1  # Python runs this body once per tracing only
        output, new_state = self.cell(x, list(state))
        return output, list(new_state) if isinstance(new_state, list | tuple) else [new_state]

    def initial_state(self) -> list:
        """Zeros, one ``[1, size]`` tensor per state of the cell."""
        return [tf.zeros((1, size), self.cell.compute_dtype) for size in self.sizes]

    def __call__(self, x, state):
        x = numeric_array(x, "x")
        if x.shape != (1, self.input_dim):
            raise ValueError(f"x must be one input step [1, {self.input_dim}], got shape {x.shape}")
        if not isinstance(state, list | tuple) or len(state) != len(self.sizes):
            raise ArgumentTypeError(f"state must be a list of {len(self.sizes)} array(s) [1, size] (initial_state() "
                                    f"gives the first one), got {describe(state)}")
        for index, (part, size) in enumerate(zip(state, self.sizes)):
            if numeric_array(part, f"state[{index}]").shape != (1, size):
                raise ValueError(f"state[{index}] must have shape (1, {size}), got {np.shape(part)}")
        return self._step(x, state)

    def _step(self, x, state):
        return self._call(tf.convert_to_tensor(x, self.cell.compute_dtype),
                          [tf.convert_to_tensor(s, self.cell.compute_dtype) for s in state])

    def at_context(self, context, *, seed=0):
        """For :func:`streaming_costs`: the state after ``context`` steps on random inputs, and ``(a call that
        feeds one more input, the state's bytes)`` — the same size at every context."""
        context = _context(context, math.inf)
        rng = np.random.default_rng(seed_value(seed))
        inputs = rng.normal(size=(context + 1, 1, self.input_dim)).astype(self.cell.compute_dtype)
        state = self.initial_state()
        for x in inputs[:-1]:
            state = self._step(x, state)[1]
        x = tf.constant(inputs[-1])
        return (lambda: self._call(x, state)[0].numpy()), _bytes_of(state)


def recurrent_step(cell, input_dim=None) -> RecurrentStep:
    """``cell`` (``keras.layers.GRUCell(units)``, ``LSTMCell`` or ``SimpleRNNCell``) as a one-step function at
    batch 1 in a ``tf.function``: ``output, state = step(x [1, input_dim], state)``, the recurrent side of
    :func:`streaming_costs`. ``input_dim`` builds a new cell; a built cell (e.g. ``model.layers[1].cell`` of a
    trained ``GRU``) keeps its weights. The step is the cell alone: an embedding lookup and the output
    ``Dense(vocab)`` would add the same small cost at every context."""
    return RecurrentStep(cell, input_dim)


def streaming_costs(step_fns, contexts=(10, 100, 500, 1000, 2000), *, repeats=50, warmup=5, seed=0):
    """The cost of ONE more token at batch 1 after ``context`` tokens, for each method and context.

    ``step_fns`` maps a name to a method: a :class:`KVCacheDecoder`, the result of :func:`recompute_step` or of
    :func:`recurrent_step` (anything with ``at_context(context, seed=...)`` returning ``(a call of no arguments
    that feeds one token, the bytes carried)``). For each context (in order) each method (in order) is first
    brought to that context (the cache from one forward pass over ``context`` random tokens, the ids, or the
    state after ``context`` steps), then one more token is timed ``repeats`` times after ``warmup`` untimed calls
    (:func:`utils.latency.time_calls`); the calls always start from the same context.

    Returns a ``pandas.DataFrame`` with one row per (method, context) and columns ``method``, ``context``,
    ``p50_us``, ``p99_us``, ``mean_us`` (microseconds per token, :func:`utils.latency.latency_summary`; with
    ``repeats`` under 100, ``p99`` is close to the slowest call) and ``state_bytes`` (what the method carries to
    the next token at that context: the keys and values, the ids as int32, the recurrent state).
    """
    import pandas as pd

    if not isinstance(step_fns, dict) or not step_fns:
        raise ArgumentTypeError(f"step_fns must be a non-empty dict of name -> method, got {describe(step_fns)}")
    for name, method in step_fns.items():
        if not isinstance(name, str):
            raise ArgumentTypeError(f"step_fns keys must be method names (str), got {describe(name)}")
        if not callable(getattr(method, "at_context", None)):
            raise ArgumentTypeError(f"step_fns[{name!r}] must be a KVCacheDecoder, recompute_step(model) or "
                                    f"recurrent_step(cell), got {describe(method)}")
    if isinstance(contexts, str | bytes) or not hasattr(contexts, "__iter__"):
        raise ArgumentTypeError(f"contexts must be a list of context lengths, got {describe(contexts)}")
    contexts = list(contexts)
    if not contexts:
        raise ValueError("contexts must hold at least one context length")
    for index, context in enumerate(contexts):
        if not is_int(context) or context < 0:
            raise ValueError(f"contexts[{index}] must be a non-negative integer, got {describe(context)}")
    repeats = positive_int(repeats, "repeats")
    if not is_int(warmup) or warmup < 0:
        raise ValueError(f"warmup must be a non-negative integer, got {describe(warmup)}")
    seed = seed_value(seed)
    rows = []
    for context in contexts:
        for name, method in step_fns.items():
            one_token, nbytes = method.at_context(int(context), seed=seed)
            summary = latency_summary(time_calls(one_token, repeats=repeats, warmup=warmup))
            rows.append({"method": name, "context": int(context), "p50_us": summary["p50_us"],
                         "p99_us": summary["p99_us"], "mean_us": summary["mean_us"], "state_bytes": int(nbytes)})
    return pd.DataFrame(rows, columns=["method", "context", "p50_us", "p99_us", "mean_us", "state_bytes"])
