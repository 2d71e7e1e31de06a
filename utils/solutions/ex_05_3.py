"""Exercise 05.3: the seed spread of bidirectional_lstm against the dropout gain lesson 05 measured."""
import keras

from utils import by_mode
from utils.datasets import load_imdb
from utils.results import load_results
from utils.sentiment import sentiment_classifier, train_classifier
from utils.text import ReviewEncoder

train = load_imdb("train", limit=by_mode(full=None, fast=256))
validation = load_imdb("validation", limit=by_mode(full=None, fast=128))
test = load_imdb("test", limit=by_mode(full=None, fast=128))
VOCAB, MAX_LEN = 20_000, by_mode(full=300, fast=30)
EPOCHS = by_mode(full=2, fast=1)
SEEDS = by_mode(full=[42, 1, 2], fast=[42, 1])
encode = ReviewEncoder(train["text"], vocab_size=VOCAB, max_len=MAX_LEN)
splits = [(encode(part["text"]), part["label"].to_numpy()) for part in (train, validation, test)]

accuracies = []
for seed in SEEDS:  # lesson 05's bidirectional_lstm with lesson 04's recipe, one run per seed
    _, _, report = train_classifier(
        lambda: sentiment_classifier(keras.layers.Bidirectional(keras.layers.LSTM(64)), vocab_size=VOCAB),
        *splits, seed=seed, epochs=EPOCHS, patience=2, verbose=0)
    accuracies.append(report["test"]["accuracy"])
print("bidirectional_lstm test accuracy per seed:", [round(a, 3) for a in accuracies])

stored = load_results("sentiment_deeper")["models"]  # lesson 05's full run, committed with the course
gain = stored["bidirectional_lstm_dropout"]["test"]["accuracy"] - stored["bidirectional_lstm"]["test"]["accuracy"]
spread = max(accuracies) - min(accuracies)
print(f"dropout gain in lesson 05: {gain:+.3f}; seed spread here: {spread:.3f}")

answer = {"accuracies": accuracies, "dropout_gain": gain, "gain_counts": abs(gain) > spread}
