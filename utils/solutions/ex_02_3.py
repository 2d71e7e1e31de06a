"""Exercise 02.3: gate saturation of the small LSTM trained with learning rate 0.01, between 0.001 and 0.05."""
import keras
import numpy as np

from utils import by_mode
from utils.datasets import load_imdb

MAX_TOKENS, SEQ_LEN = 10_000, 200
EPOCHS = by_mode(full=10, fast=1)
GATE_REVIEWS = by_mode(full=200, fast=20)
train = load_imdb("train", limit=by_mode(full=None, fast=500))
validation = load_imdb("validation", limit=by_mode(full=None, fast=200))
vectorize = keras.layers.TextVectorization(max_tokens=MAX_TOKENS, output_sequence_length=SEQ_LEN)
vectorize.adapt(train["text"].to_numpy())
x_train, y_train = vectorize(train["text"].to_numpy()), train["label"].to_numpy()
x_val, y_val = vectorize(validation["text"].to_numpy()), validation["label"].to_numpy()


def sigmoid(z):
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


def lstm_gates(x, kernel, recurrent_kernel, bias):
    """The input, forget and output gates of a Keras LSTM at every step, in NumPy."""
    units = recurrent_kernel.shape[0]
    h = np.zeros((x.shape[0], units), dtype=x.dtype)
    c = np.zeros((x.shape[0], units), dtype=x.dtype)
    gates = {"input": [], "forget": [], "output": []}
    for t in range(x.shape[1]):
        z = x[:, t] @ kernel + h @ recurrent_kernel + bias
        i, f, o = sigmoid(z[:, :units]), sigmoid(z[:, units:2 * units]), sigmoid(z[:, 3 * units:])
        c = f * c + i * np.tanh(z[:, 2 * units:3 * units])
        h = o * np.tanh(c)
        for name, value in (("input", i), ("forget", f), ("output", o)):
            gates[name].append(value)
    return {name: np.stack(v, axis=1) for name, v in gates.items()}


def train_small_lstm(learning_rate, seed=1):
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([
        keras.Input((SEQ_LEN,), dtype="int64"),
        keras.layers.Embedding(MAX_TOKENS, 32, mask_zero=True),
        keras.layers.LSTM(32),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="binary_crossentropy", metrics=["accuracy"])
    stop = keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=2, restore_best_weights=True)
    model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=EPOCHS, batch_size=64, callbacks=[stop],
              verbose=0)
    return model


def saturated_share(model, low=0.1, high=0.9):
    """Share of gate values below 0.1 or above 0.9, over the first validation reviews, averaged over the gates."""
    embedding, lstm = model.layers[0], model.layers[1]
    shares = {name: [] for name in ("input", "forget", "output")}
    for row in keras.ops.convert_to_numpy(x_val[:GATE_REVIEWS]):
        vectors = keras.ops.convert_to_numpy(embedding(row[row > 0][None]))
        for name, values in lstm_gates(vectors, *lstm.get_weights()).items():
            shares[name].append(values.ravel())
    return float(np.mean([np.mean((np.concatenate(v) < low) | (np.concatenate(v) > high)) for v in shares.values()]))


shares = {}
for learning_rate in (0.001, 0.01, 0.05):
    model = train_small_lstm(learning_rate)
    shares[f"lr {learning_rate}"] = saturated_share(model)
    accuracy = model.evaluate(x_val, y_val, verbose=0)[1]
    print(f"lr {learning_rate}: {shares[f'lr {learning_rate}']:.1%} of gate values saturated, "
          f"validation accuracy {accuracy:.3f}")

closer = min(("lr 0.001", "lr 0.05"), key=lambda k: abs(shares["lr 0.01"] - shares[k]))
answer = {**shares, "closer_to": closer}
