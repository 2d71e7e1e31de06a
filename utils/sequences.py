"""Sequences as supervised examples: windows over a series, and synthetic memory tasks.

Shapes follow Keras' convention ``[batch, time, features]``.
"""

import numpy as np

from utils.checks import ArgumentTypeError, describe, is_int, numeric_array, positive_int, seed_value

_positive_int = positive_int
INT32_TOKENS = 2**31  # token ids 0 … 2**31 - 1 fit the int32 arrays recall_task returns


def _target_index(target_column, series, n_columns) -> int:
    """``target_column`` as a column position: an integer, or a column name of a DataFrame ``series``."""
    columns = getattr(series, "columns", None)
    if isinstance(target_column, str) and columns is not None:
        if target_column not in columns:
            raise ValueError(f"target_column {target_column!r} is not a column of series; it has {list(columns)}")
        return int(columns.get_loc(target_column))
    if not is_int(target_column):
        kind = "a column position" + (" or name" if columns is not None else "")
        raise ArgumentTypeError(f"target_column must be {kind} (an integer in [0, {n_columns})), "
                                f"got {describe(target_column)}")
    if not 0 <= target_column < n_columns:
        raise ValueError(f"target_column must be in [0, {n_columns}), got {target_column}")
    return int(target_column)


def make_windows(series, window, horizon=1, target_column=0, batch_size=32, shuffle=False, seed=None, n_ahead=1):
    """Windows of ``window`` consecutive rows of ``series`` and the value ``horizon`` steps after each.

    ``series`` is ``[time]`` or ``[time, features]``; the target is column ``target_column`` at
    time ``t + window - 1 + horizon`` for the window starting at ``t``. With ``n_ahead > 1`` the target
    is the next ``n_ahead`` values from there on (``[batch, n_ahead]``), for multi-step forecasts.
    Returns a ``tf.data.Dataset`` of ``(inputs [batch, window, features], targets [batch])`` built with
    ``keras.utils.timeseries_dataset_from_array``. Windows come only from this series, so calling it
    once per split means no window straddles two splits.
    """
    import keras

    values = numeric_array(series, "series", dtype="float32")
    if values.ndim == 1:
        values = values[:, None]
    if values.ndim != 2:
        raise ValueError(f"series must be 1-D [time] or 2-D [time, features], got shape {values.shape}")
    if values.size == 0:
        raise ValueError(f"series is empty (shape {values.shape}); it needs time steps and at least one feature")
    if values.shape[1] > values.shape[0]:
        raise ValueError(f"series has shape {values.shape}: more features ({values.shape[1]}) than time steps "
                         f"({values.shape[0]}); it must be [time, features] - is it transposed? Pass series.T")
    window = _positive_int(window, "window")
    horizon = _positive_int(horizon, "horizon")
    n_ahead = _positive_int(n_ahead, "n_ahead")
    _positive_int(batch_size, "batch_size")
    if not isinstance(shuffle, bool | np.bool_):
        raise ArgumentTypeError(f"shuffle must be True or False, got {describe(shuffle)}")
    seed = seed_value(seed)
    if isinstance(seed, np.random.Generator | np.random.SeedSequence):
        raise ArgumentTypeError(f"seed must be None or a non-negative integer, got {describe(seed)}")
    target_column = _target_index(target_column, series, values.shape[1])
    if window + horizon + n_ahead - 1 > len(values):
        raise ValueError(
            f"window ({window}) + horizon ({horizon}) + n_ahead - 1 ({n_ahead - 1}) is longer than the series "
            f"({len(values)} steps)"
        )
    column = values[:, target_column]
    first = window - 1 + horizon
    n_windows = len(values) - first - n_ahead + 1
    if n_ahead == 1:
        targets = column[first : first + n_windows]
    else:
        targets = np.stack([column[first + k : first + k + n_windows] for k in range(n_ahead)], axis=1)
    return keras.utils.timeseries_dataset_from_array(
        values[: n_windows + window - 1],
        targets,
        sequence_length=window,
        batch_size=batch_size,
        shuffle=shuffle,
        seed=seed,
    )


