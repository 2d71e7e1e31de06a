"""PyTorch's recurrent layers, written from its documented equations in NumPy, and Keras weights in its layout.

Lesson 08 checks that a Keras ``SimpleRNN``, ``LSTM`` and ``GRU`` compute what PyTorch's ``nn.RNN``, ``nn.LSTM`` and
``nn.GRU`` compute (one layer, ``batch_first=True``, zero initial state) once their weights are moved into PyTorch's
layout. PyTorch itself is not needed: the functions below are its documented equations.

PyTorch's layout, per layer (``gates`` is 1 for ``nn.RNN``, 4 for ``nn.LSTM``, 3 for ``nn.GRU``):

* ``weight_ih``: ``[gates * units, input]`` and ``weight_hh``: ``[gates * units, units]`` — each gate's block of rows
  in PyTorch's order: LSTM ``i, f, g, o``; GRU ``r, z, n``;
* ``bias_ih`` and ``bias_hh``: ``[gates * units]`` each — two bias vectors where Keras' ``SimpleRNN`` and ``LSTM``
  have one (``torch_layout`` puts Keras' bias in ``bias_ih`` and zeros in ``bias_hh``). Keras' ``GRU`` with its
  default ``reset_after=True`` has two as well, and the same equations.

Keras stores the transposed matrices, ``kernel [input, gates * units]`` and ``recurrent_kernel [units, gates *
units]``, with the gates of an LSTM in the same order (i, f, c, o) and those of a GRU in the order z, r, h.

    ported = torch_layout(keras_gru)         # {"weight_ih": ..., "weight_hh": ..., "bias_ih": ..., "bias_hh": ...}
    states = torch_gru_forward(x, **ported)  # [batch, time, units], what nn.GRU(batch_first=True) returns

Lesson 08 runs the whole check in two calls: :func:`keras_against_torch` (each cell's Keras layer against PyTorch's
equations, parameters counted both ways) and :func:`padding_check` (what ``out[:, -1]`` reads after padding).
"""

import numpy as np

from utils.checks import ArgumentTypeError, describe, numeric_array, positive_int
from utils.lesson_functions import sigmoid

__all__ = ["GATES", "keras_against_torch", "padding_check", "torch_gru_forward", "torch_layout", "torch_lstm_forward",
           "torch_parameter_count", "torch_rnn_forward"]

GATES = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}  # blocks of rows in weight_ih / weight_hh


def _inputs(x, weight_ih, weight_hh, bias_ih, bias_hh, gates):
    """The arguments as float64 arrays of matching shapes, or a ValueError that names the first wrong one."""
    x = numeric_array(x, "x")
    if x.ndim != 3 or 0 in x.shape:
        raise ValueError(f"x must be [batch, time, input] with at least one of each, got shape {x.shape}")
    weight_ih, weight_hh, bias_ih, bias_hh = (numeric_array(a, name) for a, name in (
        (weight_ih, "weight_ih"), (weight_hh, "weight_hh"), (bias_ih, "bias_ih"), (bias_hh, "bias_hh")))
    units = weight_hh.shape[-1] if weight_hh.ndim == 2 else -1
    expected = {"weight_ih": (gates * units, x.shape[2]), "weight_hh": (gates * units, units),
                "bias_ih": (gates * units,), "bias_hh": (gates * units,)}
    for name, array in zip(expected, (weight_ih, weight_hh, bias_ih, bias_hh)):
        if units < 1 or array.shape != expected[name]:
            raise ValueError(f"{name} must have shape {expected[name] if units > 0 else '[gates * units, ...]'} "
                             f"({gates} gate block(s), input {x.shape[2]}), got {array.shape}")
    return x, weight_ih, weight_hh, bias_ih, bias_hh, units


def torch_rnn_forward(x, weight_ih, weight_hh, bias_ih, bias_hh):
    """``nn.RNN`` (tanh): ``h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)``, ``h_0 = 0``.

    x: ``[batch, time, input]`` -> hidden states ``[batch, time, units]``."""
    x, weight_ih, weight_hh, bias_ih, bias_hh, units = _inputs(x, weight_ih, weight_hh, bias_ih, bias_hh, 1)
    h = np.zeros((x.shape[0], units))
    states = []
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ weight_ih.T + bias_ih + h @ weight_hh.T + bias_hh)
        states.append(h)
    return np.stack(states, axis=1)


