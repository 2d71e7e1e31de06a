"""Per-call latency and state memory: how long one step of a model takes, and how many bytes it carries along.

    from utils.latency import latency_summary, state_bytes, time_calls

    seconds = time_calls(lambda: step(x, state), repeats=200, warmup=20)
    print(latency_summary(seconds))        # {'p50_us': …, 'p99_us': …, 'mean_us': …, 'calls': 200}
    print(state_bytes([h, c]))             # an LSTM's state: 2 * batch * units * 4 bytes in float32

A recurrent cell carries a state of fixed size from one token to the next; a Transformer decoder carries a
key/value cache that grows with every token. ``time_calls`` times each call on its own (``time.perf_counter_ns``),
so the spread is visible and not only the mean: the median ``p50`` is the typical call, ``p99`` the slow tail a
user waits for now and then. The first calls of a model (tracing, compiling, warming caches) are far slower than
the rest; ``warmup`` calls run first and are not timed.

On a shared machine the tail moves from run to run: compare models timed in the same session, interleaved, and
with enough calls (with fewer than 100, ``p99`` is little more than the slowest call).
"""

import time

import numpy as np

from utils.checks import ArgumentTypeError, describe, is_int, numeric_array, positive_int

_clock = time.perf_counter_ns  # nanoseconds, monotonic; a name of its own so that tests can replace it


def time_calls(fn, *, repeats=100, warmup=10) -> np.ndarray:
    """Call ``fn()`` ``warmup`` times untimed, then ``repeats`` times, each timed on its own; returns the
    ``repeats`` durations in seconds (float64, in call order).

    ``fn`` takes no arguments (wrap a call with arguments in a ``lambda``). Its result is discarded: if it
    returns a tensor computed asynchronously (on a GPU), make ``fn`` wait for it, e.g. by calling ``.numpy()``,
    or the time measured is only that of launching the work.
    """
    if not callable(fn):
        raise ArgumentTypeError(f"fn must be a function called without arguments, got {describe(fn)}")
    repeats = positive_int(repeats, "repeats")
    if not is_int(warmup) or warmup < 0:
        raise ValueError(f"warmup must be a non-negative integer, got {describe(warmup)}")
    for _ in range(int(warmup)):
        fn()
    durations = np.empty(repeats, dtype="int64")
    for index in range(repeats):
        start = _clock()
        fn()
        durations[index] = _clock() - start
    return durations / 1e9


def latency_summary(seconds) -> dict:
    """``{"p50_us", "p99_us", "mean_us", "calls"}`` of per-call durations in seconds (as :func:`time_calls`
    returns them): the median, the 99th percentile (``np.percentile``, linear interpolation) and the mean, in
    microseconds, and the number of calls."""
    seconds = numeric_array(seconds, "seconds")
    if seconds.ndim != 1 or seconds.size == 0:
        raise ValueError(f"seconds must be a non-empty 1-D array of durations, got shape {seconds.shape}")
    if (seconds < 0).any():
        raise ValueError(f"seconds must be durations (>= 0), got a minimum of {seconds.min()!r}")
    micro = seconds * 1e6
    return {"p50_us": float(np.percentile(micro, 50)), "p99_us": float(np.percentile(micro, 99)),
            "mean_us": float(micro.mean()), "calls": int(seconds.size)}


def state_bytes(arrays) -> int:
    """Total bytes of the arrays in ``arrays`` (a list or tuple; a dict counts its values): the memory of a
    recurrent state ``[h, c]`` or of a key/value cache. NumPy arrays, TensorFlow tensors and Keras variables all
    count as ``size × itemsize`` of their dtype; plain Python numbers and lists are refused, as their size in
    memory depends on the dtype they would be given."""
    if isinstance(arrays, dict):
        arrays = list(arrays.values())
    if not isinstance(arrays, list | tuple):
        hint = "; wrap a single array in a list: [array]" if hasattr(arrays, "dtype") else ""
        raise ArgumentTypeError(f"arrays must be a list of arrays, got {describe(arrays)}{hint}")
    total = 0
    for index, array in enumerate(arrays):
        if not (hasattr(array, "dtype") and hasattr(array, "shape")):
            raise ArgumentTypeError(f"arrays[{index}] must be an array or tensor (with a dtype), got "
                                    f"{describe(array)}")
        values = np.asarray(array)
        if values.dtype.kind == "O":
            raise ArgumentTypeError(f"arrays[{index}] holds Python objects (dtype object), whose size in "
                                    "memory is not known")
        total += int(values.nbytes)
    return total
