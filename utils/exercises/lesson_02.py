"""Exercises 02.1–02.3 of lesson 02, inside the LSTM and GRU cells: a GRU with reset_after=False (its parameters
and its forward pass in NumPy), and saturated gates.
"""

from functools import lru_cache

import numpy as np

from utils.checks import describe
from utils.exercises.core import Wrong, exercise, read_integer, read_mapping, read_share, read_word


@exercise(
    "02.1",
    question="How many parameters does `keras.layers.GRU(8, reset_after=False)` have on inputs of 6 features?",
    verifies="the exact count",
    hint="reset_after=False has one bias vector instead of two: three blocks of (kernel, recurrent kernel, bias). "
         "Check it with layer.build((None, None, 6)) and layer.count_params().",
    wrong=[(384, "reset_after=True"), (120, "SimpleRNN"), (480, "LSTM"), ("360", "number")],
)
def _check_02_1(answer):
    count = read_integer(answer, "the parameter count")
    units, features = 8, 6
    if count == 3 * units * (units + features + 1):
        return "3u(u + i + 1) = 360, 24 fewer than the default's 384: one bias vector of 3u = 24 is gone."
    known = {3 * units * (units + features + 2): "the default reset_after=True count, with two bias vectors",
             units * (units + features + 1): "a SimpleRNN's count, u(u + i + 1): a GRU has three such blocks",
             4 * units * (units + features + 1): "an LSTM's count, with four blocks; a GRU has three"}
    if count in known:
        raise Wrong(f"{count} is {known[count]}")
    raise Wrong(f"{count} is not it; a GRU has three blocks, each a kernel (i x u), a recurrent kernel (u x u) and "
                "a bias (u)")


def _gru_reset_after(x, kernel, recurrent_kernel, bias):
    """The lesson's gru_forward (reset_after=True): a typical wrong answer to 02.2."""
    from utils.lesson_functions import gru_forward

    return gru_forward(x, kernel, recurrent_kernel, bias)


def _one_bias_gru(x, kernel, recurrent_kernel, bias, *, reset_after=False, swapped=False):
    """A GRU with one bias vector, as reset_after=False has, in NumPy: right when neither flag is set.

    ``reset_after``: the reset gate multiplies h_(t-1) U_h after the product instead of h_(t-1) before it;
    ``swapped``: the update gate weighs the other way, h = (1 - z) h + z h~."""
    from utils.lesson_functions import sigmoid

    units = recurrent_kernel.shape[0]
    h = np.zeros((x.shape[0], units), dtype=x.dtype)
    states = []
    for t in range(x.shape[1]):
        from_input = x[:, t] @ kernel + bias
        from_state = h @ recurrent_kernel
        z = sigmoid(from_input[:, :units] + from_state[:, :units])
        r = sigmoid(from_input[:, units:2 * units] + from_state[:, units:2 * units])
        recurrent = r * from_state[:, 2 * units:] if reset_after else (r * h) @ recurrent_kernel[:, 2 * units:]
        candidate = np.tanh(from_input[:, 2 * units:] + recurrent)
        h = (1 - z) * h + z * candidate if swapped else z * h + (1 - z) * candidate
        states.append(h)
    return np.stack(states, axis=1)


def _gru_reset_after_one_bias(x, kernel, recurrent_kernel, bias):
    """One bias, but the reset gate still applied after the product: a typical wrong answer to 02.2."""
    return _one_bias_gru(x, kernel, recurrent_kernel, bias, reset_after=True)


def _gru_swapped_update(x, kernel, recurrent_kernel, bias):
    """Right in every respect but the update gate, which weighs the other way: h = (1 - z) h + z h~, the
    convention some papers and articles write. A typical wrong answer to 02.2; the check runs it to spot it."""
    return _one_bias_gru(x, kernel, recurrent_kernel, bias, swapped=True)


@lru_cache(maxsize=1)
def _gru_reset_before_reference():
    """Input, weights and Keras' states of a GRU(8, reset_after=False) with random biases."""
    import keras

    x = np.random.default_rng(0).normal(size=(4, 15, 6)).astype("float32")
    layer = keras.layers.GRU(8, reset_after=False, return_sequences=True,
                             bias_initializer=keras.initializers.RandomNormal(seed=1),
                             kernel_initializer=keras.initializers.GlorotUniform(seed=2),
                             recurrent_initializer=keras.initializers.Orthogonal(seed=3))
    states = keras.ops.convert_to_numpy(layer(x))
    return x, [w.copy() for w in layer.get_weights()], states


