"""Exercise 05.3: the stacked LSTM, three seeds, decided against lesson 04's LSTM on the same test reviews."""
import logging

import keras

from utils import by_mode
from utils.datasets import load_imdb
from utils.predictions import load_predictions
from utils.results import load_results
from utils.runmode import run_mode
from utils.sentiment import sentiment_classifier, stored_outcomes, train_seeds
from utils.text import ReviewEncoder
from utils.verdicts import compare

# In the notebook, VOCAB, SEEDS, EPOCHS, splits_300, lstm_seeds and lstm_items already exist; here they are
# made the same way (lesson 04's data, encoding, budget and seeds).
train = load_imdb("train", limit=by_mode(full=None, fast=1200))
validation = load_imdb("validation", limit=by_mode(full=None, fast=400))
test = load_imdb("test", limit=by_mode(full=None, fast=400))
VOCAB, MAX_LEN = 20_000, by_mode(full=300, fast=60)
EPOCHS, SEEDS = by_mode(full=4, fast=1), [0, 1, 2]
encode = ReviewEncoder(train["text"], vocab_size=VOCAB, max_len=MAX_LEN)
splits_300 = [(encode(part["text"]), part["label"].to_numpy()) for part in (train, validation, test)]
lstm_seeds = load_results("sentiment", mode=run_mode())["models"]["lstm"]["test_accuracy_seeds"]
lstm_items = stored_outcomes(load_predictions("sentiment", run_mode()), "lstm", len(splits_300[2][1]))
# per-review predictions come in batches of several lengths; TensorFlow's warning about retracing them is harmless
logging.getLogger("tensorflow").setLevel(logging.ERROR)

LSTM = keras.layers.LSTM
stacked = train_seeds(lambda: sentiment_classifier(LSTM(128, return_sequences=True), LSTM(64), vocab_size=VOCAB),
                      *splits_300, seeds=SEEDS, epochs=EPOCHS, name="stacked_lstm")
accuracies = stacked.entry["test_accuracy_seeds"]
c = compare(accuracies, lstm_seeds, names=("stacked_lstm", "lstm"), items=(stacked.outcomes, lstm_items),
            margin="accuracy")
print(c.describe())

answer = {"accuracies": accuracies, "outcomes": stacked.outcomes, "outcome": c.outcome}
