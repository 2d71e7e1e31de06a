"""Exercise 01.1: how fast an LSTM's dependence on the past fades without the forget bias of 1."""
import keras
import numpy as np
import tensorflow as tf

from utils import by_mode
from utils.lesson_functions import per_step_factor  # the lesson's
from utils.verdicts import compare

BATCH, STEPS = by_mode(full=(16, 100), fast=(4, 60))  # the fit below uses the 50 most recent steps
FEATURES, UNITS = 8, by_mode(full=32, fast=8)
INIT_SEEDS = by_mode(full=[0, 1, 2, 3, 4], fast=[0, 1])
x_long = tf.constant(np.random.default_rng(1).normal(size=(BATCH, STEPS, FEATURES)).astype("float32"))


def jacobian_norms(layer, x):
    """Mean over the batch of ||d h_T / d x_t|| for every step t -> array [time].

    The lesson's function, with the Jacobian taken one unit at a time: the same numbers as batch_jacobian,
    faster for a freshly built layer (each example's state depends on its own inputs only).
    """
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        last_state = layer(x)  # [batch, units]
        per_unit = [tf.reduce_sum(last_state[:, j]) for j in range(last_state.shape[1])]
    jacobian = tf.stack([tape.gradient(unit, x) for unit in per_unit], axis=1)  # [batch, units, time, features]
    return tf.reduce_mean(tf.norm(jacobian, axis=(1, 3)), axis=0).numpy()


factors = {}
for name, forget_bias in (("default", True), ("no_forget_bias", False)):
    factors[name] = []
    for seed in INIT_SEEDS:
        keras.utils.set_random_seed(seed)
        layer = keras.layers.LSTM(UNITS, unit_forget_bias=forget_bias)
        factors[name].append(per_step_factor(jacobian_norms(layer, x_long)))
    print(name, [round(f, 3) for f in factors[name]])

c = compare(factors["default"], factors["no_forget_bias"], names=("default", "no_forget_bias"),
            higher_is_better=False, runs="initialisations")  # "better" = smaller factor = fades faster
print(c.describe())

answer = {**factors, "fades_faster": c.better or "not decided"}