@exercise(
    "02.2",
    question="Adapt `gru_forward` to `keras.layers.GRU(8, reset_after=False)`: the reset gate multiplies h_(t-1) "
             "before the matrix product, and there is one bias. Give your function as the answer.",
    verifies="that your function, called as f(x, kernel, recurrent_kernel, bias), reproduces the states of a Keras "
             "GRU(8, reset_after=False, return_sequences=True) with random biases to within 1e-5",
    hint="With reset_after=False the weights are kernel (i x 3u), recurrent_kernel (u x 3u) and one bias (3u). "
         "z and r use x W + h U + b as before; the candidate is tanh(x W_h + b_h + (r * h) U_h): reset h first, "
         "then multiply by the candidate's block of the recurrent kernel.",
    wrong=[(_gru_reset_after, "raised"), (_gru_reset_after_one_bias, "differ"),
           (_gru_swapped_update, "update gate"), (np.zeros(3), "function")],
)
def _check_02_2(answer):
    if not callable(answer):
        raise Wrong(f"the answer should be your function itself (answer = my_gru_forward), got {describe(answer)}")
    x, weights, expected = _gru_reset_before_reference()
    try:
        states = answer(x.copy(), *[w.copy() for w in weights])
    except Exception as error:
        raise Wrong(f"your function raised {type(error).__name__}: {error} — it is called as f(x, kernel, "
                    f"recurrent_kernel, bias) with shapes {[x.shape] + [w.shape for w in weights]}; with "
                    "reset_after=False there is one bias vector, not two") from None
    states = np.asarray(states)
    if states.shape != expected.shape:
        raise Wrong(f"your function returns shape {states.shape}; the states of every step have shape "
                    f"{expected.shape} [batch, time, units]")
    difference = float(np.abs(states - expected).max())
    if not difference <= 1e-5 and np.abs(states - _gru_swapped_update(x, *weights)).max() <= 1e-5:
        raise Wrong(f"your states differ from Keras' by up to {difference:.2g} because your update gate weighs the "
                    "other way: you wrote h = (1 - z) * h + z * candidate, a convention some papers and articles "
                    "use. Keras (like PyTorch) keeps the old state with z: h = z * h + (1 - z) * candidate")
    if not difference <= 1e-5:
        raise Wrong(f"your states differ from Keras' by up to {difference:.2g}; in the candidate, the reset gate "
                    "multiplies h before the product: tanh(x W_h + b_h + (r * h) U_h)")
    return f"your NumPy GRU matches Keras' reset_after=False layer to {difference:.1e}."


@exercise(
    "02.3",
    question="Train the small LSTM with `learning_rate=0.01` and measure its saturated share of gate values as the "
             "lesson does. Where does it land between the lr 0.001 and lr 0.05 runs?",
    verifies="that the three shares are shares (between 0 and 1) and that 'closer_to' follows from them",
    hint="fit_lstm(0.01, seed=1) returns (model, history, seconds); then gate_values and saturated_share "
         "as in the lesson: saturated_share(gate_values(model, x_test, GATE_REVIEWS)), the mean over the three gates "
         "like the 'saturated' column of runs_table. Compare the "
         "lr 0.01 share with the seed-1 shares of the other two learning rates.",
    wrong=[({"lr 0.001": 0.0, "lr 0.01": 0.7, "lr 0.05": 0.95, "closer_to": "lr 0.001"}, "closer"),
           ({"lr 0.001": 0.0, "lr 0.01": 70, "lr 0.05": 0.95, "closer_to": "lr 0.05"}, "percentage"),
           ({"lr 0.01": 0.2}, "no key")],
)
def _check_02_3(answer):
    keys = ["lr 0.001", "lr 0.01", "lr 0.05", "closer_to"]
    parts = read_mapping(answer, keys, '{"lr 0.001": 0.0, "lr 0.01": 0.3, "lr 0.05": 0.95, "closer_to": "lr 0.05"}')
    low, mid, high = (read_share(parts[k], f'answer["{k}"]') for k in keys[:3])
    said = read_word(parts["closer_to"], ("lr 0.001", "lr 0.05"), 'answer["closer_to"]')
    closer = "lr 0.001" if abs(mid - low) <= abs(mid - high) else "lr 0.05"
    if said != closer:
        other = low if closer == "lr 0.001" else high
        raise Wrong(f"{mid:.1%} saturated at lr 0.01 is closer to {closer}'s {other:.1%} than to {said}'s")
    return (f"at lr 0.01, {mid:.1%} of the gate values are saturated (lr 0.001: {low:.1%}, lr 0.05: {high:.1%}), "
            f"closer to {closer}. Put the validation accuracies next to these shares before calling saturation "
            "a failure.")
