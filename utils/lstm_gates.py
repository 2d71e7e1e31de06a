"""Looking inside a trained LSTM (lesson 02 and exercise 02.3): its gates on real reviews, how many of them are
saturated, and the size of each weight's gradient during training.

    from utils.lstm_gates import GradientLog, gate_values, lstm_gates, saturated_share

The gates come from lesson 02's NumPy LSTM (``utils.lesson_functions.lstm_forward``) run with the trained layer's
weights on each review's word vectors, without the padding.
"""

import keras
import numpy as np

from utils.checks import ArgumentTypeError, describe, positive_int
from utils.lesson_functions import lstm_forward

GATES = ("input", "forget", "output")


def _embedding_and_lstm(model):
    layers = getattr(model, "layers", None)
    if not layers or len(layers) < 2 or not isinstance(layers[0], keras.layers.Embedding) \
            or not isinstance(layers[1], keras.layers.LSTM):
        raise ArgumentTypeError(f"model must be a Sequential whose first layers are an Embedding and an LSTM, "
                                f"got {describe(model)}")
    return layers[0], layers[1]


def _ids(ids, name):
    array = None if ids is None or isinstance(ids, str | bytes | dict) else np.asarray(ids)
    if array is None or array.dtype.kind not in "iu" or array.ndim != 1 or array.size == 0:
        raise ArgumentTypeError(f"{name} must be a 1-D array of word ids, got {describe(ids)}")
    return array


def lstm_gates(model, ids):
    """The model's LSTM run in NumPy on one review's word ids (no padding) -> (final state [units],
    gates {name: [time, units]}, Keras' final state [units]), so that the two final states can be compared."""
    embedding, lstm = _embedding_and_lstm(model)
    vectors = keras.ops.convert_to_numpy(embedding(_ids(ids, "ids")[None]))
    states, gates = lstm_forward(vectors, *lstm.get_weights())
    return states[0, -1], {name: values[0] for name, values in gates.items()}, \
        keras.ops.convert_to_numpy(lstm(vectors))[0]


def gate_values(model, x, n_reviews):
    """Every gate value of the model's LSTM on the first ``n_reviews`` rows of ``x`` (padded word ids, padding 0)
    -> {gate: 1-D array of values}, over every unit and every word."""
    embedding, lstm = _embedding_and_lstm(model)
    x = np.asarray(x)
    if x.ndim != 2 or x.dtype.kind not in "iu":
        raise ArgumentTypeError(f"x must be padded word ids [reviews, length], got {describe(x)}")
    n_reviews = positive_int(n_reviews, "n_reviews")
    weights = lstm.get_weights()
    collected = {name: [] for name in GATES}
    for row in x[:n_reviews]:
        if not (row > 0).any():
            continue  # a review that is all padding has no gates
        vectors = keras.ops.convert_to_numpy(embedding(row[row > 0][None]))
        _, gates = lstm_forward(vectors, *weights)
        for name in GATES:
            collected[name].append(gates[name][0].ravel())
    if not collected[GATES[0]]:
        raise ValueError("x holds no word in its first n_reviews rows (every row is padding)")
    return {name: np.concatenate(values) for name, values in collected.items()}


def saturated_share(values, low=0.1, high=0.9) -> float:
    """Share of gate values below ``low`` or above ``high``; for a dict {gate: values}, the mean over the gates."""
    if isinstance(values, dict):
        if not values:
            raise ValueError("values is an empty dict: pass {gate: values}")
        return float(np.mean([saturated_share(v, low, high) for v in values.values()]))
    array = None if values is None or isinstance(values, str | bytes) else np.asarray(values, dtype="float64")
    if array is None or array.size == 0 or not np.isfinite(array).all():
        raise ValueError(f"values must be a non-empty array of finite gate values, got {describe(values)}")
    if not 0 <= low < high <= 1:
        raise ValueError(f"low and high must satisfy 0 <= low < high <= 1, got {low!r} and {high!r}")
    return float(np.mean((array < low) | (array > high)))


class GradientLog(keras.callbacks.Callback):
    """After every epoch, the gradient of the loss on one fixed batch with respect to each weight: a TensorBoard
    histogram of it (under ``log_dir``), and its root mean square per element in ``self.rms`` (one
    {weight: rms} per epoch), so that weights of very different sizes can be compared."""

    def __init__(self, log_dir, x, y):
        import tensorflow as tf

        super().__init__()
        self.writer = tf.summary.create_file_writer(str(log_dir))
        self.x, self.y = x, np.asarray(y, dtype="float32")
        self.rms = []

    def on_epoch_end(self, epoch, logs=None):
        import tensorflow as tf

        weights = {f"{layer.name.split('_')[0]} {weight.name}": weight
                   for layer in self.model.layers for weight in layer.trainable_weights}
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(keras.losses.binary_crossentropy(self.y, self.model(self.x)[:, 0]))
        gradients = tape.gradient(loss, list(weights.values()))
        rms = {}
        with self.writer.as_default(step=epoch):
            for (name, weight), gradient in zip(weights.items(), gradients):
                gradient = tf.convert_to_tensor(gradient)  # the embedding's comes as sparse rows
                tf.summary.histogram(f"gradient/{weight.path}", gradient)
                rms[name] = float(tf.sqrt(tf.reduce_mean(tf.square(gradient))))
        self.writer.flush()
        self.rms.append(rms)


def small_lstm(vocab_size=10_000, seq_len=200, units=32):
    """Lesson 02's small sentiment LSTM: ``Embedding(vocab_size, units, mask_zero=True)`` -> ``LSTM(units)`` ->
    ``Dense(1, sigmoid)``, reading ``seq_len`` word ids."""
    vocab_size, seq_len, units = (positive_int(v, n) for v, n in ((vocab_size, "vocab_size"), (seq_len, "seq_len"),
                                                                 (units, "units")))
    return keras.Sequential([
        keras.Input((seq_len,), dtype="int32"),
        keras.layers.Embedding(vocab_size, units, mask_zero=True),
        keras.layers.LSTM(units),
        keras.layers.Dense(1, activation="sigmoid"),
    ])


def train_small_lstm(learning_rate, seed, train, validation, *, epochs, callbacks=(), verbose=2, **model_args):
    """Seed, build (:func:`small_lstm` with ``model_args``), compile with Adam at ``learning_rate`` and fit on
    ``train = (x, y)`` to the best validation epoch (early stopping, patience 2, best weights restored). Returns
    ``(model, history, training seconds)``."""
    from utils.measure import Measure

    epochs = positive_int(epochs, "epochs")
    if not (isinstance(learning_rate, int | float) and not isinstance(learning_rate, bool) and learning_rate > 0):
        raise ValueError(f"learning_rate must be a positive number, got {describe(learning_rate)}")
    keras.utils.set_random_seed(seed)
    model = small_lstm(**model_args)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="binary_crossentropy", metrics=["accuracy"])
    stop = keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=2, restore_best_weights=True)
    with Measure() as run:
        history = model.fit(*train, validation_data=validation, epochs=epochs, batch_size=64,
                            callbacks=[stop, *callbacks], verbose=verbose)
    return model, history, run.seconds
