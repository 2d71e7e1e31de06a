"""Exercise 05.3: the stacked LSTM, three seeds, decided against lesson 04's LSTM on the same test reviews."""
import logging

import keras
import numpy as np

from utils import by_mode
from utils.datasets import load_imdb
from utils.predictions import load_predictions
from utils.results import load_results
from utils.runmode import run_mode
from utils.sentiment import review_outcomes, sentiment_classifier, train_classifier
from utils.text import ReviewEncoder
from utils.verdicts import compare

# The lesson's data, encoding and recipe (lesson 04's budget and stopping rule, length-bucketed batches).
train = load_imdb("train", limit=by_mode(full=None, fast=1200))
validation = load_imdb("validation", limit=by_mode(full=None, fast=400))
test = load_imdb("test", limit=by_mode(full=None, fast=400))
VOCAB, MAX_LEN = 20_000, by_mode(full=300, fast=60)
EPOCHS, PATIENCE = by_mode(full=4, fast=1), 2
SEEDS = by_mode(full=[0, 1, 2], fast=[0, 1, 2])
encode = ReviewEncoder(train["text"], vocab_size=VOCAB, max_len=MAX_LEN)
x_train, x_val, x_test = (encode(part["text"]) for part in (train, validation, test))
y_train, y_val, y_test = (part["label"].to_numpy() for part in (train, validation, test))
splits_300 = ((x_train, y_train), (x_val, y_val), (x_test, y_test))
# review_outcomes predicts batches of several lengths; TensorFlow's warning about retracing them is harmless
logging.getLogger("tensorflow").setLevel(logging.ERROR)


def train_model(build, splits, seed):  # the lesson's train_model
    return train_classifier(build, *splits, seed=seed, epochs=EPOCHS, patience=PATIENCE, verbose=0)


def sentiment_model(*middle):  # the lesson's: lesson 04's classifier with other layers in the middle
    return sentiment_classifier(*middle, vocab_size=VOCAB)


def stacked_lstm():
    return sentiment_model(keras.layers.LSTM(128, return_sequences=True), keras.layers.LSTM(64))


accuracies, outcomes = [], []
for seed in SEEDS:
    model, _, record = train_model(stacked_lstm, splits_300, seed)
    accuracies.append(record["test"]["accuracy"])
    outcomes.append(review_outcomes(model, x_test, y_test))  # 1/0 per test review, in the order of y_test
outcomes = np.stack(outcomes)  # [seeds, reviews]
print("stacked_lstm test accuracy per seed:", [round(a, 4) for a in accuracies])

# lesson 04's stored LSTM of this run mode (lstm_seeds and stored_items("lstm") in the lesson)
lstm_seeds = load_results("sentiment", mode=run_mode())["models"]["lstm"]["test_accuracy_seeds"]
lstm_items = load_predictions("sentiment", run_mode())["lstm"]  # [seeds, reviews]: 1/0 per test review
c = compare(accuracies, lstm_seeds, names=("stacked_lstm", "lstm"), items=(outcomes, lstm_items),
            margin="accuracy")
print(c.describe())

answer = {"accuracies": accuracies, "outcomes": outcomes, "outcome": c.outcome}
