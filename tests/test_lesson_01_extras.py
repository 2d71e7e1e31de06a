"""Lesson 01's own code outside the notebook run: the Jacobian trick, the hand-written BPTT, exercise 01.1's check.

* ``jacobian_norms`` (one backward pass over a copy of each sequence per unit, in ``utils.lesson_functions``, which
  the lesson imports) gives what ``tape.batch_jacobian`` gives; ``per_step_factor`` is the lesson's, line for line;
* the notebook's ``simple_rnn_backward`` matches ``tf.GradientTape`` and finite differences, with a nonzero bias;
* exercise 01.1's check measures seed 0 again: it agrees with the lesson's stored result, accepts the true
  values, rejects invented or swapped ones with a message that says so, and leaves the random state alone.
"""

import ast
import inspect
import json
import random
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSON = ROOT / "notebooks" / "01_simple_rnn_from_scratch.ipynb"


def lesson_functions(*names):
    """{name: ast.FunctionDef} of the top-level functions ``names`` that the lesson's code cells define."""
    found = {}
    for cell in json.loads(LESSON.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "code":
            continue
        try:
            tree = ast.parse("".join(cell["source"]))
        except SyntaxError:
            continue
        found.update({node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)})
    missing = [name for name in names if name not in found]
    assert not missing, f"lesson 01 no longer defines {missing}"
    return {name: found[name] for name in names}


def lesson_namespace(*names):
    """The lesson's functions ``names``, compiled with NumPy as ``np`` (what they use)."""
    module = ast.Module(body=list(lesson_functions(*names).values()), type_ignores=[])
    namespace = {"np": np}
    exec(compile(module, str(LESSON), "exec"), namespace)
    return namespace


def test_jacobian_norms_is_the_lessons():
    """The lesson writes per_step_factor out (utils keeps a copy, line for line) and imports jacobian_norms."""
    import utils.lesson_functions as mirror

    for name, node in lesson_functions("per_step_factor").items():
        in_utils = ast.parse(inspect.getsource(getattr(mirror, name))).body[0]
        assert ast.dump(in_utils) == ast.dump(node), f"{name} differs between lesson 01 and utils/lesson_functions.py"
    code = "".join("".join(c["source"]) for c in json.loads(LESSON.read_text(encoding="utf-8"))["cells"]
                   if c["cell_type"] == "code")
    assert "from utils.lesson_functions import jacobian_norms" in code


@pytest.mark.parametrize("cell", ["SimpleRNN", "LSTM", "GRU"])
def test_jacobian_norms_equals_batch_jacobian(cell):
    import keras
    import tensorflow as tf

    from utils.lesson_functions import jacobian_norms

    x = tf.constant(np.random.default_rng(0).normal(size=(3, 7, 2)).astype("float32"))
    keras.utils.set_random_seed(0)
    layer = getattr(keras.layers, cell)(4)
    ours = jacobian_norms(layer, x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        last = layer(x)
    expected = tf.reduce_mean(tf.norm(tape.batch_jacobian(last, x), axis=(1, 3)), axis=0).numpy()
    assert ours.shape == (7,)
    np.testing.assert_allclose(ours, expected, rtol=1e-5, atol=1e-7)


def test_hand_written_bptt_matches_gradient_tape_and_finite_differences():
    import tensorflow as tf

    ns = lesson_namespace("simple_rnn_forward", "simple_rnn_backward")
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 6, 3))
    kernel, recurrent, bias = rng.normal(size=(3, 4)) * 0.5, rng.normal(size=(4, 4)) * 0.5, rng.normal(size=4)
    v = rng.normal(size=4)
    states = ns["simple_rnn_forward"](x, kernel, recurrent, bias)
    grads = ns["simple_rnn_backward"](x, kernel, recurrent, states, np.tile(v, (2, 1)))

    variables = [tf.Variable(a) for a in (kernel, recurrent, bias, x)]
    with tf.GradientTape() as tape:
        h = tf.zeros((2, 4), dtype=tf.float64)
        for t in range(6):
            h = tf.tanh(variables[3][:, t] @ variables[0] + h @ variables[1] + variables[2])
        loss = tf.reduce_sum(h * v)
    for ours, theirs in zip(grads, tape.gradient(loss, variables)):
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-10, atol=1e-12)

    def loss_of(b):
        return float(np.sum(ns["simple_rnn_forward"](x, kernel, recurrent, b)[:, -1] @ v))

    nudge = np.eye(4)[2] * 1e-6
    numeric = (loss_of(bias + nudge) - loss_of(bias - nudge)) / 2e-6
    assert grads[2][2] == pytest.approx(numeric, rel=1e-6)


@pytest.fixture(scope="module")
def seed_0():
    from utils.exercises.lesson_01 import seed_0_factors

    return seed_0_factors()


def test_01_1_measures_what_the_lesson_stored(seed_0):
    stored = json.loads((ROOT / "results" / "gradients.json").read_text(encoding="utf-8"))
    lesson_seed_0 = stored["models"]["lstm"]["per_step_factor_seeds"][0]
    assert stored["init_seeds"][0] == 0
    assert seed_0["default"] == pytest.approx(lesson_seed_0, rel=1e-3)
    assert seed_0["no_forget_bias"] < seed_0["default"] - 0.1  # the forget bias of 1 keeps more per step


def test_01_1_accepts_the_measured_values_and_rejects_invented_ones(seed_0):
    from utils.exercises import EXERCISES

    ex = EXERCISES["01.1"]
    right = {"default": [seed_0["default"], seed_0["default"] + 0.005],
             "no_forget_bias": [seed_0["no_forget_bias"], seed_0["no_forget_bias"] - 0.005],
             "fades_faster": "no_forget_bias"}
    ok, message = ex.evaluate(right)
    assert ok, message
    assert "measured seed 0 again" in message and "no_forget_bias fades faster" in message
    assert "no_forget_bias better" not in message  # compare's word for "smaller factor" is not shown

    rounded = {**right, "default": [round(v, 3) for v in right["default"]]}  # 3 decimals are within 0.1%
    assert ex.evaluate(rounded)[0]

    invented = {**right, "default": [seed_0["default"] * 1.01, 0.83]}
    ok, message = ex.evaluate(invented)
    assert not ok and "seed 0" in message and f"{seed_0['default']:.4f}" in message
    assert "no_forget_bias value" not in message  # only the wrong side is named

    swapped = {**right, "default": right["no_forget_bias"], "no_forget_bias": right["default"]}
    ok, message = ex.evaluate(swapped)
    assert not ok and "swapped" in message


def test_01_1_check_leaves_the_random_state_alone(seed_0):
    from utils.exercises.lesson_01 import seed_0_factors

    seed_0_factors.cache_clear()
    random.seed(123)
    np.random.seed(123)
    expected = random.random(), np.random.random()
    random.seed(123)
    np.random.seed(123)
    assert seed_0_factors() == pytest.approx(seed_0)
    assert (random.random(), np.random.random()) == expected
