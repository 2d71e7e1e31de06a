"""The course's one switch between full mode and fast mode.

Full mode (the default) is what a learner runs and what the stored notebook outputs show.
Fast mode shrinks data, epochs and units so that the test suite re-runs every notebook in minutes,
through the same code path. Set it with the environment variable ``RNN_COURSE_MODE``:

    RNN_COURSE_MODE=fast pytest ...

Notebooks never read the variable themselves; they ask :func:`by_mode` for their sizes.
"""

import os

ENV_VAR = "RNN_COURSE_MODE"
MODES = ("full", "fast")


def run_mode() -> str:
    """Return ``"full"`` or ``"fast"`` from ``RNN_COURSE_MODE`` (default ``"full"``)."""
    value = os.environ.get(ENV_VAR, "full").strip().lower() or "full"
    if value not in MODES:
        raise ValueError(f"{ENV_VAR} must be one of {MODES}, got {value!r}")
    return value


def is_fast() -> bool:
    """True when the course runs in fast (test) mode."""
    return run_mode() == "fast"


def by_mode(full, fast):
    """Pick a size for the current mode: ``EPOCHS = by_mode(full=8, fast=1)``."""
    return fast if is_fast() else full
