"""Exercise 01.2: the adding problem with clipvalue=0.5 instead of clipnorm=1.0."""
import keras
import numpy as np
import tensorflow as tf

from utils import by_mode
from utils.sequences import adding_problem

TRAIN_STEPS = by_mode(full=3000, fast=300)
BATCH = 64
x_add, y_add = adding_problem(TRAIN_STEPS * BATCH, length=50, seed=0)
baseline_mse = float(np.var(y_add))  # the error of always predicting the mean target, about 0.167


def train_adding(**clipping):
    keras.utils.set_random_seed(1)
    model = keras.Sequential([
        keras.Input((50, 2)),
        keras.layers.SimpleRNN(32, activation="relu", recurrent_initializer=keras.initializers.Orthogonal(gain=1.5)),
        keras.layers.Dense(1),
    ])
    schedule = keras.optimizers.schedules.CosineDecay(0.012, decay_steps=TRAIN_STEPS)
    optimizer = keras.optimizers.SGD(learning_rate=schedule, momentum=0.9, **clipping)

    @tf.function
    def step(xb, yb):
        with tf.GradientTape() as tape:
            loss = keras.losses.mean_squared_error(yb, model(xb)[:, 0])
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply(grads, model.trainable_variables)
        return loss

    return np.array([float(step(x_add[i * BATCH:(i + 1) * BATCH], y_add[i * BATCH:(i + 1) * BATCH]))
                     for i in range(TRAIN_STEPS)])


losses = train_adding(clipvalue=0.5)
finite = bool(np.isfinite(losses).all())
final_mse = float(np.mean(losses[-100:])) if finite else None
print(f"clipvalue=0.5: finite {finite}, mean MSE of the last 100 steps {final_mse}, best constant {baseline_mse:.3f}")

answer = {
    "stays_finite": finite,
    "final_mse": final_mse,
    "learned": final_mse is not None and final_mse < baseline_mse / 2,
    "difference": "a",  # clipnorm rescales the whole gradient (same direction); clipvalue caps each element
}
