"""Lesson 02's NumPy LSTM and GRU cells and lesson 01's Jacobian norms and per-step gradient factor, for the
exercises, tests and ``utils.torch_equations``.

The lessons write these functions out in their own cells, because writing them is what the lessons teach;
``tests/test_lessons.py`` checks that every function here is, line for line, the lesson's, so the two cannot
drift apart. The exercises' solutions import them from here instead of copying them.
"""

import numpy as np
import tensorflow as tf  # lesson 01's jacobian_norms

__all__ = ["gru_forward", "jacobian_norms", "lstm_forward", "per_step_factor", "sigmoid"]

# As written in lesson 02 (section 1).
def sigmoid(z):
    # exp(-z) overflows to inf for very negative z; 1/inf is the right 0
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


def lstm_forward(x, kernel, recurrent_kernel, bias):
    """x: [batch, time, features]
    -> (hidden states [batch, time, units], gates {name: [batch, time, units]})."""
    batch, steps, _ = x.shape
    units = recurrent_kernel.shape[0]
    h = np.zeros((batch, units), dtype=x.dtype)
    c = np.zeros((batch, units), dtype=x.dtype)
    states, gates = [], {"input": [], "forget": [], "output": []}
    for t in range(steps):
        z = x[:, t] @ kernel + h @ recurrent_kernel + bias
        i = sigmoid(z[:, :units])
        f = sigmoid(z[:, units:2 * units])
        candidate = np.tanh(z[:, 2 * units:3 * units])
        o = sigmoid(z[:, 3 * units:])
        c = f * c + i * candidate
        h = o * np.tanh(c)
        states.append(h)
        for name, value in (("input", i), ("forget", f), ("output", o)):
            gates[name].append(value)
    return np.stack(states, axis=1), {name: np.stack(v, axis=1) for name, v in gates.items()}


def gru_forward(x, kernel, recurrent_kernel, bias):
    """Keras GRU with reset_after=True.

    x: [batch, time, features] -> hidden states [batch, time, units]."""
    batch, steps, _ = x.shape
    units = recurrent_kernel.shape[0]
    input_bias, recurrent_bias = bias
    h = np.zeros((batch, units), dtype=x.dtype)
    states = []
    for t in range(steps):
        from_input = x[:, t] @ kernel + input_bias
        from_state = h @ recurrent_kernel + recurrent_bias
        z = sigmoid(from_input[:, :units] + from_state[:, :units])
        r = sigmoid(from_input[:, units:2 * units] + from_state[:, units:2 * units])
        candidate = np.tanh(from_input[:, 2 * units:] + r * from_state[:, 2 * units:])
        h = z * h + (1 - z) * candidate
        states.append(h)
    return np.stack(states, axis=1)


# Lesson 01 (section 2) imports jacobian_norms and writes per_step_factor out.
def jacobian_norms(layer, x):
    """Mean over the batch of ||d h_T / d x_t|| for every step t -> array [time].

    Row j of the Jacobian d h_T / d x is the gradient of unit j of h_T. One backward pass finds all
    rows: every sequence goes in once per unit, and copy j passes back the gradient of unit j only.
    """
    batch, units = x.shape[0], layer.units
    copies = tf.repeat(x, units, axis=0)  # [batch * units, time, features]
    pick = tf.tile(tf.eye(units), [batch, 1])  # copy j of every sequence picks unit j
    with tf.GradientTape() as tape:
        tape.watch(copies)
        picked = tf.reduce_sum(layer(copies) * pick)  # layer(...) is h_T: [batch * units, units]
    rows = tape.gradient(picked, copies)  # copy j: d h_T[j] / d x, [batch * units, time, features]
    jacobian = tf.reshape(rows, (batch, units, *x.shape[1:]))  # [batch, units, time, features]
    return tf.reduce_mean(tf.norm(jacobian, axis=(1, 3)), axis=0).numpy()


def per_step_factor(values):
    """Geometric mean factor kept per step, fitted over the 50 most recent steps."""
    return float(np.exp(np.polyfit(np.arange(50), np.log(values[::-1][:50] + 1e-30), 1)[0]))
