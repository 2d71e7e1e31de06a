"""Character-level Shakespeare as lessons 06, 09 and 10 feed it to a model: ids, training chunks, the model.

    from utils.chars import char_lookup, char_model, char_sequences

    to_ids = char_lookup(load_shakespeare("train"))       # StringLookup over the training characters; 0 = [UNK]
    ids = encode(to_ids, "To be, or not")                  # int64 ids, one per character
    train = char_sequences(ids, seq_len=100, batch_size=64, shuffle=True)   # (inputs, next characters)
    model = char_model("gru", vocab_size=to_ids.vocabulary_size(), units=128, learning_rate=0.005)

The text is cut into consecutive chunks of ``seq_len + 1`` characters; a chunk's first ``seq_len`` characters
are the inputs and its last ``seq_len`` the targets (each character's next one). The model is lesson 06's:
``Embedding(vocab, 64) → SimpleRNN / LSTM / GRU(units, return_sequences=True) → Dense(vocab)`` (logits), compiled
with Adam (gradient clipping at norm 1) and cross-entropy from logits, so its loss is in nats per character.
"""

import keras
import numpy as np
import tensorflow as tf

from utils.cells import cell_layer
from utils.checks import ArgumentTypeError, describe, flag, is_int, is_real, positive_int, scalar

__all__ = ["CharWriter", "char_lookup", "char_model", "char_sequences", "encode", "sequence_losses"]


def char_lookup(train_text) -> keras.layers.StringLookup:
    """A ``StringLookup`` over the distinct characters of ``train_text``, sorted (so the ids do not depend on
    the order characters first appear); id 0 is ``[UNK]``, for a character never seen in training."""
    if not isinstance(train_text, str) or not train_text:
        raise ArgumentTypeError(f"train_text must be a non-empty string, got {describe(train_text)}")
    return keras.layers.StringLookup(vocabulary=sorted(set(train_text)))


def encode(to_ids, text) -> np.ndarray:
    """The ids of ``text``'s characters (int64, one per character) under ``to_ids`` (from :func:`char_lookup`)."""
    if not isinstance(to_ids, keras.layers.StringLookup):
        raise ArgumentTypeError(f"to_ids must be the StringLookup of char_lookup, got {describe(to_ids)}")
    if not isinstance(text, str):
        raise ArgumentTypeError(f"text must be a string, got {describe(text)}")
    return keras.ops.convert_to_numpy(to_ids(tf.strings.unicode_split(text, "UTF-8"))).astype("int64")


def char_sequences(ids, *, seq_len, batch_size, shuffle, seed=0) -> tf.data.Dataset:
    """Batches of ``(inputs, targets)``, each ``[batch, seq_len]`` int64, from consecutive chunks of ``seq_len + 1``
    ids (a last, shorter chunk is dropped). ``shuffle=True`` shuffles the chunks (``seed``, anew each pass) and
    drops a last, smaller batch, for training; ``shuffle=False`` keeps the text's order and every chunk."""
    ids = np.asarray(ids)
    if ids.ndim != 1 or ids.dtype.kind not in "iu":
        raise ArgumentTypeError(f"ids must be a 1-D array of integer ids, got {describe(ids)}")
    if ids.size and ids.min() < 0:
        raise ValueError(f"ids must be token ids >= 0 (from encode), got a minimum of {ids.min()}")
    seq_len = positive_int(seq_len, "seq_len")
    batch_size = positive_int(batch_size, "batch_size")
    shuffle = flag(shuffle, "shuffle")
    if seed is not None and (not is_int(seed) or seed < 0):
        raise ValueError(f"seed must be None or a non-negative integer (the shuffle's seed), got {describe(seed)}")
    seed = None if seed is None else int(seed)
    if len(ids) < seq_len + 1:
        raise ValueError(f"the text has {len(ids)} characters, fewer than one chunk of seq_len + 1 = "
                         f"{seq_len + 1}")
    chunks = tf.data.Dataset.from_tensor_slices(ids.astype("int64")).batch(seq_len + 1, drop_remainder=True)
    chunks = chunks.map(lambda chunk: (chunk[:-1], chunk[1:]))
    if shuffle:
        chunks = chunks.shuffle(10_000, seed=seed, reshuffle_each_iteration=True)
    return chunks.batch(batch_size, drop_remainder=shuffle).prefetch(tf.data.AUTOTUNE)


