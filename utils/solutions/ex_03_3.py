"""Exercise 03.3: the four-token curriculum with more steps at the first distance, for the LSTM and the GRU."""
import keras
import numpy as np

from utils import by_mode
from utils.sequences import recall_task

VOCAB, UNITS, BATCH, CHECK_EVERY, SOLVED, N_TOKENS = 8, 32, 64, 50, 0.9, 4
LAGS = by_mode(full=[5, 20, 50, 100], fast=[5])
FIRST_STEPS = by_mode(full=5000, fast=100)  # the extra budget at the first distance
STEPS = by_mode(full=2000, fast=50)  # MULTI_STEPS, per later distance
SEEDS = by_mode(full=[0, 1, 2], fast=[0])
CELLS = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU}


def build(cell, seed):
    keras.backend.clear_session()
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([
        keras.Input((None,), dtype="int32"),
        keras.layers.Embedding(VOCAB, 8),
        cell(UNITS),
        keras.layers.Dense(VOCAB * N_TOKENS),
        keras.layers.Reshape((N_TOKENS, VOCAB)),
        keras.layers.Softmax(),
    ])
    model.compile(optimizer=keras.optimizers.Adam(3e-3, clipnorm=1.0), loss="sparse_categorical_crossentropy",
                  jit_compile=True)
    return model


def accuracy(model, lag, seed, n=1024):
    x, y = recall_task(n, lag, VOCAB, seed=seed, n_tokens=N_TOKENS)
    return float(np.mean(model.predict(x, batch_size=256, verbose=0).argmax(-1) == y))


def train_at(model, lag, max_steps, seed):
    """Fresh batches at distance `lag` until the stopping set reaches 99% or `max_steps` are spent."""
    steps = 0
    while steps < max_steps:
        x, y = recall_task(CHECK_EVERY * BATCH, lag, VOCAB, seed=10_000_000 * (seed + 1) + 10_000 * lag + steps,
                           n_tokens=N_TOKENS)
        model.fit(x, y, batch_size=BATCH, epochs=1, shuffle=False, verbose=0)
        steps += CHECK_EVERY
        if accuracy(model, lag, seed=1_000 + seed, n=256) >= 0.99:
            break


longest = {}
for key, cell in CELLS.items():
    longest[key] = []
    for seed in SEEDS:
        model, solved = build(cell, seed), 0
        for i, lag in enumerate(LAGS):
            train_at(model, lag, FIRST_STEPS if i == 0 else STEPS, seed)
            if accuracy(model, lag, seed=2_000 + seed) < SOLVED:
                break
            solved = lag
        longest[key].append(solved)
    print(f"{key}: longest distance solved per seed {longest[key]}")

far = [key for key in CELLS if np.median(longest[key]) >= 100]
answer = {**longest, "as_far_as_one": {0: "neither", 2: "both"}.get(len(far)) or f"{far[0]} only"}