def torch_lstm_forward(x, weight_ih, weight_hh, bias_ih, bias_hh):
    """``nn.LSTM``: gates ``i, f, g, o`` from ``x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh``;
    ``c_t = f * c_{t-1} + i * g``, ``h_t = o * tanh(c_t)``, with ``h_0 = c_0 = 0``.

    x: ``[batch, time, input]`` -> hidden states ``[batch, time, units]``."""
    x, weight_ih, weight_hh, bias_ih, bias_hh, units = _inputs(x, weight_ih, weight_hh, bias_ih, bias_hh, 4)
    h = np.zeros((x.shape[0], units))
    c = np.zeros((x.shape[0], units))
    states = []
    for t in range(x.shape[1]):
        gates = x[:, t] @ weight_ih.T + bias_ih + h @ weight_hh.T + bias_hh
        i, f, g, o = np.split(gates, 4, axis=1)
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * np.tanh(c)
        states.append(h)
    return np.stack(states, axis=1)


def torch_gru_forward(x, weight_ih, weight_hh, bias_ih, bias_hh):
    """``nn.GRU``: gates ``r, z, n`` from ``x_t W_ih^T + b_ih`` and ``h_{t-1} W_hh^T + b_hh``,
    ``n = tanh(x-part + r * h-part)``, ``h_t = (1 - z) * n + z * h_{t-1}``, with ``h_0 = 0``.

    x: ``[batch, time, input]`` -> hidden states ``[batch, time, units]``. The rows of ``weight_ih`` ``[3 units,
    input]`` and ``weight_hh`` ``[3 units, units]`` are the gates r, z, n, in that order."""
    x, weight_ih, weight_hh, bias_ih, bias_hh, units = _inputs(x, weight_ih, weight_hh, bias_ih, bias_hh, 3)
    h = np.zeros((x.shape[0], units))
    states = []
    for t in range(x.shape[1]):
        from_input = x[:, t] @ weight_ih.T + bias_ih  # W_i* x_t + b_i*, gates r, z, n
        from_state = h @ weight_hh.T + bias_hh  # W_h* h_{t-1} + b_h*
        r = sigmoid(from_input[:, :units] + from_state[:, :units])
        z = sigmoid(from_input[:, units:2 * units] + from_state[:, units:2 * units])
        # the reset gate scales the state's whole term, W_hn h + b_hn
        n = np.tanh(from_input[:, 2 * units:] + r * from_state[:, 2 * units:])
        h = (1 - z) * n + z * h
        states.append(h)
    return np.stack(states, axis=1)


def torch_layout(layer) -> dict:
    """A built Keras ``SimpleRNN``, ``LSTM`` or ``GRU`` layer's weights in PyTorch's layout (see the module's doc).

    Returns ``{"weight_ih", "weight_hh", "bias_ih", "bias_hh"}`` as float64 arrays. A ``GRU`` must use Keras'
    default ``reset_after=True`` (with ``reset_after=False`` the reset gate acts before the recurrent matrix, which
    PyTorch's GRU does not do); any layer must use its default activations and a bias."""
    kind = type(layer).__name__
    if kind not in GATES:
        raise ArgumentTypeError(f"layer must be a Keras SimpleRNN, LSTM or GRU layer, got {describe(layer)}")
    if not layer.built:
        raise ValueError(f"the {kind} layer is not built yet: call it on an input first")
    config = layer.get_config()
    if not config.get("use_bias", True):
        raise ValueError(f"the {kind} layer has no bias (use_bias=False); PyTorch's layers here have biases")
    if config.get("activation") != "tanh" or (kind != "SimpleRNN" and config.get("recurrent_activation") != "sigmoid"):
        raise ValueError(f"the {kind} layer must use the default activations (tanh, and sigmoid for the gates), as "
                         "PyTorch's equations do")
    kernel, recurrent_kernel, bias = (np.asarray(w, dtype="float64") for w in layer.get_weights())
    units = recurrent_kernel.shape[0]
    if kind == "GRU":
        if not config.get("reset_after", True):
            raise ValueError("the GRU layer uses reset_after=False, whose equations PyTorch's GRU does not have; "
                             "use Keras' default reset_after=True")

        def reorder(a):  # Keras' gate blocks z, r, h along the last axis -> PyTorch's r, z, n
            z, r, h = np.split(a, 3, axis=-1)
            return np.concatenate([r, z, h], axis=-1)

        return {"weight_ih": reorder(kernel).T, "weight_hh": reorder(recurrent_kernel).T,
                "bias_ih": reorder(bias[0]), "bias_hh": reorder(bias[1])}
    return {"weight_ih": kernel.T, "weight_hh": recurrent_kernel.T, "bias_ih": bias,
            "bias_hh": np.zeros(GATES[kind] * units)}