def char_model(cell, *, vocab_size, units, learning_rate, embedding_dim=64) -> keras.Model:
    """Lesson 06's character model for ``cell`` (``"simple_rnn"``, ``"lstm"`` or ``"gru"``), compiled."""
    layer = cell_layer(cell)
    vocab_size = positive_int(vocab_size, "vocab_size")
    units = positive_int(units, "units")
    embedding_dim = positive_int(embedding_dim, "embedding_dim")
    learning_rate = scalar(learning_rate)
    if not is_real(learning_rate) or not 0 < learning_rate < 1:
        raise ValueError(f"learning_rate must be a number between 0 and 1, got {describe(learning_rate)}")
    learning_rate = float(learning_rate)
    inputs = keras.Input((None,), dtype="int64")
    x = keras.layers.Embedding(vocab_size, embedding_dim)(inputs)
    x = layer(units, return_sequences=True)(x)
    logits = keras.layers.Dense(vocab_size)(x)
    model = keras.Model(inputs, logits, name=f"char_{cell}")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate, clipnorm=1.0),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


def sequence_losses(model, data, *, head=100) -> dict:
    """Mean nats/char of every sequence of ``data`` (batches of ``(inputs, targets)``, each read from a zero state):
    ``{"whole": [...], "first": [...], "rest": [...]}``, one value per sequence, where ``"first"`` covers
    positions 1 to ``head`` and ``"rest"`` the positions after it (``"rest"`` is NaN for sequences of at most
    ``head`` characters). A model trained on chunks of ``head`` characters has never seen a position beyond
    them: comparing the two shows what reading on costs or gains."""
    head = positive_int(head, "head")
    parts = {"whole": [], "first": [], "rest": []}
    for x, y in data:
        nats = keras.ops.convert_to_numpy(keras.losses.sparse_categorical_crossentropy(
            y, model(x, training=False), from_logits=True))
        if nats.ndim != 2:
            raise ValueError(f"data must give [batch, length] targets, got losses of shape {nats.shape}")
        parts["whole"].append(nats.mean(axis=1))
        parts["first"].append(nats[:, :head].mean(axis=1))
        parts["rest"].append(nats[:, head:].mean(axis=1) if nats.shape[1] > head
                             else np.full(len(nats), np.nan))
    if not parts["whole"]:
        raise ValueError("data holds no batches")
    return {k: np.concatenate(v) for k, v in parts.items()}


class CharWriter:
    """Writes text with a trained :func:`char_model`, one character per call, carrying the recurrent state.

    The model's own layers are reused; only the recurrent layer is rebuilt from its config with
    ``return_state=True`` (and its trained weights copied in), so that each call returns the state to feed to
    the next: ``logits, states = writer.step(ids, states)``. ``write`` reads the prompt once, then samples
    (``utils.sampling.next_id``: temperature, top-k, nucleus) and feeds each new character back.
    """

    def __init__(self, model, to_ids):
        if not isinstance(model, keras.Model) or len(model.layers) != 4:
            raise ArgumentTypeError(f"model must be a char_model (Input, Embedding, recurrent layer, Dense), got "
                                    f"{describe(model)}")
        if not isinstance(to_ids, keras.layers.StringLookup):
            raise ArgumentTypeError(f"to_ids must be the StringLookup of char_lookup, got {describe(to_ids)}")
        self.embedding, recurrent, self.dense = model.layers[1:4]
        self.layer = recurrent.__class__.from_config(
            recurrent.get_config() | {"return_state": True, "return_sequences": False})
        self.layer.build((None, None, self.embedding.output_dim))
        self.layer.set_weights(recurrent.get_weights())
        self.n_states = 2 if isinstance(recurrent, keras.layers.LSTM) else 1
        self.to_ids = to_ids
        self.to_chars = keras.layers.StringLookup(vocabulary=to_ids.get_vocabulary()[1:], invert=True)
        self.step = tf.function(self._step)

    def _step(self, ids, states):
        output, *states = self.layer(self.embedding(ids), initial_state=states)
        return self.dense(output), states

    def zero_states(self):
        return [tf.zeros((1, self.layer.units)) for _ in range(self.n_states)]

    def write(self, prompt, n_chars, *, temperature=1.0, top_k=None, top_p=None, seed=0) -> str:
        """``prompt`` followed by ``n_chars`` sampled characters."""
        from utils.sampling import next_id

        if not isinstance(prompt, str) or not prompt:
            raise ArgumentTypeError(f"prompt must be a non-empty string, got {describe(prompt)}")
        n_chars = positive_int(n_chars, "n_chars")
        rng = np.random.default_rng(seed)
        logits, states = self.step(encode(self.to_ids, prompt)[None], self.zero_states())
        out = []
        for _ in range(n_chars):
            z = logits.numpy()[0].astype("float64")
            z[0] = z.min() - 1e4  # never write [UNK] (id 0): it is no character
            out.append(next_id(z, rng, temperature=temperature, top_k=top_k, top_p=top_p))
            logits, states = self.step(tf.constant([[out[-1]]], dtype=tf.int64), states)
        return prompt + "".join(c.decode() for c in self.to_chars(tf.constant(out)).numpy())
