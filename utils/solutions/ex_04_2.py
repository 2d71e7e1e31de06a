"""Exercise 04.2: the padding trap without a mask, with padding at the end ('post') and at the start ('pre')."""
import keras

from utils import by_mode
from utils.datasets import load_imdb
from utils.sentiment import sentiment_classifier
from utils.text import ReviewEncoder

VOCAB, MAX_LEN = 20_000, by_mode(full=300, fast=60)
TRAP_REVIEWS, TRAP_EPOCHS = by_mode(full=5000, fast=256), by_mode(full=2, fast=1)  # the lesson's trap
train = load_imdb("train", limit=TRAP_REVIEWS)
validation = load_imdb("validation", limit=by_mode(full=None, fast=128))


accuracy = {}
for padding in ("post", "pre"):
    encode = ReviewEncoder(train["text"], vocab_size=VOCAB, max_len=MAX_LEN, padding=padding, truncating="pre")
    keras.utils.set_random_seed(7)
    model = sentiment_classifier(keras.layers.LSTM(64), vocab_size=VOCAB, max_len=MAX_LEN,
                                 mask_zero=False)  # no mask: the LSTM reads the zeros
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(encode(train["text"]), train["label"].to_numpy(),
                        validation_data=(encode(validation["text"]), validation["label"].to_numpy()),
                        epochs=TRAP_EPOCHS, batch_size=64, verbose=0)
    accuracy[padding] = float(history.history["val_accuracy"][-1])
    print(f"padding={padding!r}, no mask: validation accuracy {accuracy[padding]:.3f}")

answer = {**accuracy, "why": "b"}  # pre-padding: the real words come last, right before the final state
