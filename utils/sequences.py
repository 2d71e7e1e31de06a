"""Sequences as supervised examples: windows over a series, and synthetic memory tasks.

Shapes follow Keras' convention ``[batch, time, features]``.
"""

import numpy as np


def _positive_int(value, name):
    if not isinstance(value, int | np.integer) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


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

    values = np.asarray(series, dtype="float32")
    if values.ndim == 1:
        values = values[:, None]
    if values.ndim != 2:
        raise ValueError(f"series must be 1-D [time] or 2-D [time, features], got shape {values.shape}")
    window = _positive_int(window, "window")
    horizon = _positive_int(horizon, "horizon")
    n_ahead = _positive_int(n_ahead, "n_ahead")
    _positive_int(batch_size, "batch_size")
    if np.isnan(values).any():
        raise ValueError("series contains NaN values; fill or drop them before windowing")
    if window + horizon + n_ahead - 1 > len(values):
        raise ValueError(
            f"window ({window}) + horizon ({horizon}) + n_ahead - 1 ({n_ahead - 1}) is longer than the series "
            f"({len(values)} steps)"
        )
    if not 0 <= target_column < values.shape[1]:
        raise ValueError(f"target_column must be in [0, {values.shape[1]}), got {target_column}")
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

    scaler = scaler if scaler is not None else StandardScaler()
    arrays = [np.asarray(a, dtype="float64") for a in (train, *others)]
    for index, array in enumerate(arrays):
        if array.ndim not in (1, 2) or len(array) == 0:
            raise ValueError(f"array {index} must be non-empty 1-D or 2-D, got shape {array.shape}")
        if np.isnan(array).any():
            raise ValueError(f"array {index} contains NaN values")
    scaler.fit(arrays[0].reshape(len(arrays[0]), -1))
    scaled = [scaler.transform(a.reshape(len(a), -1)).reshape(a.shape).astype("float32") for a in arrays]
    return (scaler, *scaled)


def dataset_to_arrays(dataset):
    """Stack a (small) dataset of ``(inputs, targets)`` batches into two NumPy arrays."""
    inputs, targets = zip(*[(x.numpy(), y.numpy()) for x, y in dataset], strict=True)
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


def recall_task(n_samples, lag, vocab_size=8, seed=0):
    """Recall the token seen ``lag`` steps ago: ``lag`` distractors follow the token to remember.

    Returns ``x`` of shape ``[n_samples, lag + 1]`` with integer tokens, and ``y`` of shape
    ``[n_samples]``. Step 0 holds the token to recall (``0 … vocab_size-1``); steps 1…lag hold
    distractor tokens drawn from the same vocabulary, so only memory solves it. Chance accuracy
    is ``1 / vocab_size``.
    """
    n_samples = _positive_int(n_samples, "n_samples")
    lag = _positive_int(lag, "lag")
    vocab_size = _positive_int(vocab_size, "vocab_size")
    if vocab_size < 2:
        raise ValueError(f"vocab_size must be at least 2, got {vocab_size}")
    rng = np.random.default_rng(seed)
    x = rng.integers(0, vocab_size, size=(n_samples, lag + 1)).astype(np.int32)
    return x, x[:, 0].copy()
