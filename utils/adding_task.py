"""Lesson 01's clipping experiment: a ReLU SimpleRNN trained on the adding problem, step by step.

    from utils.sequences import adding_problem
    from utils.adding_task import train_adding

    x, y = adding_problem(300 * 64, length=50, seed=0)
    losses, grad_norms = train_adding(x, y, steps=300, batch_size=64, clipnorm=1.0)

Lesson 01 compares no clipping with ``clipnorm=1.0``; exercise 01.2 tries ``clipvalue=0.5``. Both train the same
initial weights (seed 1) on the same batches, in order, so that only the clipping differs.
"""

import keras
import numpy as np

from utils.checks import describe, is_int, is_real, positive_int


def _clip_value(value, name):
    if value is None:
        return None
    if not is_real(value) or not 0 < value < float("inf"):
        raise ValueError(f"{name} must be None or a positive, finite number, got {describe(value)}")
    return value


def train_adding(x, y, steps, batch_size=64, *, clipnorm=None, clipvalue=None, seed=1, units=32, gain=1.5,
                 learning_rate=0.012, momentum=0.9):
    """Train a fresh ReLU ``SimpleRNN(units) -> Dense(1)`` on ``steps`` batches of the adding problem.

    ``x``: inputs ``[n, length, 2]`` and ``y``: targets ``[n]`` from ``utils.sequences.adding_problem``; step ``i``
    uses examples ``i * batch_size`` to ``(i + 1) * batch_size - 1``, so ``n`` must be at least
    ``steps * batch_size``. The recurrent matrix starts orthogonal with ``gain``; the weights are drawn after
    ``keras.utils.set_random_seed(seed)``. SGD with ``momentum``, learning rate ``learning_rate`` decaying to 0 along
    a cosine over ``steps``, clipped with ``clipnorm`` (Keras rescales *each weight's* gradient to at most that
    norm, separately; the whole gradient may stay longer) or ``clipvalue`` (cap every element at ±clipvalue), or
    neither (both ``None``).

    Returns ``(losses, grad_norms)``, two float arrays ``[steps]``: each step's batch mean squared error (before
    the update) and the global norm of its gradient before clipping. A diverging run shows ``nan`` or ``inf``.
    """
    import tensorflow as tf

    if not hasattr(x, "shape") or len(x.shape) != 3 or x.shape[-1] != 2:
        raise ValueError(f"x must be an array [samples, length, 2] from adding_problem, got {describe(x)}")
    if not hasattr(y, "shape") or len(y.shape) != 1 or len(y) != len(x):
        raise ValueError(f"y must be an array [samples] as long as x ({len(x)}), got {describe(y)}")
    steps = positive_int(steps, "steps")
    batch_size = positive_int(batch_size, "batch_size")
    if steps * batch_size > len(x):
        raise ValueError(f"steps * batch_size = {steps * batch_size} examples needed, but x holds only {len(x)}")
    clipnorm, clipvalue = _clip_value(clipnorm, "clipnorm"), _clip_value(clipvalue, "clipvalue")
    if clipnorm is not None and clipvalue is not None:
        raise ValueError("give clipnorm or clipvalue, not both")
    if not is_int(seed) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {describe(seed)}")
    units = positive_int(units, "units")
    for value, name in ((gain, "gain"), (learning_rate, "learning_rate")):
        if not is_real(value) or not 0 < value < float("inf"):
            raise ValueError(f"{name} must be a positive, finite number, got {describe(value)}")
    if not is_real(momentum) or not 0 <= momentum < 1:
        raise ValueError(f"momentum must be a number in [0, 1), got {describe(momentum)}")

    keras.utils.set_random_seed(seed)  # the same initial weights for every clipping
    model = keras.Sequential([
        keras.Input((x.shape[1], 2)),
        keras.layers.SimpleRNN(units, activation="relu",
                               recurrent_initializer=keras.initializers.Orthogonal(gain=gain)),
        keras.layers.Dense(1),
    ])
    schedule = keras.optimizers.schedules.CosineDecay(learning_rate, decay_steps=steps)
    optimizer = keras.optimizers.SGD(learning_rate=schedule, momentum=momentum, clipnorm=clipnorm,
                                     clipvalue=clipvalue)

    @tf.function
    def step(xb, yb):
        with tf.GradientTape() as tape:
            loss = keras.losses.mean_squared_error(yb, model(xb)[:, 0])
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply(grads, model.trainable_variables)
        return loss, tf.linalg.global_norm(grads)

    losses, grad_norms = [], []
    for i in range(steps):
        loss, norm = step(x[i * batch_size:(i + 1) * batch_size], y[i * batch_size:(i + 1) * batch_size])
        losses.append(float(loss))
        grad_norms.append(float(norm))
    return np.array(losses), np.array(grad_norms)
