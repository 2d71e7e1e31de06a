"""The lessons' exercises, checked in the notebook: ``check``, ``hint`` and ``solution``.

In a lesson::

    from utils.exercises import check, hint, solution

    answer = x.shape
    check("00.1", answer)   # prints ✅ or ❌ with what was wrong, returns True / False
    hint("00.1")            # prints a hint
    solution("00.1")        # prints the reference solution (utils/solutions/ex_00_1.py)

``answer = None`` prints "not attempted" and returns False. A wrong answer, or an answer of the wrong type,
is a ❌ with a message, never an exception; only an unknown exercise id raises ``ValueError``.

Exercises whose answer comes from training never ask for a number that only a long run reaches: their checks
test what any honest run gives — a shape, a share between 0 and 1, a verdict consistent with your own
measurements under the course's noise rule (``utils.verdicts``), a direction the lesson's reasoning
guarantees, or a conceptual choice — and each message says what was checked.

This module imports only the standard library and NumPy; checks that need data or Keras import them when
they run.
"""

import math
import re
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from utils.checks import describe, is_int, is_real

__all__ = ["EXERCISES", "Exercise", "check", "exercises_of", "hint", "solution", "solution_source"]


class Wrong(Exception):
    """Raised inside a check: the answer is not right; the message says what is wrong."""


@dataclass(frozen=True)
class Exercise:
    """One exercise: its question, what its check verifies, a hint, the check, and typical wrong answers."""

    id: str
    question: str
    verifies: str
    hint: str
    checker: Callable
    wrong_answers: tuple = ()  # (answer, a fragment its message must contain), used by the tests
    options: tuple = ()  # (letter, text) pairs of a multiple choice, shown with the question

    @property
    def lesson(self) -> int:
        return int(self.id.split(".")[0])

    @property
    def solution_file(self) -> str:
        lesson, number = self.id.split(".")
        return f"ex_{lesson}_{number}.py"

    def evaluate(self, answer) -> tuple:
        """``(ok, message)`` for an answer (not None). Never raises for a learner's answer."""
        try:
            return True, self.checker(answer)
        except Wrong as wrong:
            return False, str(wrong)
        except Exception as error:  # a learner's object the check could not read: a ❌, not a traceback
            return False, f"the check could not read this answer ({type(error).__name__}: {error})"


EXERCISES: dict = {}


def exercise(exercise_id, *, question, verifies, hint, wrong=(), options=None):
    """Register the decorated function as the check of ``exercise_id``. It returns the ✅ message or raises Wrong."""
    def register(function):
        if exercise_id in EXERCISES:
            raise ValueError(f"exercise {exercise_id} is registered twice")
        EXERCISES[exercise_id] = Exercise(exercise_id, question, verifies, hint, function, tuple(wrong),
                                          tuple((options or {}).items()))
        return function
    return register


def _get(exercise_id) -> Exercise:
    if not isinstance(exercise_id, str) or exercise_id not in EXERCISES:
        raise ValueError(f"no exercise {exercise_id!r}; the exercises are {', '.join(EXERCISES)}")
    return EXERCISES[exercise_id]


def _wrap(text, indent="   "):
    return textwrap.fill(text, width=110, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False)


def check(exercise_id, answer) -> bool:
    """Check ``answer`` to exercise ``exercise_id`` ("NN.k"): print ✅ or ❌ and what was checked; return True/False."""
    ex = _get(exercise_id)
    if answer is None:
        print(f"⬜ {ex.id} not attempted — set `answer` in this cell and run it again; "
              f'hint("{ex.id}") helps, solution("{ex.id}") shows one.')
        return False
    ok, message = ex.evaluate(answer)
    mark = "✅" if ok else "❌"
    print(f"{mark} {ex.id} {'correct' if ok else 'not yet'}: {message}")
    print(_wrap(f"(The check verifies {ex.verifies}.)"))
    if not ok:
        print(_wrap(f'hint("{ex.id}") helps; solution("{ex.id}") shows one.'))
    return ok


def hint(exercise_id) -> None:
    """Print the hint of exercise ``exercise_id``."""
    ex = _get(exercise_id)
    print(f"💡 {ex.id}: {ex.question}")
    for letter, text in ex.options:
        print(_wrap(f'"{letter}": {text}', indent="     "))
    print(_wrap(ex.hint))


def solution_source(exercise_id) -> str:
    """The source code of the reference solution of ``exercise_id``."""
    ex = _get(exercise_id)
    return resources.files("utils.solutions").joinpath(ex.solution_file).read_text(encoding="utf-8")


def solution(exercise_id) -> None:
    """Print the reference solution of ``exercise_id``: a script in ``utils/solutions`` that ends with ``answer``."""
    ex = _get(exercise_id)
    module = f"utils.solutions.{ex.solution_file.removesuffix('.py')}"
    print(f"# utils/solutions/{ex.solution_file} — exercise {ex.id}; it ends with `answer`. To run it without touching")
    print(f'# this notebook\'s variables: import runpy; answer = runpy.run_module("{module}")["answer"]')
    print(solution_source(exercise_id))


def exercises_of(lesson) -> list:
    """The exercises of one lesson (an int such as 3), in order."""
    return [ex for ex in EXERCISES.values() if ex.lesson == lesson]


# --------------------------------------------------------------------------- reading answers


def _mapping(answer, keys, example):
    """``answer`` as a dict that has every key in ``keys``."""
    if not isinstance(answer, Mapping):
        raise Wrong(f"the answer should be a dict such as {example}, got {describe(answer)}")
    missing = [key for key in keys if _lookup(answer, key) is _MISSING]
    if missing:
        raise Wrong(f"the dict has no key {', '.join(repr(k) for k in missing)}; expected keys "
                    f"{', '.join(repr(k) for k in keys)}, as in {example}")
    return {key: _lookup(answer, key) for key in keys}


_MISSING = object()


def _lookup(mapping, key):
    """``mapping[key]``; a key such as "0.2" or "64" also matches the number 0.2 or 64."""
    if key in mapping:
        return mapping[key]
    for other, value in mapping.items():
        if is_real(other) and _as_float(key) is not None and float(other) == _as_float(key):
            return value
    return _MISSING


