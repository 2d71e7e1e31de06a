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

from utils.checks import ArgumentTypeError, describe, is_int, is_real, numeric_array, positive_int, scalar


def _clip_value(value, name):
    if value is None:
        return None
    value = scalar(value)
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
    # NaN or inf in the data would train to NaN losses, which read as the divergence lesson 01 measures
    x, y = numeric_array(x, "x", dtype=None), numeric_array(y, "y", dtype=None)
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


def clipping_summary(losses, grad_norms, last=100) -> dict:
    """What lesson 01 reads off one run of :func:`train_adding`: ``{"first_non_finite_step": step or None,
    "final_mse": mean of the last ``last`` losses (None if any of them is not finite), "max_grad_norm": the largest
    finite gradient norm (None if there is none)}``."""
    arrays = []
    for value, name in ((losses, "losses"), (grad_norms, "grad_norms")):
        array = None if value is None or isinstance(value, str | bytes | dict) else np.asarray(value)
        if array is None or array.dtype.kind not in "fiu":  # inf and NaN are allowed: they mark a diverged run
            raise ArgumentTypeError(f"{name} must be an array of numbers from train_adding, got {describe(value)}")
        arrays.append(array.astype("float64"))
    losses, grad_norms = arrays
    if losses.ndim != 1 or losses.size == 0 or grad_norms.shape != losses.shape:
        raise ValueError(f"losses and grad_norms must be two 1-D arrays of the same length, one value per step, "
                         f"got shapes {losses.shape} and {grad_norms.shape}")
    last = positive_int(last, "last")
    finite = np.isfinite(losses)
    tail = losses[-last:]
    finite_norms = grad_norms[np.isfinite(grad_norms)]
    return {"first_non_finite_step": None if finite.all() else int(np.argmin(finite)),
            "final_mse": float(tail.mean()) if np.isfinite(tail).all() else None,
            "max_grad_norm": float(finite_norms.max()) if finite_norms.size else None}


LEARNED_SHARE = 0.5  # a run has learned when its final MSE is below this share of the best constant's


def learned(summary: dict, baseline_mse) -> bool:
    """Whether a run, read by :func:`clipping_summary`, learned: it stayed finite and its final MSE is below
    ``LEARNED_SHARE`` times ``baseline_mse`` (the best constant prediction's MSE)."""
    if not isinstance(summary, dict) or "final_mse" not in summary:
        raise ArgumentTypeError(f"summary must be a dict from clipping_summary, got {describe(summary)}")
    baseline_mse = scalar(baseline_mse)
    if not is_real(baseline_mse) or not 0 < baseline_mse < float("inf"):
        raise ValueError(f"baseline_mse must be a positive, finite number, got {describe(baseline_mse)}")
    return summary["final_mse"] is not None and summary["final_mse"] < LEARNED_SHARE * baseline_mse


def seed_counts(by_seed: dict, baseline_mse) -> dict:
    """``{setting: {"runs", "diverged", "learned"}}`` from ``{setting: [clipping_summary of each seed]}``."""
    if not isinstance(by_seed, dict) or not by_seed:
        raise ArgumentTypeError(f"by_seed must be a dict of setting -> list of clipping summaries, got "
                                f"{describe(by_seed)}")
    out = {}
    for name, summaries in by_seed.items():
        if not isinstance(summaries, list | tuple) or not summaries:
            raise ValueError(f"by_seed[{name!r}] must be a non-empty list of clipping summaries, got "
                             f"{describe(summaries)}")
        out[name] = {"runs": len(summaries),
                     "diverged": sum(s.get("first_non_finite_step") is not None for s in summaries),
                     "learned": sum(learned(s, baseline_mse) for s in summaries)}
    return out
