"""Exercise 08.2: the attention weights of lesson 08's attention-pooled LSTM for a review of one's own.

Pasted into lesson 08's notebook, this uses the lesson's `weights_model` and `encode`. Run on its own (with runpy, or
by the tests) it has neither, so it first trains one seed of the lesson's attention model the lesson's way: the same
reviews, encoding, classifier and recipe (utils.sentiment.train_classifier).
"""
import re

import keras
import numpy as np

from utils import by_mode

if "weights_model" not in globals() or "encode" not in globals():
    from utils.attention import AttentionPooling, attention_weights_model
    from utils.datasets import load_imdb
    from utils.sentiment import sentiment_classifier, train_classifier
    from utils.text import ReviewEncoder

    VOCAB, MAX_LEN = 20_000, by_mode(full=300, fast=60)  # the lesson's (and lesson 04's) encoding
    parts = [load_imdb(split, limit=by_mode(full=limit, fast=fast))
             for split, limit, fast in (("train", 8_000, 1_200), ("validation", None, 400), ("test", None, 400))]
    encode = ReviewEncoder(parts[0]["text"], vocab_size=VOCAB, max_len=MAX_LEN)
    splits = [(encode(part["text"]), part["label"].to_numpy()) for part in parts]
    model, _, _ = train_classifier(
        lambda: sentiment_classifier(keras.layers.LSTM(64, return_sequences=True),
                                     AttentionPooling(name="attention"), vocab_size=VOCAB),
        *splits, seed=0, epochs=by_mode(full=4, fast=1), patience=2, verbose=0)
    weights_model = attention_weights_model(model)

review = "A dull and boring film. I want my two hours back, the acting was awful."
weights = keras.ops.convert_to_numpy(weights_model.predict(encode([review]), verbose=0))[0]
# The review's words as TextVectorization splits them (lower case, punctuation removed), in order; the
# vocabulary would show a word it does not know as [UNK]. Post-padding: the words come first, then zeros.
words = re.sub(r"[!\"#$%&()*+,\-./:;<=>?@\[\\\]^_`{|}~']", "", review.lower()).split()[-len(weights):]
for word, weight in zip(words, weights):
    print(f"{word:>8} {weight:.3f} ({weight * len(words):.2f} x the uniform 1/{len(words)})")
print(f"padding gets {weights[len(words):].sum():.1e} of the weight")

answer = {"review": review, "weights": weights, "top_word": words[int(np.argmax(weights))]}