def _as_float(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def _number(value, name, low=-math.inf, high=math.inf):
    """A finite float in [low, high]."""
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.item()
    if not is_real(value):
        raise Wrong(f"{name} should be a number, got {describe(value)}")
    value = float(value)
    if not math.isfinite(value):
        raise Wrong(f"{name} is {value}: a measurement should be a finite number")
    if not low <= value <= high:
        raise Wrong(f"{name} is {value:g}, outside the possible range [{low:g}, {high:g}]")
    return value


def _share(value, name):
    """A share in [0, 1]; a percentage gets its own message."""
    number = _number(value, name)
    if 1 < number <= 100:
        raise Wrong(f"{name} is {number:g}: give a share between 0 and 1, not a percentage ({number / 100:.3f})")
    return _number(number, name, 0.0, 1.0)


def _integer(value, name):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not is_int(value):
        raise Wrong(f"{name} should be a whole number, got {describe(value)}")
    return int(value)


def _numbers(value, name, at_least=1, low=-math.inf, high=math.inf):
    """A list of finite floats, at least ``at_least`` of them."""
    if is_real(value) or isinstance(value, str | bytes | Mapping) or not hasattr(value, "__iter__"):
        raise Wrong(f"{name} should be a list of numbers (one per seed or repeat), got {describe(value)}")
    values = [_number(v, f"a value of {name}", low, high) for v in np.asarray(value, dtype=object).ravel()]
    if len(values) < at_least:
        raise Wrong(f"{name} has {len(values)} value(s); " + (
            f"the noise rule needs at least {at_least} (a spread needs repeated measurements)" if at_least > 1
            else "it needs at least one"))
    return values


def _shape(value, name="the shape"):
    """A tuple of ints from a tuple, a list, a NumPy shape or a TensorShape."""
    if isinstance(value, str | bytes) or not hasattr(value, "__iter__"):
        raise Wrong(f"{name} should be a tuple of integers such as (3, 5, 2) — e.g. `x.shape` — "
                    f"got {describe(value)}")
    items = list(value)
    if not all(is_int(v) for v in items):
        raise Wrong(f"{name} should hold integers only, got {tuple(items)}")
    return tuple(int(v) for v in items)


def _choice(value, options, name="the choice"):
    """One of ``options`` (a dict of letter -> text); accepts "b", "B", "(b)" and "b)"."""
    letters = ", ".join(f'"{k}"' for k in options)
    if not isinstance(value, str):
        raise Wrong(f"{name} should be one letter, {letters}, got {describe(value)}")
    letter = value.strip().strip("()").strip().lower()
    if letter not in options:
        raise Wrong(f"{name} should be one of {letters}, got {value!r}")
    return letter


def _word(value, options, name):
    """One of the strings in ``options`` (case and surrounding spaces ignored)."""
    if not isinstance(value, str) or value.strip().lower() not in options:
        raise Wrong(f"{name} should be one of {', '.join(repr(o) for o in options)}, got {describe(value)}")
    return value.strip().lower()


def _boolean(value, name):
    if not isinstance(value, bool | np.bool_):
        raise Wrong(f"{name} should be True or False, got {describe(value)}")
    return bool(value)


def _words(value, name):
    """A set of lower-case words from a list, tuple or set of strings."""
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise Wrong(f"{name} should be a list of words such as ['dull'], got {describe(value)}")
    items = list(value)
    if not all(isinstance(v, str) for v in items):
        raise Wrong(f"{name} should hold words (strings) only, got {items!r}")
    return {v.strip().lower() for v in items}


def _compare(*args, **kwargs):
    from utils.verdicts import compare

    return compare(*args, **kwargs)


# --------------------------------------------------------------------------- lesson 00

SP500_DAYS = 5031  # rows of load_sp500(), fixed by the data file's checksum
SP500_SPLIT_DAYS = (3521, 756, 754)  # train, validation, test days of split_by_date(load_sp500())


@exercise(
    "00.1",
    question="Build 60-day windows over the `Close` and `Volume` columns of the S&P 500 with "
             "`make_windows(..., window=60, target_column=0)` and stack them with `dataset_to_arrays`. "
             "What shape do the inputs have?",
    verifies="the exact shape of the inputs, (windows, time steps, features), over the whole series",
    hint="The lesson's 20-day windows over Close alone had shape (5011, 20, 1): a series of n days gives n - w "
         "windows of w days (a window that ends on the last day has no next day to predict). Each day now has two "
         "features.",
    wrong=[((4971, 60, 1), "feature"), ((5031, 60, 2), "windows"), ((4971, 2, 60), "order"),
           ((32, 60, 2), "batch"), ("(4971, 60, 2)", "tuple of integers")],
)
def _check_00_1(answer):
    shape = _shape(answer)
    expected = (SP500_DAYS - 60, 60, 2)
    if shape == expected:
        return (f"{expected}: {expected[0]:,} windows of 60 days with 2 features each; the target of every "
                "window is the next day's close (column 0).")
    if len(shape) != 3:
        raise Wrong(f"{shape} has {len(shape)} dimensions; recurrent layers take 3: [batch, time, features]")
    if shape[0] == 32 or shape[0] == 256:
        raise Wrong(f"{shape} looks like one batch of the dataset; stack all batches with dataset_to_arrays "
                    "and give the shape of the inputs")
    if sorted(shape) == sorted(expected):
        raise Wrong(f"{shape} has the right numbers in the wrong order: [batch, time, features]")
    if shape[2] == 1:
        raise Wrong(f"{shape} has 1 feature per day: pass both columns, sp500[['Close', 'Volume']]")
    if shape[1] != 60:
        raise Wrong(f"{shape}: each window should hold 60 days (window=60)")
    if shape[0] == SP500_DAYS or shape[0] == SP500_DAYS - 59:
        raise Wrong(f"{shape}: {shape[0]:,} windows is too many; a series of n days gives n - w windows, "
                    "because the last window must still have a next day as its target")
    raise Wrong(f"{shape} is not the shape make_windows gives; count the windows again (n - w)")


@exercise(
    "00.2",
    question="Pad the lesson's three sentences (their `ids`) with `keras.utils.pad_sequences(ids, maxlen=4, "
             "truncating=...)`. Which words are lost with `truncating='pre'`, and which with `truncating='post'`?",
    verifies='the words each setting drops, as {"pre": [...], "post": [...]} (order does not matter)',
    hint="Only the six-word sentence is longer than 4. 'pre' and 'post' say which end is cut off; map the ids "
         "that disappear back to words with vectorize.get_vocabulary().",
    wrong=[({"pre": ["at", "all"], "post": ["not", "a"]}, "swapped"), ({"pre": [], "post": []}, "longer"),
           (["not", "a"], "dict")],
)
def _check_00_2(answer):
    parts = _mapping(answer, ["pre", "post"], '{"pre": ["..."], "post": ["..."]}')
    pre, post = _words(parts["pre"], 'answer["pre"]'), _words(parts["post"], 'answer["post"]')
    right_pre, right_post = {"not", "a"}, {"at", "all"}
    if pre == right_pre and post == right_post:
        return ("'pre' cuts the start — 'not a good film at all' becomes 'good film at all', the negation is "
                "gone — and 'post' cuts the end, 'at all'. Which end to keep is a modelling choice.")
    if pre == right_post and post == right_pre:
        raise Wrong("swapped: truncating='pre' removes ids from the start of a sequence (it keeps the last "
                    "maxlen), truncating='post' from the end")
    if not pre and not post:
        raise Wrong("the six-word sentence is longer than maxlen=4, so two of its words are lost either way")
    raise Wrong(f"'pre' loses {sorted(pre)} and 'post' loses {sorted(post)}? Not quite: look at which ids of "
                "the six-word sentence remain after each call, and which two are gone")


@exercise(
    "00.3",
    question="Build 20-day windows of the closing price separately in each period of `split_by_date(sp500)`, as "
             "the later lessons do. How many windows do the three periods give together, and how many of the "
             "5,011 windows over the whole series would have straddled a boundary between two periods?",
    verifies='both counts exactly, as {"per_split": ..., "straddling": ...}',
    hint="Each period of n days gives n - 20 windows (make_windows on that period alone). Subtract their sum "
         "from the 5,011 windows of the whole series.",
    wrong=[({"per_split": 5011, "straddling": 0}, "whole series"), ({"per_split": 4971, "straddling": 20}, "two"),
           ({"per_split": 4973, "straddling": 38}, "per period")],
)
def _check_00_3(answer):
    parts = _mapping(answer, ["per_split", "straddling"], '{"per_split": 1234, "straddling": 56}')
    per_split, straddling = _integer(parts["per_split"], "per_split"), _integer(parts["straddling"], "straddling")
    expected = sum(days - 20 for days in SP500_SPLIT_DAYS)
    whole = SP500_DAYS - 20
    if per_split == expected and straddling == whole - expected:
        return (f"{expected:,} windows inside the periods; {whole - expected} windows (20 per boundary, two "
                "boundaries) would have mixed training days with validation or test days.")
    if per_split == whole:
        raise Wrong(f"{whole:,} is the count over the whole series; make the windows per period, one make_windows "
                    "call per period")
    if per_split != expected:
        raise Wrong(f"per_split is {per_split:,}; each period of n days gives n - 20 windows (count them per "
                    "period and add up)")
    raise Wrong(f"per_split is right, but straddling should be 5,011 - {expected:,}; each of the two boundaries "
                "costs 20 windows")


# --------------------------------------------------------------------------- lesson 01


@exercise(
    "01.1",
    question="Measure the per-step factor (`per_step_factor` of `jacobian_norms`) of an LSTM built with "
             "`unit_forget_bias=False`, for the same initialisation seeds as the default LSTM. Which fades faster?",
    verifies="that your factors are plausible (between 0 and 2, at least two initialisations each), that "
             "your verdict follows from them by the noise rule, and that they agree with what the forget bias "
             "does",
    hint="Build seeded LSTMs with keras.layers.LSTM(UNITS, unit_forget_bias=False) and reuse jacobian_norms and "
         "per_step_factor. Without the bias of 1 the forget gate starts at sigmoid(0) = 0.5 instead of "
         "sigmoid(1) = 0.73. Compare the two lists with utils.verdicts.compare (a smaller factor fades faster).",
    wrong=[({"default": [0.82, 0.83], "no_forget_bias": [0.60, 0.61], "fades_faster": "default"}, "smaller"),
           ({"default": [0.82], "no_forget_bias": [0.60], "fades_faster": "no_forget_bias"}, "at least 2"),
           ({"default": [0.60, 0.61], "no_forget_bias": [0.82, 0.83], "fades_faster": "default"}, "unit_forget_bias"),
           ({"default": [0.82, 0.83], "no_forget_bias": [0.60, 0.61], "fades_faster": "lstm"}, "one of")],
)
def _check_01_1(answer):
    parts = _mapping(answer, ["default", "no_forget_bias", "fades_faster"],
                     '{"default": [0.82, 0.83], "no_forget_bias": [...], "fades_faster": "no_forget_bias"}')
    default = _numbers(parts["default"], 'answer["default"]', 2, 0.0, 2.0)
    no_bias = _numbers(parts["no_forget_bias"], 'answer["no_forget_bias"]', 2, 0.0, 2.0)
    said = _word(parts["fades_faster"], ("default", "no_forget_bias", "no difference"), 'answer["fades_faster"]')
    c = _compare(default, no_bias, names=("default", "no_forget_bias"), higher_is_better=False,
                 noise_kind="seed spread")
    verdict = "no difference" if c.better is None else c.better
    if said != verdict:
        raise Wrong(f"your numbers say {c.describe()}, so by the noise rule the one that fades faster is "
                    f"{verdict!r} (a smaller factor per step fades faster), not {said!r}")
    if c.better == "default":
        raise Wrong(f"{c.describe()}: the default LSTM fading faster contradicts what the bias does (forget gate "
                    "0.73 instead of 0.5); did you pass unit_forget_bias=False to the second one only?")
    if c.better is None:
        raise Wrong(f"{c.describe()}: no difference beyond the seed spread; with the same seeds and inputs the "
                    "gap should be large — check that both lists use the same fit (50 most recent steps)")
    return (f"{c.describe()}. Without the forget bias the LSTM keeps about {c.mean_b:.2f} of the gradient per step "
            f"instead of {c.mean_a:.2f}: the bias of 1 is what gives an untrained LSTM its longer reach.")


ADDING_BEST_CONSTANT = 1 / 6  # variance of the sum of two uniform numbers: the MSE of the best constant


CLIPPING_CHOICES = {"a": "clipnorm keeps the gradient's direction; clipvalue changes it",
                    "b": "clipvalue does not bound the size of an update",
                    "c": "clipvalue works only with Adam"}


@exercise(
    "01.2",
    question="Train the adding-problem model with `clipvalue=0.5` instead of `clipnorm=1.0`. Does training stay "
             "finite, does it learn (mean MSE of the last 100 steps below half the best constant's 0.167), and "
             "what is the difference between the two kinds of clipping?",
    verifies="that your record is consistent (a finite run has a final MSE, a diverged one has none; 'learned' "
             "matches the MSE) and the choice about what the two clippings do",
    hint="Call train_adding after changing the optimizer to keras.optimizers.SGD(..., clipvalue=0.5), then read the "
         "loss list as the lesson's summary does. For the choice: clipnorm rescales the whole gradient vector; "
         "clipvalue caps every element on its own.",
    options=CLIPPING_CHOICES,
    wrong=[({"stays_finite": True, "final_mse": None, "learned": False, "difference": "a"}, "final_mse"),
           ({"stays_finite": True, "final_mse": 0.16, "learned": True, "difference": "a"}, "half"),
           ({"stays_finite": True, "final_mse": 0.16, "learned": False, "difference": "b"}, "bound")],
)
def _check_01_2(answer):
    example = '{"stays_finite": True, "final_mse": 0.16, "learned": False, "difference": "a"}'
    parts = _mapping(answer, ["stays_finite", "final_mse", "learned", "difference"], example)
    finite, learned = _boolean(parts["stays_finite"], "stays_finite"), _boolean(parts["learned"], "learned")
    if finite and parts["final_mse"] is None:
        raise Wrong("a run that stayed finite has a final MSE: give the mean of its last 100 losses as final_mse")
    if not finite and parts["final_mse"] is not None:
        raise Wrong("a diverged run has no final MSE (its losses are inf or nan): set final_mse to None")
    if finite:
        mse = _number(parts["final_mse"], "final_mse", 0.0)
        if learned != (mse < ADDING_BEST_CONSTANT / 2):
            raise Wrong(f"final_mse {mse:.3f} and learned={learned} disagree: 'learned' means below half the best "
                        f"constant's MSE, {ADDING_BEST_CONSTANT / 2:.3f}")
    elif learned:
        raise Wrong("a diverged run has not learned: learned should be False")
    choice = _choice(parts["difference"], CLIPPING_CHOICES, "difference")
    if choice == "b":
        raise Wrong("difference 'b': clipvalue does bound every update (each element at most 0.5 times the "
                    "learning rate); what it changes is the direction of the gradient")
    if choice == "c":
        raise Wrong("difference 'c': both clippings work with any Keras optimizer, SGD included")
    outcome = ("stayed finite" if finite else "diverged") + (" and learned" if learned else ", without learning")
    return (f"your run {outcome}. Clipping each element bounds the step but bends its direction towards the "
            "corners of a box; clipping the norm shrinks the step and keeps its direction.")


# --------------------------------------------------------------------------- lesson 02


@exercise(
    "02.1",
    question="How many parameters does `keras.layers.GRU(8, reset_after=False)` have on inputs of 6 features?",
    verifies="the exact count",
    hint="reset_after=False has one bias vector instead of two: three blocks of (kernel, recurrent kernel, bias). "
         "Check it with layer.build((None, None, 6)) and layer.count_params().",
    wrong=[(384, "reset_after=True"), (120, "SimpleRNN"), (480, "LSTM"), ("360", "number")],
)
def _check_02_1(answer):
    count = _integer(answer, "the parameter count")
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
    units = recurrent_kernel.shape[0]
    input_bias, recurrent_bias = bias
    h = np.zeros((x.shape[0], units), dtype=x.dtype)
    states = []
    for t in range(x.shape[1]):
        from_input = x[:, t] @ kernel + input_bias
        from_state = h @ recurrent_kernel + recurrent_bias
        z = 1 / (1 + np.exp(-(from_input[:, :units] + from_state[:, :units])))
        r = 1 / (1 + np.exp(-(from_input[:, units:2 * units] + from_state[:, units:2 * units])))
        h = z * h + (1 - z) * np.tanh(from_input[:, 2 * units:] + r * from_state[:, 2 * units:])
        states.append(h)
    return np.stack(states, axis=1)


def _gru_reset_after_one_bias(x, kernel, recurrent_kernel, bias):
    """One bias, but the reset gate still applied after the product: a typical wrong answer to 02.2."""
    units = recurrent_kernel.shape[0]
    h = np.zeros((x.shape[0], units), dtype=x.dtype)
    states = []
    for t in range(x.shape[1]):
        from_input = x[:, t] @ kernel + bias
        from_state = h @ recurrent_kernel
        z = 1 / (1 + np.exp(-(from_input[:, :units] + from_state[:, :units])))
        r = 1 / (1 + np.exp(-(from_input[:, units:2 * units] + from_state[:, units:2 * units])))
        h = z * h + (1 - z) * np.tanh(from_input[:, 2 * units:] + r * from_state[:, 2 * units:])
        states.append(h)
    return np.stack(states, axis=1)


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
    wrong=[(_gru_reset_after, "raised"), (_gru_reset_after_one_bias, "differ"), (np.zeros(3), "function")],
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
    if not difference <= 1e-5:
        raise Wrong(f"your states differ from Keras' by up to {difference:.2g}; in the candidate, the reset gate "
                    "multiplies h before the product: tanh(x W_h + b_h + (r * h) U_h)")
    return f"your NumPy GRU matches Keras' reset_after=False layer to {difference:.1e}."


@exercise(
    "02.3",
    question="Train the small LSTM with `learning_rate=0.01` and measure its saturated share of gate values as the "
             "lesson does. Where does it land between the lr 0.001 and lr 0.05 runs?",
    verifies="that the three shares are shares (between 0 and 1) and that 'closer_to' follows from them",
    hint="train_small_lstm(0.01, seed=1), then gate_values and saturated_share as in the lesson; average the "
         "three gates like `overall`. Compare the lr 0.01 share with the other two runs' shares.",
    wrong=[({"lr 0.001": 0.0, "lr 0.01": 0.7, "lr 0.05": 0.95, "closer_to": "lr 0.001"}, "closer"),
           ({"lr 0.001": 0.0, "lr 0.01": 70, "lr 0.05": 0.95, "closer_to": "lr 0.05"}, "percentage"),
           ({"lr 0.01": 0.2}, "no key")],
)
def _check_02_3(answer):
    keys = ["lr 0.001", "lr 0.01", "lr 0.05", "closer_to"]
    parts = _mapping(answer, keys, '{"lr 0.001": 0.0, "lr 0.01": 0.3, "lr 0.05": 0.95, "closer_to": "lr 0.05"}')
    low, mid, high = (_share(parts[k], f'answer["{k}"]') for k in keys[:3])
    said = _word(parts["closer_to"], ("lr 0.001", "lr 0.05"), 'answer["closer_to"]')
    closer = "lr 0.001" if abs(mid - low) <= abs(mid - high) else "lr 0.05"
    if said != closer:
        other = low if closer == "lr 0.001" else high
        raise Wrong(f"{mid:.1%} saturated at lr 0.01 is closer to {closer}'s {other:.1%} than to {said}'s")
    return (f"at lr 0.01, {mid:.1%} of the gate values are saturated (lr 0.001: {low:.1%}, lr 0.05: {high:.1%}), "
            f"closer to {closer}. Put the validation accuracies next to these shares before calling saturation "
            "a failure.")


# --------------------------------------------------------------------------- lesson 03


@exercise(
    "03.1",
    question="Read the initial keep gate of a fresh `keras.layers.LSTM(32)` (forget gate) and `keras.layers.GRU(32)` "
             "(update gate) from their biases. If a trace of the first token were multiplied by that gate at "
             "every step, after how many steps would it fall below 1%?",
    verifies='both step counts, as {"lstm": ..., "gru": ...} (whole steps, or the exact value to ±0.5)',
    hint="Build each layer with layer.build((None, None, 8)); the LSTM's forget-gate bias is bias[32:64], the "
         "GRU's update-gate bias is bias[0, :32]. The gate is sigmoid(bias); solve gate**k < 0.01 for k: "
         "k = log(0.01) / log(gate).",
    wrong=[({"lstm": 4, "gru": 2}, "forget gate"), ({"lstm": 7, "gru": 15}, "swapped"), ({"lstm": 15}, "no key"),
           ({"lstm": 100, "gru": 100}, "log(0.01)")],
)
def _check_03_1(answer):
    parts = _mapping(answer, ["lstm", "gru"], '{"lstm": 12, "gru": 34}')
    lstm, gru = _number(parts["lstm"], 'answer["lstm"]', 0.0), _number(parts["gru"], 'answer["gru"]', 0.0)
    exact = {"lstm": math.log(0.01) / math.log(1 / (1 + math.exp(-1.0))), "gru": math.log(0.01) / math.log(0.5)}

    def right(value, key):
        return abs(value - exact[key]) <= 0.5 or value == math.ceil(exact[key])

    if right(lstm, "lstm") and right(gru, "gru"):
        return (f"LSTM {exact['lstm']:.1f} steps (0.73 per step), GRU {exact['gru']:.1f} (0.5 per step): at T = 20 the "
                "first token's trace is gone before training finds a reason to keep it — the from-scratch pitfall "
                "of section 3. A chrono gate of 0.99 keeps it for about 460 steps.")
    if right(lstm, "gru") and right(gru, "lstm"):
        raise Wrong("swapped: the LSTM's forget gate starts at sigmoid(1) = 0.73 and keeps more per step than the "
                    "GRU's update gate at sigmoid(0) = 0.5")
    if lstm < 6 or gru < 3:
        raise Wrong(f"lstm {lstm:g}, gru {gru:g}: too few steps. The keep gate is the forget gate (LSTM) or the "
                    "update gate (GRU), 0.73 and 0.5; a trace falls below 1% when gate**k < 0.01")
    raise Wrong(f"lstm {lstm:g}, gru {gru:g}: solve gate**k < 0.01, k = log(0.01) / log(gate), with the gate "
                "values read from the biases")


@lru_cache(maxsize=4)
def _mode_guess_accuracy(lag, n=1024, seed=2000, vocab=8):
    from utils.sequences import recall_task

    x, y = recall_task(n, lag, vocab, seed=seed)
    guess = np.array([np.bincount(row, minlength=vocab).argmax() for row in x])
    return float(np.mean(guess == y))


@exercise(
    "03.2",
    question="At T = 20 the default LSTM reached at most 25% from scratch (21–25% in four seeds, chance in the "
             "fifth). Measure a shortcut with no memory of "
             "the order: guess the most frequent token of the whole sequence (ties: the smallest token, "
             "`np.bincount(row).argmax()`) on the test sequences `recall_task(1024, 20, 8, seed=2000)`. What accuracy "
             "does it reach, and does it explain the LSTM's score?",
    verifies="your accuracy against the one computed from the same sequences (to ±0.005), and the conclusion",
    hint="x, y = recall_task(1024, lag=20, vocab_size=8, seed=2000); guess = [np.bincount(row, minlength=8).argmax() "
         "for row in x]; accuracy = np.mean(guess == y). The first token is in the sequence, so it is the most "
         "frequent one more often than 1 time in 8.",
    wrong=[({"accuracy": 0.125, "explains_lstm": False}, "chance"), ({"accuracy": 28.7, "explains_lstm": True},
                                                                     "percentage"),
           ({"accuracy": 0.2871, "explains_lstm": False}, "reaches")],
)
def _check_03_2(answer):
    parts = _mapping(answer, ["accuracy", "explains_lstm"], '{"accuracy": 0.2, "explains_lstm": True}')
    accuracy = _share(parts["accuracy"], 'answer["accuracy"]')
    explains = _boolean(parts["explains_lstm"], 'answer["explains_lstm"]')
    expected = _mode_guess_accuracy(20)
    if abs(accuracy - 0.125) < 0.002:
        raise Wrong("0.125 is chance, 1/8; the shortcut counts tokens and guesses the most frequent one")
    if abs(accuracy - expected) > 0.005:
        nearby = "; break ties by the smallest token" if abs(accuracy - expected) < 0.03 else ""
        raise Wrong(f"{accuracy:.3f} is not what the shortcut gets on recall_task(1024, 20, 8, seed=2000){nearby}")
    if not explains:
        raise Wrong(f"the shortcut reaches {expected:.3f} without remembering which token came first, at least as "
                    "much as the LSTM's 12–25%: so that score needs no memory of the first token")
    return (f"{expected:.3f}: counting tokens beats chance without any memory of the order, so the default LSTM's "
            "12–25% at T = 20 shows no long memory at all. Scores just above chance deserve such a baseline.")


LAGS_03 = (0, 5, 20, 50, 100)


@exercise(
    "03.3",
    question="Give the four-token curriculum more steps at the first distance (e.g. 5,000 at T = 5, then "
             "`MULTI_STEPS` per distance). For each of the LSTM and the GRU, what is the longest distance each seed "
             "solves, and do they now hold four tokens as far as one (every distance up to T = 100)?",
    verifies="that the distances are among 0, 5, 20, 50, 100, and that your verdict follows from them: a cell holds "
             "four tokens as far as one when its median seed solves T = 100",
    hint="Add a steps argument for the first distance to run_curriculum (or train_at the first distance with 5,000 "
         "steps before the loop), then longest_solved(table, key) gives each seed's distance. The median over seeds "
         "decides.",
    wrong=[({"lstm": [100, 100, 100], "gru": [5, 5, 20], "as_far_as_one": "both"}, "median"),
           ({"lstm": [100, 100, 30], "gru": [5, 5, 20], "as_far_as_one": "lstm only"}, "30"),
           ({"lstm": 100, "gru": 5, "as_far_as_one": "lstm only"}, "list")],
)
def _check_03_3(answer):
    parts = _mapping(answer, ["lstm", "gru", "as_far_as_one"],
                     '{"lstm": [100, 20, 100], "gru": [5, 5, 20], "as_far_as_one": "lstm only"}')
    medians = {}
    for key in ("lstm", "gru"):
        values = _numbers(parts[key], f'answer["{key}"]', 1, 0, 1000)
        odd = [v for v in values if v not in LAGS_03]
        if odd:
            raise Wrong(f'answer["{key}"] holds {odd[0]:g}, not a distance of the curriculum; give each seed\'s '
                        "longest solved distance among 5, 20, 50, 100, or 0 when it solved none")
        medians[key] = float(np.median(values))
    holds = [key for key in ("lstm", "gru") if medians[key] >= 100]
    verdict = {0: "neither", 2: "both"}.get(len(holds)) or f"{holds[0]} only"
    said = _word(parts["as_far_as_one"], ("both", "lstm only", "gru only", "neither"), 'answer["as_far_as_one"]')
    if said != verdict:
        raise Wrong(f"median longest distance: lstm {medians['lstm']:g}, gru {medians['gru']:g}; by the rule (median "
                    f"seed solves T = 100) that is {verdict!r}, not {said!r}")
    return (f"median longest distance: LSTM {medians['lstm']:g}, GRU {medians['gru']:g} -> {verdict}. Whether the "
            "gated cells were unable to store four tokens, or only slow to learn it, is what the extra steps tell "
            "apart.")


TAKEOFF_CHOICES = {"a": "until the gates keep the first token long enough, almost no gradient reaches it",
                   "b": "the learning rate is too small at the start",
                   "c": "an LSTM cannot hold a token for 200 steps"}


@exercise(
    "03.4",
    question="Train a chrono-initialised LSTM from scratch at T = 200 for 3,000 steps, two seeds, recording the "
             "stopping-set accuracy every 100 steps. When does each seed take off (first reach twice chance, 0.25), "
             "and why does it sit at chance until then?",
    verifies="that each curve holds accuracies (0 to 1), and that each take-off step is where its own curve first "
             "reaches 0.25 (None if it never does); and the choice of why it waits",
    hint="model = build(chrono(keras.layers.LSTM, 200), seed); then 30 times: fit on 100 fresh batches, "
         "x, y = recall_task(100 * BATCH, 200, VOCAB, seed=...) with a new seed each time, and record "
         "accuracy(model, 200, seed=1_000 + seed, n=256). The take-off step of a curve is 100 * (the position of "
         "its first value >= 0.25, counting from 1).",
    options=TAKEOFF_CHOICES,
    wrong=[({"curves": [[0.12, 0.13, 0.5]], "takeoff_steps": [100], "why": "a"}, "300"),
           ({"curves": [[0.12, 0.13, 0.14]], "takeoff_steps": [300], "why": "a"}, "None"),
           ({"curves": [[0.12, 0.5]], "takeoff_steps": [200], "why": "b"}, "learning rate")],
)
def _check_03_4(answer):
    parts = _mapping(answer, ["curves", "takeoff_steps", "why"],
                     '{"curves": [[0.12, 0.13, ...], [...]], "takeoff_steps": [1200, None], "why": "a"}')
    curves, steps = parts["curves"], parts["takeoff_steps"]
    if isinstance(curves, str | Mapping) or not hasattr(curves, "__iter__"):
        raise Wrong(f"curves should be a list with one list of accuracies per seed, got {describe(curves)}")
    curves = [_numbers(c, "a curve", 1, 0.0, 1.0) for c in curves]
    if isinstance(steps, str | Mapping) or not hasattr(steps, "__iter__"):
        raise Wrong(f"takeoff_steps should be a list with one step (or None) per seed, got {describe(steps)}")
    steps = list(steps)
    if not curves or len(steps) != len(curves):
        raise Wrong(f"{len(curves)} curve(s) but {len(steps)} take-off step(s): give one of each per seed")
    for i, (curve, step) in enumerate(zip(curves, steps)):
        first = next((k for k, a in enumerate(curve) if a >= 0.25), None)
        expected = None if first is None else 100 * (first + 1)
        if step != expected:
            raise Wrong(f"seed {i + 1}: its curve first reaches 0.25 " + (
                "never, so its take-off step is None" if expected is None else
                f"at check {first + 1}, after {expected} steps, so its take-off step is {expected}") +
                f", not {step!r}")
    why = _choice(parts["why"], TAKEOFF_CHOICES, "why")
    if why == "b":
        raise Wrong("why 'b': the learning rate is the same throughout (Adam, 3e-3); the wait comes from the "
                    "gradient that reaches the first token, which is tiny until the gates keep it")
    if why == "c":
        raise Wrong("why 'c': the curriculum showed LSTMs holding a token over 1,000 steps; from scratch they need "
                    "a gradient to reach the first token before they learn to keep it")
    shown = ", ".join("never" if s is None else f"{s} steps" for s in steps)
    return (f"take-off: {shown}. The long flat start is the time it takes for the gradient through the gates to "
            "find the first token; a curriculum or chrono biases shorten it.")


# --------------------------------------------------------------------------- lesson 04


@lru_cache(maxsize=2)
def _imdb_share_longer(max_len):
    from utils.datasets import load_imdb

    texts = load_imdb("train")["text"]
    return float(np.mean([len(t.split()) > max_len for t in texts]))


@exercise(
    "04.1",
    question="With `MAX_LEN = 100`, what share of all 19,921 training reviews is cut, counting words as the lesson "
             "does (`len(text.split()) > MAX_LEN`)?",
    verifies="your share against the one computed from load_imdb('train') (to ±0.001: give three decimals)",
    hint="Load the whole training split, load_imdb('train') without a limit (fast mode keeps only a slice), and "
         "take np.mean([len(t.split()) > 100 for t in train['text']]).",
    wrong=[(0.88, "slice"), (87.6, "percentage"), (0.227, "300"), ("0.876", "number")],
)
def _check_04_1(answer):
    share = _share(answer, "the share")
    expected = _imdb_share_longer(100)
    if abs(share - expected) <= 0.001:
        return (f"{expected:.3f}: at 100 tokens almost nine reviews in ten lose their beginning (truncating='pre' "
                "keeps the last words); at 300 it is about one in four.")
    if abs(share - _imdb_share_longer(300)) <= 0.001:
        raise Wrong(f"{share:.3f} is the share cut at 300 tokens; the question is about MAX_LEN = 100")
    if abs(share - expected) <= 0.02:
        raise Wrong(f"{share:.3f} is close but not the share over all {19_921:,} training reviews: did you use a "
                    "slice (limit=... or fast mode)? Load load_imdb('train') without a limit")
    raise Wrong(f"{share:.3f} is not the share of training reviews longer than 100 words; count "
                "len(text.split()) > 100 over load_imdb('train')['text']")


PADDING_CHOICES = {"a": "pre-padding works like a mask: the LSTM skips the leading zeros",
                   "b": "with pre-padding the real words come last, right before the final state; the zeros come "
                        "first, while the state holds nothing yet",
                   "c": "pre-padding cuts fewer words from long reviews"}


@exercise(
    "04.2",
    question="Re-run the padding trap without a mask, once with `padding='post'` and once with `padding='pre'` "
             "(`ReviewEncoder(..., padding='pre')`). Give both validation accuracies and the reason for the "
             "difference.",
    verifies="that the accuracies are shares, and the choice of why pre-padding hides the trap (any honest "
             "accuracies pass: in fast mode the reviews are cut to 60 tokens and hardly padded at all)",
    hint="Make a second encoder with padding='pre', encode the same reviews, and train lstm_classifier(False) on "
         "them as in section 4. Then think about which steps come just before the final state the classifier "
         "sees.",
    options=PADDING_CHOICES,
    wrong=[({"post": 0.51, "pre": 0.79, "why": "a"}, "mask"), ({"post": 0.51, "pre": 0.79, "why": "c"}, "truncat"),
           ({"post": 51, "pre": 79, "why": "b"}, "percentage")],
)
def _check_04_2(answer):
    parts = _mapping(answer, ["post", "pre", "why"], '{"post": 0.51, "pre": 0.78, "why": "b"}')
    post, pre = _share(parts["post"], 'answer["post"]'), _share(parts["pre"], 'answer["pre"]')
    why = _choice(parts["why"], PADDING_CHOICES, "why")
    if why == "a":
        raise Wrong("why 'a': without a mask nothing is skipped; the LSTM reads the leading zeros too, but they "
                    "come before any word, so they have nothing to wash out")
    if why == "c":
        raise Wrong("why 'c': cutting long reviews is `truncating`, a separate setting; `padding` only decides "
                    "where the zeros of short reviews go")
    return (f"post {post:.3f}, pre {pre:.3f}: the final state is read right after the last real word when the "
            "zeros come first. A mask fixes the trap wherever the padding goes.")


# --------------------------------------------------------------------------- lesson 05


@exercise(
    "05.1",
    question="On the lesson's probe (2 reviews, 300 steps, 64 features), what shape does "
             "`Bidirectional(LSTM(64, return_sequences=True))` return, and what shape after a `GlobalMaxPooling1D` on "
             "top of it?",
    verifies='both shapes exactly, as {"bidirectional": ..., "pooled": ...}',
    hint="return_sequences=True keeps the time axis; Bidirectional concatenates the forward and backward "
         "outputs; GlobalMaxPooling1D takes the maximum over the time axis. Try it: tuple(layer(probe).shape).",
    wrong=[({"bidirectional": (2, 300, 64), "pooled": (2, 64)}, "concatenat"),
           ({"bidirectional": (2, 128), "pooled": (2, 128)}, "return_sequences"),
           ({"bidirectional": (2, 300, 128), "pooled": (2, 300)}, "time axis")],
)
def _check_05_1(answer):
    parts = _mapping(answer, ["bidirectional", "pooled"], '{"bidirectional": (2, 3, 4), "pooled": (2, 4)}')
    bidirectional, pooled = _shape(parts["bidirectional"], "the bidirectional shape"), _shape(parts["pooled"],
                                                                                              "the pooled shape")
    if bidirectional == (2, 300, 128) and pooled == (2, 128):
        return ("(2, 300, 128): every step keeps a state of 64 forward + 64 backward units; pooling over the 300 "
                "steps leaves one vector of 128 per review, the strongest signal from anywhere in it.")
    if bidirectional == (2, 128):
        raise Wrong("(2, 128) is the output without return_sequences=True; with it, the time axis stays: "
                    "[batch, time, units]")
    if bidirectional == (2, 300, 64):
        raise Wrong("(2, 300, 64) forgets that Bidirectional concatenates the forward and backward outputs: "
                    "the width doubles")
    if bidirectional != (2, 300, 128):
        raise Wrong(f"{bidirectional} is not the bidirectional output; it is [batch, time, 2 x units]")
    if pooled == (2, 300):
        raise Wrong("(2, 300) pooled the units away; GlobalMaxPooling1D takes the maximum over the time axis and "
                    "keeps the features")
    raise Wrong(f"{pooled} is not the pooled shape; pooling over time leaves [batch, features]")


@exercise(
    "05.2",
    question="How many parameters do `LSTM(64)`, `Bidirectional(LSTM(64))` and `Bidirectional(GRU(64))` have on the "
             "64-dimensional embeddings?",
    verifies='the three counts exactly, as {"lstm": ..., "bidirectional_lstm": ..., "bidirectional_gru": ...}',
    hint="Lesson 02's formulas: LSTM 4u(u + i + 1), GRU 3u(u + i + 2); Bidirectional holds two independent copies. "
         "Check with layer.build((None, None, 64)) and layer.count_params().",
    wrong=[({"lstm": 33024, "bidirectional_lstm": 33024, "bidirectional_gru": 24960}, "two"),
           ({"lstm": 33024, "bidirectional_lstm": 66048, "bidirectional_gru": 49152}, "bias"),
           ({"lstm": 16512, "bidirectional_lstm": 33024, "bidirectional_gru": 24960}, "four")],
)
def _check_05_2(answer):
    keys = ["lstm", "bidirectional_lstm", "bidirectional_gru"]
    parts = _mapping(answer, keys, '{"lstm": 1, "bidirectional_lstm": 2, "bidirectional_gru": 3}')
    counts = {k: _integer(parts[k], f'answer["{k}"]') for k in keys}
    lstm, gru = 4 * 64 * (64 + 64 + 1), 3 * 64 * (64 + 64 + 2)
    expected = {"lstm": lstm, "bidirectional_lstm": 2 * lstm, "bidirectional_gru": 2 * gru}
    if counts == expected:
        return (f"{lstm:,}, {2 * lstm:,} and {2 * gru:,}: Bidirectional doubles the layer, and a bidirectional GRU has "
                "about three quarters of a bidirectional LSTM's weights.")
    if counts["lstm"] != lstm:
        raise Wrong(f"LSTM(64) on 64 features: {counts['lstm']:,} is not 4u(u + i + 1) — an LSTM has four blocks")
    if counts["bidirectional_lstm"] == lstm or counts["bidirectional_gru"] == gru:
        raise Wrong("Bidirectional holds two copies of the layer, one per direction, with their own weights: the "
                    "count doubles")
    if counts["bidirectional_gru"] == 2 * 3 * 64 * (64 + 64):
        raise Wrong("the GRU count leaves out its biases; Keras' default GRU has two bias vectors: 3u(u + i + 2)")
    raise Wrong(f"the counts {counts} do not match 2 x 4u(u + i + 1) and 2 x 3u(u + i + 2)")


@exercise(
    "05.3",
    question="Train `bidirectional_lstm` with at least two seeds. Does the dropout gain the lesson measured "
             "(`bidirectional_lstm_dropout` minus `bidirectional_lstm` test accuracy) exceed their seed spread?",
    verifies="that your accuracies are shares (two seeds or more) and that 'gain_counts' follows from them by the "
             "noise rule: the gain counts only if it is larger than the range of your accuracies",
    hint="Train variants['bidirectional_lstm'] as section 3 does (its training function takes a seed) for two or "
         "three seeds, and collect each run's test accuracy. The gain is the difference of the two variants' test "
         "accuracies in the lesson's table.",
    wrong=[({"accuracies": [0.86, 0.87], "dropout_gain": 0.015, "gain_counts": False}, "0.010"),
           ({"accuracies": [0.84, 0.87], "dropout_gain": 0.015, "gain_counts": True}, "spread"),
           ({"accuracies": [0.86], "dropout_gain": 0.015, "gain_counts": True}, "at least 2")],
)
def _check_05_3(answer):
    parts = _mapping(answer, ["accuracies", "dropout_gain", "gain_counts"],
                     '{"accuracies": [0.86, 0.87], "dropout_gain": 0.015, "gain_counts": False}')
    accuracies = _numbers(parts["accuracies"], 'answer["accuracies"]', 2)
    for a in accuracies:
        _share(a, "an accuracy")
    gain = _number(parts["dropout_gain"], 'answer["dropout_gain"]', -1.0, 1.0)
    said = _boolean(parts["gain_counts"], 'answer["gain_counts"]')
    spread = max(accuracies) - min(accuracies)
    counts = abs(gain) > spread
    if said != counts:
        raise Wrong(f"the gain {gain:+.3f} against a seed spread of {spread:.3f} (range of your accuracies): it "
                    f"{'counts' if counts else 'does not count'} by the noise rule, so gain_counts should be {counts}")
    if counts:
        return (f"the gain {gain:+.3f} exceeds your seed spread of {spread:.3f}, so by the noise rule it counts — "
                "with two or three seeds the spread is a rough estimate: more seeds give a safer verdict.")
    return (f"the gain {gain:+.3f} is within your seed spread of {spread:.3f}: one seed per variant cannot rank "
            "variants whose gaps are this small.")


# --------------------------------------------------------------------------- lesson 06


@exercise(
    "06.1",
    question="A character model scores 1.5 nats per character on held-out text. What is that in bits per "
             "character, and as a per-character perplexity?",
    verifies='both numbers to ±0.01, as {"bits_per_char": ..., "perplexity_per_char": ...}',
    hint="Bits are nats divided by ln 2; the perplexity is e to the loss in nats (nats_to_row in the lesson).",
    wrong=[({"bits_per_char": 1.5 / math.log(10), "perplexity_per_char": math.exp(1.5)}, "ln 2"),
           ({"bits_per_char": 1.5 / math.log(2), "perplexity_per_char": 2 ** 1.5}, "e to the"),
           ({"bits_per_char": 1.5 * math.log(2), "perplexity_per_char": math.exp(1.5)}, "divide")],
)
def _check_06_1(answer):
    parts = _mapping(answer, ["bits_per_char", "perplexity_per_char"],
                     '{"bits_per_char": 1.0, "perplexity_per_char": 2.0}')
    bits = _number(parts["bits_per_char"], 'answer["bits_per_char"]')
    perplexity = _number(parts["perplexity_per_char"], 'answer["perplexity_per_char"]')
    right_bits, right_perplexity = 1.5 / math.log(2), math.exp(1.5)
    if abs(bits - 1.5 * math.log(2)) < 0.01:
        raise Wrong(f"{bits:.3f}: multiply and divide swapped; bits = nats / ln 2")
    if abs(bits - right_bits) > 0.01:
        raise Wrong(f"{bits:.3f} bits: a bit is ln 2 nats, so divide the loss in nats by ln 2 (not log 10)")
    if abs(perplexity - right_perplexity) > 0.01:
        raise Wrong(f"perplexity {perplexity:.3f}: it is e to the loss in nats (or 2 to the loss in bits), "
                    f"not {'2 to the nats' if abs(perplexity - 2 ** 1.5) < 0.01 else 'that'}")
    return (f"{right_bits:.3f} bits/char, perplexity {right_perplexity:.2f}: the model is as unsure as a fair choice "
            "among about 4.5 characters — the uniform model's is 84.")


@exercise(
    "06.2",
    question="Score the lesson's character n-gram model (`ngram_tables`, `ngram_nats`) on the first 100,000 "
             "characters of its own training text as well as on the test plays, for n = 2 and n = 5. How much "
             "better does it do on text it has counted, and at which order is that gap larger?",
    verifies="that the losses are plausible (0.3 to 4.5 nats/char), that at n = 5 the model does better on its "
             "training text than on unseen plays, and that this gap is larger at n = 5 than at n = 2",
    hint="tables = ngram_tables(train_text, 5); ngram_nats(train_text[:100_000], tables, 5) returns the loss of "
         "every order 1 to 5 on the training text (entry n - 1 is order n), and ngram_nats(test_text, tables, 5) "
         "the same on the test plays.",
    wrong=[({"2": {"train": 2.52, "test": 2.47}, "5": {"train": 1.67, "test": 1.31}}, "swapped"),
           ({"2": {"train": 2.0, "test": 2.6}, "5": {"train": 1.5, "test": 1.7}}, "longer contexts"),
           ({"2": {"train": 2.47, "test": 2.52}}, "no key"),
           ({"2": {"train": 2.47, "test": 2.52}, "5": {"train": 0.05, "test": 1.67}}, "plausible")],
)
def _check_06_2(answer):
    parts = _mapping(answer, ["2", "5"], '{"2": {"train": 2.4, "test": 2.5}, "5": {"train": 1.3, "test": 1.7}}')
    losses = {}
    for n in ("2", "5"):
        pair = _mapping(parts[n], ["train", "test"], '{"train": 1.3, "test": 1.7}')
        losses[n] = {k: _number(pair[k], f'answer["{n}"]["{k}"]') for k in ("train", "test")}
        for k, v in losses[n].items():
            if not 0.3 <= v <= 4.5:
                raise Wrong(f'answer["{n}"]["{k}"] = {v:.3f} nats/char is not plausible for this corpus (the uniform '
                            "model scores ln 84 = 4.43; the lesson's n-gram models score about 1.7 to 3.3)")
    gap = {n: losses[n]["test"] - losses[n]["train"] for n in losses}
    if gap["5"] <= 0:
        raise Wrong(f"at n = 5 your model does better on unseen plays ({losses['5']['test']:.3f}) than on text it "
                    f"counted ({losses['5']['train']:.3f}): train and test swapped? Every 5-gram of its training text "
                    "is in its tables")
    if gap["5"] <= gap["2"]:
        raise Wrong(f"the gap is {gap['2']:.3f} at n = 2 and {gap['5']:.3f} at n = 5; longer contexts are rarer, so "
                    "the model learns more of them by heart and the gap should grow with n — check which order is "
                    "which (entry n - 1 of ngram_nats' result is order n)")
    return (f"on its own text the 5-gram model is {gap['5']:.2f} nats/char better than on unseen plays, the "
            f"bigram model only {gap['2']:.2f}: long contexts are memorised, not learned. That is why every score "
            "in this lesson comes from plays the models never saw.")


TEMPERATURE_CHOICES = {"a": "low temperature picks the likeliest next character almost every time, so once a context "
                            "recurs the text follows the same path again",
                       "b": "low temperature makes the model forget its state",
                       "c": "low temperature adds noise to the logits"}


@exercise(
    "06.3",
    question="Generate 1,000 characters at temperature 0.2 and at 1.0 with one of the trained models. What share "
             "of each sample's 20-character windows already appeared earlier in that sample, and why does low "
             "temperature repeat itself?",
    verifies="that both shares are shares, that the sample at 0.2 repeats at least as much as the one at 1.0 (a "
             "sharper distribution cannot make text less repetitive), and the choice of why",
    hint="Write repeated_share(text, n=20): walk over text[i:i + 20], count the windows already in a set, then "
         "add each to the set; divide by the number of windows. Apply it to the generated part only (without the "
         "prompt).",
    options=TEMPERATURE_CHOICES,
    wrong=[({"0.2": 0.05, "1.0": 0.4, "why": "a"}, "more repetitive"), ({"0.2": 0.4, "1.0": 0.0, "why": "b"}, "state"),
           ({"0.2": 0.4, "1.0": 0.0, "why": "c"}, "noise"), ({"0.2": 40, "1.0": 0.0, "why": "a"}, "percentage")],
)
def _check_06_3(answer):
    parts = _mapping(answer, ["0.2", "1.0", "why"], '{"0.2": 0.4, "1.0": 0.01, "why": "a"}')
    cold, warm = _share(parts["0.2"], 'answer["0.2"]'), _share(parts["1.0"], 'answer["1.0"]')
    if cold < warm:
        raise Wrong(f"the sample at 0.2 repeats less ({cold:.1%}) than the one at 1.0 ({warm:.1%}); dividing the "
                    "logits by 0.2 makes the likeliest characters even likelier, so the text gets more repetitive, "
                    "not less — check which sample went where")
    why = _choice(parts["why"], TEMPERATURE_CHOICES, "why")
    if why == "b":
        raise Wrong("why 'b': temperature changes only the sampling; the carried state is the same at any "
                    "temperature")
    if why == "c":
        raise Wrong("why 'c': temperature divides the logits; below 1 it removes randomness rather than adding "
                    "noise")
    return (f"{cold:.1%} of the 20-character windows repeat at 0.2, {warm:.1%} at 1.0: near-greedy sampling walks "
            "into loops, which is why generators sample at a temperature near 1 or cut the tail (top-k, top-p).")


# --------------------------------------------------------------------------- lesson 07

VERDICTS_07 = ("beats persistence", "worse than persistence", "no difference")


def _persistence_verdicts(ratios_answer, verdicts_answer):
    """Check {cell: [ratio per seed]} and {cell: verdict} against the lesson's rule; the lines for the ✅ message."""
    if not isinstance(ratios_answer, Mapping) or not ratios_answer:
        raise Wrong(f'answer["ratios"] should be a dict {{cell: [RMSE / persistence per seed]}}, got '
                    f"{describe(ratios_answer)}")
    if not isinstance(verdicts_answer, Mapping):
        raise Wrong(f'answer["verdicts"] should be a dict {{cell: verdict}}, got {describe(verdicts_answer)}')
    lines = []
    for cell, ratios in ratios_answer.items():
        values = _numbers(ratios, f"the ratios of {cell}", 1, 0.0)
        if any(v == 0 for v in values):
            raise Wrong(f"{cell} has a ratio of 0: RMSE / persistence RMSE is positive")
        if cell not in verdicts_answer:
            raise Wrong(f'answer["verdicts"] has no verdict for {cell!r}')
        said = verdicts_answer[cell]
        said = "no difference" if isinstance(said, str) and said.strip().lower() == "tie" else said
        said = _word(said, VERDICTS_07, f"the verdict for {cell}")
        c = _compare(values, 1.0, names=(cell, "persistence"), higher_is_better=False, noise_kind="seed spread")
        verdict = ("beats persistence" if c.better == cell else "worse than persistence" if c.better
                   else "no difference")
        if said != verdict:
            raise Wrong(f"{c.describe()}, so the verdict for {cell} is {verdict!r}, not {said!r}"
                        + (" (one seed measures no spread, so no difference counts)" if len(values) == 1 else ""))
        lines.append(f"{cell} {verdict}")
    return lines


@exercise(
    "07.1",
    question="Add the day's volume (log, scaled on the training period) as a second input feature next to the "
             "return, train the three cells as in section 3, and score them on the test period. What shape do the "
             "test windows have, and does any cell now beat persistence by more than its seed spread?",
    verifies="the exact shape of the test inputs, and that each verdict follows from your own ratios (RMSE / "
             "persistence per seed) by the noise rule, as in section 3",
    hint="Stack [return, log volume] per period into an array [days, 2] (align volume on the return's days), scale "
         "both columns with scale_with_train, make_windows(..., target_column=0). The model's Input becomes "
         "(WINDOW, 2). Verdicts: compare(ratios, 1.0, higher_is_better=False).",
    wrong=[({"input_shape": (734, 20, 1), "ratios": {"lstm": [1.0, 1.01]}, "verdicts": {"lstm": "no difference"}},
            "feature"),
           ({"input_shape": (734, 20, 2), "ratios": {"lstm": [0.99]}, "verdicts": {"lstm": "beats persistence"}},
            "one seed"),
           ({"input_shape": (754, 20, 2), "ratios": {"lstm": [1.0]}, "verdicts": {"lstm": "no difference"}},
            "windows")],
)
def _check_07_1(answer):
    parts = _mapping(answer, ["input_shape", "ratios", "verdicts"],
                     '{"input_shape": (1, 2, 3), "ratios": {"lstm": [1.0, 1.01, 0.99]}, "verdicts": {"lstm": '
                     '"no difference"}}')
    shape = _shape(parts["input_shape"], "input_shape")
    test_days = SP500_SPLIT_DAYS[2]
    if shape != (test_days - 20, 20, 2):
        if len(shape) == 3 and shape[2] == 1:
            raise Wrong(f"input_shape {shape} has one feature per day; with the volume there are two")
        if len(shape) == 3 and shape[0] != test_days - 20:
            raise Wrong(f"input_shape {shape}: the test period's {test_days} days give {test_days - 20} windows of 20")
        raise Wrong(f"input_shape {shape} is not the shape of the test windows, [windows, 20, 2]")
    lines = _persistence_verdicts(parts["ratios"], parts["verdicts"])
    return (f"{shape}; " + "; ".join(lines) + ". Compare with section 3's verdicts: did the volume change any of "
            "them?")


@exercise(
    "07.2",
    question="Set `WINDOW = 60` and re-run sections 1–3. How many test days are scored now, and what is each "
             "return model's verdict against persistence?",
    verifies="the exact number of scored test days, and that each verdict follows from your own ratios by the "
             "noise rule, as in section 3",
    hint="Every forecast needs a full window inside the test period, so the first WINDOW days are not scored. "
         "The verdicts come from compare(seed_ratio[name], 1.0, higher_is_better=False) as in section 3.",
    wrong=[({"scored_days": 734, "ratios": {"lstm": [1.0]}, "verdicts": {"lstm": "no difference"}}, "60"),
           ({"scored_days": 694, "ratios": {"lstm": [0.98, 0.99]}, "verdicts": {"lstm": "no difference"}},
            "beats"),
           ({"scored_days": 694, "ratios": [1.0], "verdicts": {"lstm": "no difference"}}, "dict")],
)
def _check_07_2(answer):
    parts = _mapping(answer, ["scored_days", "ratios", "verdicts"],
                     '{"scored_days": 123, "ratios": {"lstm": [1.0, 1.01]}, "verdicts": {"lstm": "no difference"}}')
    days = _integer(parts["scored_days"], "scored_days")
    test_days = SP500_SPLIT_DAYS[2]
    if days != test_days - 60:
        raise Wrong(f"{days} scored days: the test period has {test_days} days and the first WINDOW = 60 of them only "
                    "fill the first window" + (" (734 is the count for WINDOW = 20)" if days == test_days - 20 else ""))
    lines = _persistence_verdicts(parts["ratios"], parts["verdicts"])
    return (f"{days} scored days; " + "; ".join(lines) + ". Note that persistence is re-scored on the same, "
            "shorter set of days.")


@exercise(
    "07.3",
    question="Shift the LSTM's test forecast (return target) against the truth: for which lag k in 0…5 is the "
             "RMSE between `forecast[k:]` and `truth[:len(truth) - k]` smallest?",
    verifies="the lag, exactly",
    hint="forecast = forecasts['lstm']; for k in range(6) compute root_mean_squared_error(truth[:len(truth) - k], "
         "forecast[k:]) (k = 0 is the plain RMSE). A forecast that is 'today's close, almost unchanged' matches "
         "the truth of the day before.",
    wrong=[(0, "one day back"), (2, "one day"), ("1", "whole number")],
)
def _check_07_3(answer):
    lag = _integer(answer, "the lag")
    if lag == 1:
        return ("lag 1: the forecast for day t is closest to the close of day t - 1 — the model mostly repeats "
                "today's close. A forecast that lags the truth by a day is persistence in disguise.")
    if lag == 0:
        raise Wrong("lag 0 is the plain RMSE; the forecast matches the truth better one day back: compare "
                    "forecast[1:] with truth[:-1]")
    raise Wrong(f"lag {lag}: the forecast is today's close times e^(small return), so it sits one day behind the "
                "truth; recompute the RMSE for each k")


# --------------------------------------------------------------------------- lesson 08

CELLS_08 = ("simple_rnn", "lstm", "gru")


@exercise(
    "08.1",
    question="Re-run the benchmark at one configuration with `batch_size=64` and `batch_size=256` (three repeats "
             "each). The speed-up of repeat i is its training samples/s at 256 over repeat i at 64. Which cell "
             "gains most from larger batches, by more than the spread of the speed-ups?",
    verifies="that the speed-ups are positive numbers (two repeats or more per cell, two cells or more), and that "
             "'gains_most' follows from them: the cell with the highest mean speed-up, if it beats every other "
             "cell's by more than the spread (the noise rule), else 'none'",
    hint="For each cell, r64 = benchmark_in_subprocess(cell, 100, 128, batch_size=64, repeats=3) and r256 the same "
         "with 256; speed-ups = [a / b for a, b in zip(r256['train_samples_per_second_repeats'], "
         "r64['train_samples_per_second_repeats'])]. Then compare(best, other) for every other cell.",
    wrong=[({"speedups": {"lstm": [2.0, 2.1, 2.2], "gru": [1.5, 1.6, 1.55]}, "gains_most": "none"}, "lstm"),
           ({"speedups": {"lstm": [2.0, 1.2, 2.2], "gru": [1.5, 1.6, 1.55]}, "gains_most": "lstm"}, "none"),
           ({"speedups": {"lstm": [2.0], "gru": [1.5]}, "gains_most": "lstm"}, "at least 2"),
           ({"speedups": {"lstm": [2.0, 2.1]}, "gains_most": "lstm"}, "two cells")],
)
def _check_08_1(answer):
    parts = _mapping(answer, ["speedups", "gains_most"],
                     '{"speedups": {"simple_rnn": [1.2, 1.3, 1.2], "lstm": [...], "gru": [...]}, "gains_most": "none"}')
    speedups = parts["speedups"]
    if not isinstance(speedups, Mapping):
        raise Wrong(f'answer["speedups"] should be a dict {{cell: [speed-up per repeat]}}, got {describe(speedups)}')
    unknown = [cell for cell in speedups if cell not in CELLS_08]
    if unknown:
        raise Wrong(f"{unknown[0]!r} is not a cell; use {', '.join(CELLS_08)}")
    if len(speedups) < 2:
        raise Wrong("measure two cells or more: 'gains most' compares cells")
    values = {cell: _numbers(v, f"the speed-ups of {cell}", 2, 0.0) for cell, v in speedups.items()}
    if any(v <= 0 for vs in values.values() for v in vs):
        raise Wrong("a speed-up is a ratio of two speeds, so it is positive")
    best = max(values, key=lambda cell: float(np.mean(values[cell])))
    comparisons = [_compare(values[best], values[other], names=(best, other), noise_kind="repeat spread")
                   for other in values if other != best]
    winner = best if all(c.better == best for c in comparisons) else "none"
    said = _word(parts["gains_most"], (*CELLS_08, "none"), 'answer["gains_most"]')
    if said != winner:
        raise Wrong("by the noise rule: " + "; ".join(c.describe(2) for c in comparisons) + f", so gains_most is "
                    f"{winner!r}, not {said!r}")
    return "; ".join(c.describe(2) for c in comparisons) + (
        f" -> {winner} gains most." if winner != "none" else " -> no cell gains measurably more than the others.")


_PUNCTUATION = re.compile(r"[!\"#$%&()*+,\-./:;<=>?@\[\\\]^_`{|}~']")


def _review_words(text):
    """The words TextVectorization's default standardisation gives: lower case, punctuation removed."""
    return _PUNCTUATION.sub("", text.lower()).split()


@exercise(
    "08.2",
    question="Encode a review of your own with `encode([...])` and get its attention weights from `weights_model`. "
             "Which word gets the largest weight?",
    verifies="that the weights are an attention distribution (non-negative, summing to 1), that the padded "
             "positions get none of it (the mask), and that 'top_word' is the word at the largest weight",
    hint="w = weights_model.predict(encode([review]), verbose=0)[0]; the words are the review's words in order, "
         "lower-cased and without punctuation, followed by padding (post-padding). The largest weight is at "
         "np.argmax(w).",
    wrong=[({"review": "a dull film", "weights": [1 / 60] * 60, "top_word": "dull"}, "padded"),
           ({"review": "a dull film", "weights": [0.5, 0.9, 0.1] + [0.0] * 57, "top_word": "dull"}, "sum"),
           ({"review": "a dull film", "weights": [0.2, 0.7, 0.1] + [0.0] * 57, "top_word": "film"}, "dull"),
           ({"review": "a dull film", "weights": "0.2 0.7 0.1", "top_word": "dull"}, "list of numbers")],
)
def _check_08_2(answer):
    parts = _mapping(answer, ["review", "weights", "top_word"],
                     '{"review": "your text", "weights": w, "top_word": "word"}')
    review, top_word = parts["review"], parts["top_word"]
    if not isinstance(review, str) or not review.strip():
        raise Wrong(f'answer["review"] should be your review (a non-empty str), got {describe(review)}')
    if not isinstance(top_word, str):
        raise Wrong(f'answer["top_word"] should be a word (str), got {describe(top_word)}')
    weights = np.asarray(_numbers(parts["weights"], 'answer["weights"]', 2))
    if (weights < 0).any():
        raise Wrong("a weight is negative; attention weights come from a softmax, so they are >= 0")
    if abs(weights.sum() - 1) > 1e-3:
        raise Wrong(f"the weights sum to {weights.sum():.3f}; a softmax over the steps sums to 1 — take the "
                    "attention layer's second output, not its scores")
    words = _review_words(review)
    kept = words[-len(weights):]  # truncating="pre" keeps the last words
    if len(kept) < len(weights) and (weights[len(kept):] > 1e-6).any():
        raise Wrong(f"the padded positions (after the {len(kept)} words) got weight {weights[len(kept):].sum():.3f}; "
                    "with mask_zero=True the mask gives them none — encode with the lesson's encoder, which pads at "
                    "the end")
    top = kept[int(np.argmax(weights))] if int(np.argmax(weights)) < len(kept) else None
    if top is not None and top_word.strip().lower() != top:
        raise Wrong(f"the largest weight, {weights.max():.3f}, is on word {int(np.argmax(weights)) + 1}, {top!r}, "
                    f"not {top_word!r}")
    if top is None and top_word.strip().lower() not in words:
        raise Wrong(f"{top_word!r} is not a word of your review")
    return (f"{top_word!r} gets {weights.max():.2f} of the attention, the padding none. A large weight says what the "
            "model pooled, not why it decided.")


@exercise(
    "08.3",
    question="Apply the noise rule by hand to the IMDB accuracies of three seeds: lstm 0.821, 0.839, 0.833 and "
             "gru 0.838, 0.845, 0.840. What are the gap between the means, the noise it must beat, and the verdict?",
    verifies='the gap and the noise to ±0.0005, and the verdict, as {"gap": ..., "noise": ..., "verdict": ...} '
             '(verdict "gru better", "lstm better" or "no difference")',
    hint="The gap is the difference of the two means. The noise is the larger of the two ranges (max - min) over "
         "seeds. A difference counts only when the gap is larger than the noise.",
    wrong=[({"gap": 0.01, "noise": 0.018, "verdict": "gru better"}, "smaller"),
           ({"gap": 0.01, "noise": 0.0125, "verdict": "no difference"}, "larger of"),
           ({"gap": 0.01, "noise": 0.007, "verdict": "gru better"}, "larger of")],
)
def _check_08_3(answer):
    parts = _mapping(answer, ["gap", "noise", "verdict"], '{"gap": 0.01, "noise": 0.02, "verdict": "no difference"}')
    gap, noise = _number(parts["gap"], 'answer["gap"]'), _number(parts["noise"], 'answer["noise"]', 0.0)
    verdict = _word(parts["verdict"], ("gru better", "lstm better", "no difference"), 'answer["verdict"]')
    lstm, gru = [0.821, 0.839, 0.833], [0.838, 0.845, 0.840]
    c = _compare(gru, lstm, names=("gru", "lstm"), noise_kind="seed spread")
    if abs(abs(gap) - c.gap) > 0.0005:
        raise Wrong(f"gap {gap:.4f}: the means are {c.mean_b:.4f} (lstm) and {c.mean_a:.4f} (gru)")
    if abs(noise - c.noise) > 0.0005:
        raise Wrong(f"noise {noise:.4f}: the rule takes the larger of the two ranges (max - min), lstm "
                    f"{max(lstm) - min(lstm):.3f} and gru {max(gru) - min(gru):.3f}")
    right = "no difference" if c.better is None else f"{c.better} better"
    if verdict != right:
        raise Wrong(f"the gap {c.gap:.4f} is smaller than the noise {c.noise:.4f}: no difference counts")
    return f"{c.describe(4)}. One seed each could have ranked them either way."
