"""Exercise 01.1: how fast an LSTM's dependence on the past fades without the forget bias of 1."""
import keras
import numpy as np
import tensorflow as tf

from utils import by_mode
from utils.lesson_functions import jacobian_norms, per_step_factor  # the lesson's
from utils.verdicts import compare

STEPS, FEATURES, UNITS = 100, 8, 32  # the lesson's sizes: the check measures seed 0 again with them
INIT_SEEDS = by_mode(full=[0, 1, 2, 3, 4], fast=[0, 1])  # the noise rule needs at least two
x_long = tf.constant(np.random.default_rng(1).normal(size=(16, STEPS, FEATURES)).astype("float32"))

factors = {}
for name, forget_bias in (("default", True), ("no_forget_bias", False)):
    factors[name] = []
    for seed in INIT_SEEDS:
        keras.utils.set_random_seed(seed)  # as the lesson's seeded(): the seed, then the layer
        layer = keras.layers.LSTM(UNITS, unit_forget_bias=forget_bias)
        factors[name].append(per_step_factor(jacobian_norms(layer, x_long)))
    print(name, [round(f, 4) for f in factors[name]])

c = compare(factors["default"], factors["no_forget_bias"], names=("default", "no_forget_bias"),
            higher_is_better=False, runs="initialisations")
print(c.describe(), "(here 'better' is the smaller factor: the one that fades faster)")

answer = {**factors, "fades_faster": c.better or "not decided"}
