"""Argument checks shared by the ``utils`` modules, so every refusal reads the same way.

Each message names the argument, what it got and what it expects: ``window must be a positive
integer, got 0 (int)``.
"""

import math
import numbers
import os
from pathlib import Path

import numpy as np


class ArgumentTypeError(TypeError, ValueError):
    """An argument of the wrong type. It is a ``TypeError``, and a ``ValueError`` as well so that
    code catching the ``ValueError`` the helpers raised before still catches it."""


def describe(value) -> str:
    """``repr`` of a value (shortened) and its type, for error messages: ``'abc' (str)``."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({type(value).__name__})"


def is_int(value) -> bool:
    """True for Python and NumPy integers, False for bools."""
    return isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)


def is_real(value) -> bool:
    """True for Python and NumPy real numbers (NaN and infinities included), False for bools."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def scalar(value):
    """The Python number inside a 0-d NumPy array or tensor (TensorFlow, a Keras variable); any other value as it is,
    so that ``tf.argmax(logits)`` or ``np.array(0.5)`` passes where one number is expected."""
    if isinstance(value, np.generic) or not (isinstance(value, np.ndarray) or callable(getattr(value, "numpy", None))):
        return value
    try:
        if len(value.shape) != 0:
            return value
        array = np.asarray(value)
    except (AttributeError, TypeError, ValueError, RuntimeError):  # not array-like after all
        return value
    return array.item() if array.dtype.kind in "biuf" else value


def flag(value, name) -> bool:
    """``value`` as a ``bool`` if it is True or False (NumPy's ``np.True_`` too). Anything else is refused, even
    when Python would read it as true or false: ``'no'`` is a non-empty string (true), ``1.0`` and ``None`` are no
    answer to a yes-or-no question."""
    if not isinstance(value, bool | np.bool_):
        raise ArgumentTypeError(f"{name} must be True or False, got {describe(value)}")
    return bool(value)


