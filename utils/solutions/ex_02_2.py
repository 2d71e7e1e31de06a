"""Exercise 02.2: a NumPy GRU that matches keras.layers.GRU(..., reset_after=False)."""
import keras
import numpy as np

from utils.lesson_functions import sigmoid  # lesson 02's


def gru_forward_reset_before(x, kernel, recurrent_kernel, bias):
    """Keras GRU with reset_after=False. x: [batch, time, features] -> hidden states [batch, time, units]."""
    batch, steps, _ = x.shape
    units = recurrent_kernel.shape[0]
    h = np.zeros((batch, units), dtype=x.dtype)
    states = []
    for t in range(steps):
        from_input = x[:, t] @ kernel + bias  # one bias, on the input side
        z = sigmoid(from_input[:, :units] + h @ recurrent_kernel[:, :units])
        r = sigmoid(from_input[:, units:2 * units] + h @ recurrent_kernel[:, units:2 * units])
        candidate = np.tanh(from_input[:, 2 * units:] + (r * h) @ recurrent_kernel[:, 2 * units:])  # reset first
        h = z * h + (1 - z) * candidate
        states.append(h)
    return np.stack(states, axis=1)


x = np.random.default_rng(0).normal(size=(4, 15, 6)).astype("float32")
gru = keras.layers.GRU(8, reset_after=False, return_sequences=True, bias_initializer="random_normal")
keras_states = keras.ops.convert_to_numpy(gru(x))
print("max |NumPy - Keras|:", np.abs(gru_forward_reset_before(x, *gru.get_weights()) - keras_states).max())

answer = gru_forward_reset_before