def torch_parameter_count(ported: dict) -> int:
    """How many parameters PyTorch's layer holds: the sizes of its four arrays added up."""
    if not isinstance(ported, dict) or set(ported) != {"weight_ih", "weight_hh", "bias_ih", "bias_hh"}:
        raise ValueError(f"ported must be torch_layout(layer)'s dict of weight_ih, weight_hh, bias_ih and bias_hh, "
                         f"got {describe(ported)}")
    return int(sum(numeric_array(a, f"ported[{name!r}]").size for name, a in ported.items()))


FORWARDS = {"simple_rnn": torch_rnn_forward, "lstm": torch_lstm_forward, "gru": torch_gru_forward}
_FORWARD_OF = {"SimpleRNN": torch_rnn_forward, "LSTM": torch_lstm_forward, "GRU": torch_gru_forward}


def _sequences(x) -> np.ndarray:
    """``x`` as float32 sequences ``[batch, time, features]``, checked."""
    checked = numeric_array(x, "x", dtype="float32")
    if checked.ndim != 3 or 0 in checked.shape:
        raise ValueError(f"x must be [batch, time, features] with at least one of each, got shape {checked.shape}")
    return checked


def keras_against_torch(x, units=32) -> dict:
    """Each cell's Keras layer (``return_sequences=True``, random non-zero biases) run on ``x`` ``[batch, time,
    features]`` on the CPU, where float32 products are computed in full float32 precision, against PyTorch's
    equations on the same weights (:func:`torch_layout`).

    The cells are built in the order simple_rnn, lstm, gru from Keras' global seed (set it first for the same
    weights). Returns ``{cell: {"layer": the Keras layer, "keras_params": its parameters, "torch_params":
    PyTorch's, "max_difference": the largest difference between the two sets of states}}``."""
    import keras

    from utils.cells import CELLS

    x, units = _sequences(x), positive_int(units, "units")
    found = {}
    with keras.device("cpu:0"):
        for key, forward in FORWARDS.items():
            layer = CELLS[key](units, return_sequences=True, bias_initializer="random_normal")
            states = keras.ops.convert_to_numpy(layer(x))
            ported = torch_layout(layer)  # weight_ih, weight_hh, bias_ih, bias_hh
            found[key] = {"layer": layer, "keras_params": layer.count_params(),
                          "torch_params": torch_parameter_count(ported),
                          "max_difference": float(np.abs(forward(x, **ported) - states).max())}
    return found


def padding_check(layer, x, real_steps) -> tuple:
    """What PyTorch's ``out[:, -1]`` reads when a sequence is padded at the end, and what Keras' mask does.

    Takes the first two sequences of ``x``, pads the second with zeros after ``real_steps`` steps, and runs them
    through PyTorch's equations with ``layer``'s weights and through ``layer`` with the mask. Returns ``(moved,
    same)``: how far (largest difference) the last position's state is from the state after the last real step,
    and whether Keras' last output with the mask is that state (to 1e-5)."""
    import keras

    if type(layer).__name__ not in _FORWARD_OF:
        raise ArgumentTypeError(f"layer must be a Keras SimpleRNN, LSTM or GRU layer, got {describe(layer)}")
    x = _sequences(x)
    steps = x.shape[1]
    real_steps = positive_int(real_steps, "real_steps")
    if len(x) < 2 or real_steps >= steps:
        raise ValueError(f"x needs two sequences or more and real_steps must be below its {steps} steps, got "
                         f"{len(x)} sequence(s) and real_steps={real_steps}")
    padded = x[:2].copy()
    padded[1, real_steps:] = 0  # the second sequence: real steps, then padding
    states = _FORWARD_OF[type(layer).__name__](padded, **torch_layout(layer))
    moved = float(np.abs(states[1, -1] - states[1, real_steps - 1]).max())
    mask = np.arange(steps)[None, :] < np.array([[steps], [real_steps]])  # True on real steps
    with keras.device("cpu:0"):
        masked = keras.ops.convert_to_numpy(layer(padded, mask=mask))
    return moved, bool(np.allclose(masked[1, -1], states[1, real_steps - 1], atol=1e-5))