def real_number(value, name) -> float:
    """``value`` as a ``float`` if it is a finite real number (a NumPy scalar or a 0-d tensor too); not a bool."""
    value = scalar(value)
    if not is_real(value):
        raise ArgumentTypeError(f"{name} must be a number, got {describe(value)}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return float(value)


def positive_int(value, name, error=ValueError) -> int:
    """``value`` as an ``int`` if it is an integer > 0; otherwise raise ``error`` naming ``name``."""
    value = scalar(value)
    if not is_int(value) or value <= 0:
        raise error(f"{name} must be a positive integer, got {describe(value)}")
    return int(value)


def positive_seconds(value, name, upper=math.inf) -> float:
    """``value`` as a float if it is a finite number of seconds > 0 (and at most ``upper``)."""
    if not is_real(value):
        raise ArgumentTypeError(f"{name} must be a positive number of seconds, got {describe(value)}")
    if not (0 < value < math.inf) or value > upper:
        limit = "" if upper == math.inf else f" at most {upper:g}"
        raise ValueError(f"{name} must be a positive, finite number of seconds{limit}, got {value!r}")
    return float(value)


def seed_list(seeds, name="seeds") -> list:
    """``seeds`` as a non-empty list of integer seeds (a list, tuple, range or other iterable of integers)."""
    if isinstance(seeds, str | bytes | dict) or not hasattr(seeds, "__iter__"):
        raise ValueError(f"{name} must be a non-empty list of integer seeds, got {describe(seeds)}")
    seeds = list(seeds)
    if not seeds or not all(is_int(s) for s in seeds):
        raise ValueError(f"{name} must be a non-empty list of integer seeds, got {describe(seeds)}")
    return [int(s) for s in seeds]


def seed_value(seed, name="seed"):
    """A NumPy random seed: None, a non-negative integer, or a ``Generator`` / ``SeedSequence``."""
    if seed is None or isinstance(seed, np.random.Generator | np.random.SeedSequence):
        return seed
    if not is_int(seed):
        raise ArgumentTypeError(f"{name} must be None or a non-negative integer, got {describe(seed)}")
    if seed < 0:
        raise ValueError(f"{name} must be None or a non-negative integer, got {seed!r}")
    return int(seed)


def path_like(value, name) -> Path:
    """``value`` as a ``Path`` if it is a string or path-like object."""
    if not isinstance(value, str | os.PathLike) or (isinstance(value, str) and not value.strip()):
        raise ArgumentTypeError(f"{name} must be a file path (str or pathlib.Path), got {describe(value)}")
    return Path(value)


def text_list(texts, name) -> list:
    """``texts`` as a list of strings: an iterable of ``str`` (a list, a pandas Series, …), not one string."""
    if isinstance(texts, str | bytes):
        raise ArgumentTypeError(f"{name} must be a list of texts, not a single {type(texts).__name__}; "
                                f"wrap it in a list: [text]")
    try:
        items = list(texts)
    except TypeError:
        raise ArgumentTypeError(f"{name} must be a list of texts (str), got {describe(texts)}") from None
    for index, item in enumerate(items):
        if not isinstance(item, str):
            raise ArgumentTypeError(f"{name}[{index}] must be a text (str), got {describe(item)}; "
                                    "drop or fill missing texts first")
    return items


def numeric_array(value, name, dtype="float64") -> np.ndarray:
    """``value`` as a NumPy array of ``dtype`` if it holds only finite real numbers.

    Lists, NumPy arrays and scalars, pandas objects and TensorFlow tensors are accepted. Refuses dates, text,
    complex numbers, NaN, infinities and values too large for ``dtype`` (they would silently turn into ``inf``),
    each with its own message.
    """
    if value is None or isinstance(value, str | bytes | dict):
        raise ArgumentTypeError(f"{name} must be an array of numbers, got {describe(value)}")
    if not isinstance(value, np.ndarray | np.generic) and callable(getattr(value, "numpy", None)):
        value = value.numpy()  # a TensorFlow tensor or a Keras variable: its dtype is not NumPy's
    dtypes = getattr(value, "dtypes", None)
    if dtypes is not None and hasattr(dtypes, "items"):  # a DataFrame: every column must be numeric
        for column, column_dtype in dtypes.items():
            if not _numeric_dtype(column_dtype):
                raise ArgumentTypeError(f"{name} column {column!r} has dtype {column_dtype}; only numeric "
                                        "columns can be used (convert dates or text to numbers first)")
    elif hasattr(value, "dtype") and not _numeric_dtype(value.dtype):
        raise ArgumentTypeError(f"{name} has dtype {value.dtype}; it must hold real numbers "
                                "(convert dates or text to numbers first)")
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError):
        raise ArgumentTypeError(f"{name} must be a rectangular array of numbers, got {describe(value)}") from None
    if raw.dtype.kind == "O" and all(item is None or is_real(item) for item in raw.ravel()):
        raw = raw.astype("float64")  # a list with None in it: None is a missing value, reported below
    if raw.dtype.kind not in "biuf":
        raise ArgumentTypeError(f"{name} must hold only real numbers, got an array of dtype {raw.dtype} "
                                f"({describe(value)})")
    wide = raw.astype("float64")
    if np.isnan(wide).any():
        raise ValueError(f"{name} contains NaN values; fill or drop them first")
    if np.isinf(wide).any():
        raise ValueError(f"{name} contains infinite values; only finite numbers can be used")
    with np.errstate(over="ignore"):  # an overflow is reported just below
        array = np.asarray(value, dtype=dtype) if raw.dtype.kind != "O" else raw.astype(dtype)
    if np.isinf(array).any():
        raise ValueError(f"{name} has values too large for {np.dtype(dtype).name} (largest "
                         f"{np.abs(wide).max():.3g}); they would become inf: rescale the data first")
    return array


def _numeric_dtype(dtype) -> bool:
    import pandas as pd

    api = pd.api.types
    return api.is_bool_dtype(dtype) or (api.is_numeric_dtype(dtype) and not api.is_complex_dtype(dtype))
