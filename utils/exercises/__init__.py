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

The package holds ``core`` (the registry, ``check``, ``hint``, ``solution`` and the answer readers) and one
module per lesson, ``lesson_00`` … ``lesson_10``, with that lesson's exercises; importing the package imports
every lesson module, which registers its exercises. A question is the notebook's wording: the tests compare each
one with the lesson's "Exercises" cell.

The package imports only the standard library and NumPy; checks that need data or Keras import them when
they run.
"""

# Importing a lesson's module registers its exercises, in lesson order.
from utils.exercises import (  # noqa: F401
    lesson_00,
    lesson_01,
    lesson_02,
    lesson_03,
    lesson_04,
    lesson_05,
    lesson_06,
    lesson_07,
    lesson_08,
    lesson_09,
    lesson_10,
)
from utils.exercises.core import EXERCISES, Exercise, check, exercises_of, hint, solution, solution_source

__all__ = ["EXERCISES", "Exercise", "check", "exercises_of", "hint", "solution", "solution_source"]
