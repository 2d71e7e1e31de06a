"""Exercise 02.3: gate saturation of the small LSTM trained with learning rate 0.01, between 0.001 and 0.05."""
import keras

from utils import by_mode
from utils.datasets import load_imdb
from utils.lstm_gates import gate_values, saturated_share  # the lesson's gate measurements
from utils.text import ReviewEncoder

MAX_TOKENS, SEQ_LEN = 10_000, 200
EPOCHS = by_mode(full=10, fast=1)
GATE_REVIEWS = by_mode(full=200, fast=5)
train = load_imdb("train", limit=by_mode(full=None, fast=200))
validation = load_imdb("validation", limit=by_mode(full=None, fast=100))
test = load_imdb("test", limit=by_mode(full=None, fast=100))
encode = ReviewEncoder(train["text"], vocab_size=MAX_TOKENS, max_len=SEQ_LEN)  # the last 200 words
x_train, y_train = encode(train["text"]), train["label"].to_numpy()
x_val, y_val = encode(validation["text"]), validation["label"].to_numpy()  # decides early stopping
x_test, y_test = encode(test["text"]), test["label"].to_numpy()  # measures


def train_small_lstm(learning_rate, seed=1):
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([
        keras.Input((SEQ_LEN,), dtype="int32"),
        keras.layers.Embedding(MAX_TOKENS, 32, mask_zero=True),
        keras.layers.LSTM(32),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="binary_crossentropy", metrics=["accuracy"])
    stop = keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=2, restore_best_weights=True)
    model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=EPOCHS, batch_size=64, callbacks=[stop],
              verbose=0)
    return model


shares = {}
for learning_rate in (0.001, 0.01, 0.05):
    model = train_small_lstm(learning_rate)
    shares[f"lr {learning_rate}"] = saturated_share(gate_values(model, x_test, GATE_REVIEWS))  # mean of 3 gates
    accuracy = model.evaluate(x_test, y_test, verbose=0)[1]
    print(f"lr {learning_rate}: {shares[f'lr {learning_rate}']:.1%} of gate values saturated, "
          f"test accuracy {accuracy:.3f}")

closer = min(("lr 0.001", "lr 0.05"), key=lambda k: abs(shares["lr 0.01"] - shares[k]))
answer = {**shares, "closer_to": closer}