def scale_with_train(train, *others, scaler=None):
    """Fit a scaler on ``train`` only and apply it to ``train`` and every array in ``others``.

    Arrays are ``[time]`` or ``[time, features]``. The default scaler is scikit-learn's
    ``StandardScaler``; pass another (unfitted) one, e.g. ``MinMaxScaler()``. Returns
    ``(scaler, scaled_train, *scaled_others)`` as float32 arrays of the input shapes. Fitting on the
    training period alone is what keeps statistics of the future out of the model's inputs.
    """
    from sklearn.preprocessing import StandardScaler

    if isinstance(scaler, type):
        raise ArgumentTypeError(f"scaler must be a scaler instance such as {scaler.__name__}(), "
                                f"got the class {scaler.__name__}")
    if scaler is not None and not all(callable(getattr(scaler, m, None)) for m in ("fit", "transform")):
        raise ArgumentTypeError(f"scaler must have fit and transform methods (e.g. MinMaxScaler()), "
                                f"got {describe(scaler)}")
    scaler = scaler if scaler is not None else StandardScaler()
    names = ["train", *(f"others[{index}]" for index in range(len(others)))]
    arrays = [numeric_array(a, name) for a, name in zip((train, *others), names, strict=True)]
    for name, array in zip(names, arrays, strict=True):
        if array.ndim not in (1, 2) or len(array) == 0:
            raise ValueError(f"{name} must be non-empty 1-D or 2-D, got shape {array.shape}")
    features = arrays[0].reshape(len(arrays[0]), -1).shape[1]
    for name, array in zip(names[1:], arrays[1:], strict=True):
        if array.reshape(len(array), -1).shape[1] != features:
            raise ValueError(f"{name} has shape {array.shape} but train has {features} feature(s) "
                             f"(shape {arrays[0].shape}); every array needs the same features")
    if len(arrays[0]) < 2:
        raise ValueError(f"train has {len(arrays[0])} value(s); a scaler needs at least 2 training steps")
    flat = arrays[0].reshape(len(arrays[0]), -1)
    constant = np.flatnonzero(flat.min(axis=0) == flat.max(axis=0))
    if constant.size:
        raise ValueError(f"train column {int(constant[0])} is constant ({flat[0, constant[0]]:g}); a scaler fitted "
                         "on it maps every value to the same number: drop that column or give more training data")
    scaler.fit(arrays[0].reshape(len(arrays[0]), -1))
    scaled = [scaler.transform(a.reshape(len(a), -1)).reshape(a.shape).astype("float32") for a in arrays]
    return (scaler, *scaled)


def dataset_to_arrays(dataset):
    """Stack a (small) dataset of ``(inputs, targets)`` batches into two NumPy arrays."""
    import tensorflow as tf

    if not isinstance(dataset, tf.data.Dataset):
        raise ArgumentTypeError(f"dataset must be a tf.data.Dataset of (inputs, targets) batches, such as "
                                f"make_windows returns, got {describe(dataset)}")
    spec = dataset.element_spec
    if not isinstance(spec, tuple) or len(spec) != 2:
        raise ValueError(f"dataset must yield (inputs, targets) pairs, but its elements are {spec}")
    if dataset.cardinality() == tf.data.INFINITE_CARDINALITY:
        raise ValueError("dataset is infinite (repeat()?); it cannot be stacked into arrays")
    batches = [(x.numpy(), y.numpy()) for x, y in dataset]
    if not batches:
        raise ValueError("dataset is empty: it has no batches (is the series shorter than one window?)")
    for x, y in batches:
        if x.ndim == 0 or y.ndim == 0 or len(x) != len(y):
            raise ValueError(f"dataset must yield batched (inputs, targets), got inputs of shape {x.shape} with "
                             f"targets of shape {y.shape}; batch it first (dataset.batch(n))")
    inputs, targets = zip(*batches, strict=True)
    return np.concatenate(inputs), np.concatenate(targets)


def adding_problem(n_samples, length, seed=0):
    """The adding problem: sum the two numbers marked in a long sequence.

    Returns ``x`` of shape ``[n_samples, length, 2]`` (feature 0: uniform numbers in [0, 1);
    feature 1: a 0/1 marker on exactly two steps) and ``y`` of shape ``[n_samples]``, the sum of the two
    marked numbers. The first mark falls in the first half and the second in the second half, so the
    model must carry a value across about ``length / 2`` steps. Always predicting 1.0 gives a mean
    squared error of about 0.167, the level to beat.
    """
    n_samples = _positive_int(n_samples, "n_samples")
    length = _positive_int(length, "length")
    if length < 2:
        raise ValueError(f"length must be at least 2, got {length}")
    seed = seed_value(seed)
    rng = np.random.default_rng(seed)
    numbers = rng.random((n_samples, length), dtype=np.float32)
    half = length // 2
    first = rng.integers(0, half, n_samples)
    second = rng.integers(half, length, n_samples)
    marks = np.zeros((n_samples, length), dtype=np.float32)
    rows = np.arange(n_samples)
    marks[rows, first] = 1.0
    marks[rows, second] = 1.0
    x = np.stack([numbers, marks], axis=-1)
    y = numbers[rows, first] + numbers[rows, second]
    return x, y.astype(np.float32)


def recall_task(n_samples, lag, vocab_size=8, seed=0, n_tokens=1):
    """Recall the token(s) seen ``lag`` steps ago: ``lag`` distractors follow the tokens to remember.

    Returns ``x`` of shape ``[n_samples, n_tokens + lag]`` with integer tokens, and ``y`` of shape
    ``[n_samples]`` (one token) or ``[n_samples, n_tokens]``. Steps ``0 … n_tokens-1`` hold the tokens to
    recall (``0 … vocab_size-1``); the ``lag`` steps after them hold distractor tokens drawn from the same
    vocabulary, so only memory solves it. Chance accuracy per token is ``1 / vocab_size``.
    """
    n_samples = _positive_int(n_samples, "n_samples")
    lag = _positive_int(lag, "lag")
    vocab_size = _positive_int(vocab_size, "vocab_size")
    n_tokens = _positive_int(n_tokens, "n_tokens")
    if not 2 <= vocab_size <= INT32_TOKENS:
        raise ValueError(f"vocab_size must be between 2 and 2**31 (tokens are int32), got {vocab_size}")
    seed = seed_value(seed)
    rng = np.random.default_rng(seed)
    x = rng.integers(0, vocab_size, size=(n_samples, n_tokens + lag)).astype(np.int32)
    return x, (x[:, 0] if n_tokens == 1 else x[:, :n_tokens]).copy()
