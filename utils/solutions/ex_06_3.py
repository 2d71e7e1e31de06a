"""Exercise 06.3: how often samples at temperature 0.2 and 1.0 repeat 20-character windows."""
import keras
import numpy as np
import tensorflow as tf

from utils import by_mode
from utils.datasets import load_shakespeare

# A character LSTM as in the lesson, trained briefly (use the lesson's trained models if you have them).
train_text = load_shakespeare("train", limit_chars=by_mode(full=None, fast=100_000))
vocabulary = sorted(set(load_shakespeare("train")))
to_ids = keras.layers.StringLookup(vocabulary=vocabulary)
to_chars = keras.layers.StringLookup(vocabulary=vocabulary, invert=True)
VOCAB, UNITS, SEQ_LEN, BATCH = to_ids.vocabulary_size(), by_mode(full=256, fast=32), 100, 64
STEPS, N_CHARS = by_mode(full=1300, fast=30), by_mode(full=1000, fast=300)


def encode(text):
    return to_ids(tf.strings.unicode_split(text, "UTF-8"))


ids = tf.data.Dataset.from_tensor_slices(encode(train_text))
chunks = ids.batch(SEQ_LEN + 1, drop_remainder=True).map(lambda c: (c[:-1], c[1:]))
train_data = chunks.shuffle(10_000, seed=0).batch(BATCH, drop_remainder=True).repeat()

keras.utils.set_random_seed(42)
embedding, lstm, dense = keras.layers.Embedding(VOCAB, 64), keras.layers.LSTM(UNITS, return_sequences=True), \
    keras.layers.Dense(VOCAB)
inputs = keras.Input((None,), dtype="int64")
model = keras.Model(inputs, dense(lstm(embedding(inputs))))
model.compile(optimizer=keras.optimizers.Adam(2e-3, clipnorm=1.0),
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(train_data, steps_per_epoch=STEPS, epochs=1, shuffle=False, verbose=0)  # the dataset shuffles itself

# Generation with a carried state: the trained weights in a layer that returns its states.
step_layer = keras.layers.LSTM(UNITS, return_state=True)
step_layer.build((None, None, 64))
step_layer.set_weights(lstm.get_weights())


@tf.function
def step(token_ids, states):
    output, *states = step_layer(embedding(token_ids), initial_state=states)
    return dense(output), states


def write(prompt, n_chars, temperature, seed=1):
    rng = np.random.default_rng(seed)
    logits, states = step(encode(prompt)[None], [tf.zeros((1, UNITS)), tf.zeros((1, UNITS))])
    out = []
    for _ in range(n_chars):
        z = logits.numpy()[0].astype("float64") / temperature
        p = np.exp(z - z.max())
        out.append(rng.choice(len(p), p=p / p.sum()))
        logits, states = step(tf.constant([[out[-1]]], dtype=tf.int64), states)
    return "".join(c.decode() for c in to_chars(tf.constant(out)).numpy())  # the generated part only


def repeated_share(text, n=20):
    """Share of the n-character windows of `text` that already appeared earlier in it."""
    seen, repeats = set(), 0
    for i in range(len(text) - n + 1):
        repeats += text[i:i + n] in seen
        seen.add(text[i:i + n])
    return repeats / max(len(text) - n + 1, 1)


shares = {}
for temperature in (0.2, 1.0):
    sample = write("HAMLET.\nTo be, or not to be", N_CHARS, temperature)
    shares[str(temperature)] = repeated_share(sample)
    print(f"temperature {temperature}: {shares[str(temperature)]:.1%} of the 20-character windows repeat\n"
          f"{sample[:200]}\n")

answer = {**shares, "why": "a"}  # near-greedy sampling follows the same path whenever a context recurs
