"""The shared core of the exercises: the registry, ``check``, ``hint`` and ``solution``, and the answer readers.

A lesson's module (``lesson_NN.py``) registers each exercise with the ``exercise`` decorator: its question,
what the check verifies, a hint, typical wrong answers, and the check itself, a function that reads the answer
with the ``read_*`` functions below and returns the ✅ message or raises ``Wrong`` with what is wrong.

This module imports only the standard library and NumPy.
"""

import math
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources

import numpy as np

from utils.checks import describe, is_int, is_real
from utils.verdicts import OUTCOMES

# Facts of the course's data that several lessons' checks use.
SP500_DAYS = 5031  # rows of load_sp500(), fixed by the data file's checksum
SP500_SPLIT_DAYS = (3521, 756, 754)  # train, validation, test days of split_by_date(load_sp500())


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


def read_mapping(answer, keys, example):
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


def read_number(value, name, low=-math.inf, high=math.inf):
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


def read_share(value, name):
    """A share in [0, 1]; a percentage gets its own message."""
    number = read_number(value, name)
    if 1 < number <= 100:
        raise Wrong(f"{name} is {number:g}: give a share between 0 and 1, not a percentage ({number / 100:.3f})")
    return read_number(number, name, 0.0, 1.0)


def read_integer(value, name):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not is_int(value):
        raise Wrong(f"{name} should be a whole number, got {describe(value)}")
    return int(value)


def read_integers(answer, keys, example):
    """``answer`` as a dict of whole numbers, one for each key in ``keys`` (each named by its key in messages)."""
    parts = read_mapping(answer, keys, example)
    return {key: read_integer(parts[key], key) for key in keys}


def read_numbers(value, name, at_least=1, low=-math.inf, high=math.inf):
    """A list of finite floats, at least ``at_least`` of them."""
    if is_real(value) or isinstance(value, str | bytes | Mapping) or not hasattr(value, "__iter__"):
        raise Wrong(f"{name} should be a list of numbers (one per seed or repeat), got {describe(value)}")
    values = [read_number(v, f"a value of {name}", low, high) for v in np.asarray(value, dtype=object).ravel()]
    if len(values) < at_least:
        raise Wrong(f"{name} has {len(values)} value(s); " + (
            f"the noise rule needs at least {at_least} (a spread needs repeated measurements)" if at_least > 1
            else "it needs at least one"))
    return values


def read_shape(value, name="the shape"):
    """A tuple of ints from a tuple, a list, a NumPy shape or a TensorShape."""
    if isinstance(value, str | bytes) or not hasattr(value, "__iter__"):
        raise Wrong(f"{name} should be a tuple of integers such as (3, 5, 2) — e.g. `x.shape` — "
                    f"got {describe(value)}")
    items = list(value)
    if not all(is_int(v) for v in items):
        raise Wrong(f"{name} should hold integers only, got {tuple(items)}")
    return tuple(int(v) for v in items)


def read_choice(value, options, name="the choice"):
    """One of ``options`` (a dict of letter -> text); accepts "b", "B", "(b)" and "b)"."""
    letters = ", ".join(f'"{k}"' for k in options)
    if not isinstance(value, str):
        raise Wrong(f"{name} should be one letter, {letters}, got {describe(value)}")
    letter = value.strip().strip("()").strip().lower()
    if letter not in options:
        raise Wrong(f"{name} should be one of {letters}, got {value!r}")
    return letter


def read_word(value, options, name):
    """One of the strings in ``options`` (case and surrounding spaces ignored)."""
    if not isinstance(value, str) or value.strip().lower() not in options:
        raise Wrong(f"{name} should be one of {', '.join(repr(o) for o in options)}, got {describe(value)}")
    return value.strip().lower()


def read_boolean(value, name):
    if not isinstance(value, bool | np.bool_):
        raise Wrong(f"{name} should be True or False, got {describe(value)}")
    return bool(value)


def read_outcome(value, name, a, b):
    """One of the outcomes of ``compare`` (case ignored); ``a`` and ``b`` name its two sides for the message."""
    words = {o.lower(): o for o in OUTCOMES}
    if isinstance(value, str) and value.strip().lower() in ("tie", "no difference", "equal"):
        raise Wrong(f"{name} {value!r} reads the gap as a tie; when the interval is too wide for either side the "
                    "rule says 'not decided', which is not a tie (more seeds or more test items could decide it)")
    if not isinstance(value, str) or value.strip().lower() not in words:
        raise Wrong(f"{name} should be the Comparison's outcome, one of {', '.join(repr(o) for o in OUTCOMES)} "
                    f"(A is {a}, B is {b}), got {describe(value)}")
    return words[value.strip().lower()]


def read_words(value, name):
    """A set of lower-case words from a list, tuple or set of strings."""
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise Wrong(f"{name} should be a list of words such as ['dull'], got {describe(value)}")
    items = list(value)
    if not all(isinstance(v, str) for v in items):
        raise Wrong(f"{name} should hold words (strings) only, got {items!r}")
    return {v.strip().lower() for v in items}


def compare(*args, **kwargs):
    """``utils.verdicts.compare`` (the noise rule), imported when a check runs."""
    from utils.verdicts import compare

    return compare(*args, **kwargs)


def correct(comparisons):
    """``utils.verdicts.correct`` (Holm's correction over several comparisons), imported when a check runs."""
    from utils.verdicts import correct

    return correct(comparisons)
