"""Exercise 08.2: the attention weights of an attention-pooled LSTM for a review of one's own."""
import re

import keras
import numpy as np

from utils import by_mode
from utils.attention import AttentionPooling
from utils.datasets import load_imdb
from utils.text import ReviewEncoder

train = load_imdb("train", limit=by_mode(full=8_000, fast=256))
validation = load_imdb("validation", limit=by_mode(full=None, fast=64))
SEQ_LEN, VOCAB_SIZE = by_mode(full=150, fast=30), 20_000
encode = ReviewEncoder(train["text"], vocab_size=VOCAB_SIZE, max_len=SEQ_LEN)


keras.utils.set_random_seed(0)
inputs = keras.Input((SEQ_LEN,), dtype="int32")
states = keras.layers.LSTM(64, return_sequences=True)(keras.layers.Embedding(VOCAB_SIZE, 64, mask_zero=True)(inputs))
pooled, attention = AttentionPooling(name="attention")(states)
attention_model = keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid")(pooled))
attention_model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
attention_model.fit(encode(train["text"]), train["label"].to_numpy(), batch_size=64, epochs=by_mode(full=3, fast=1),
                    validation_data=(encode(validation["text"]), validation["label"].to_numpy()), verbose=0)
weights_model = keras.Model(attention_model.input, attention_model.get_layer("attention").output[1])

review = "A dull and boring film. I want my two hours back, the acting was awful."
weights = keras.ops.convert_to_numpy(weights_model.predict(encode([review]), verbose=0))[0]
# The review's words as TextVectorization splits them (lower case, punctuation removed), in order; the
# vocabulary would show a word it does not know as [UNK]. Post-padding: the words come first, then zeros.
words = re.sub(r"[!\"#$%&()*+,\-./:;<=>?@\[\\\]^_`{|}~']", "", review.lower()).split()[-SEQ_LEN:]
for word, weight in zip(words, weights):
    print(f"{word:>8} {weight:.3f}")
print(f"padding gets {weights[len(words):].sum():.1e} of the weight")

answer = {"review": review, "weights": weights, "top_word": words[int(np.argmax(weights))]}
