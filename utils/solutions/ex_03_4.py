"""Exercise 03.4: how long a chrono-initialised LSTM sits at chance at T = 200 before it takes off."""
import keras
import numpy as np

from utils import by_mode
from utils.sequences import recall_task

VOCAB, UNITS, BATCH = 8, 32, 64
LAG = by_mode(full=200, fast=20)
TOTAL_STEPS = by_mode(full=3000, fast=300)
SEEDS = by_mode(full=[0, 1], fast=[0])


def chrono_lstm(t_max):
    """LSTM(UNITS) with chrono-initialised gate biases for spans up to t_max steps (as in the lesson)."""
    def initializer(shape, dtype=None):
        keep = np.log(np.random.default_rng(0).uniform(1, max(t_max - 1, 2), UNITS)).astype("float32")
        bias = np.zeros(shape, dtype="float32")
        bias[UNITS:2 * UNITS] = keep  # forget gate
        bias[:UNITS] = -keep  # input gate
        return bias

    return keras.layers.LSTM(UNITS, bias_initializer=initializer, unit_forget_bias=False)


def build(seed):
    keras.backend.clear_session()
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input((None,), dtype="int32"), keras.layers.Embedding(VOCAB, 8),
                              chrono_lstm(LAG), keras.layers.Dense(VOCAB, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(3e-3, clipnorm=1.0), loss="sparse_categorical_crossentropy",
                  jit_compile=True)
    return model


curves, takeoff = [], []
for seed in SEEDS:
    model, curve = build(seed), []
    x_stop, y_stop = recall_task(256, LAG, VOCAB, seed=1_000 + seed)  # the stopping set
    for block in range(TOTAL_STEPS // 100):
        x, y = recall_task(100 * BATCH, LAG, VOCAB, seed=10_000_000 * (seed + 1) + 10_000 * LAG + 100 * block)
        model.fit(x, y, batch_size=BATCH, epochs=1, shuffle=False, verbose=0)  # 100 fresh batches
        curve.append(float(np.mean(model.predict(x_stop, verbose=0).argmax(-1) == y_stop)))
    first = next((k for k, a in enumerate(curve) if a >= 2 / VOCAB), None)
    curves.append(curve)
    takeoff.append(None if first is None else 100 * (first + 1))
    print(f"seed {seed}: accuracy every 100 steps {[round(a, 2) for a in curve]}, take-off {takeoff[-1]}")

answer = {"curves": curves, "takeoff_steps": takeoff,
          "why": "a"}  # until the gates keep the first token, almost no gradient reaches it
