"""Next-day forecasting of the S&P 500 as lesson 07 sets it up: periods, windows, a small recurrent
forecaster, and its score against persistence (tomorrow's close = today's close).

    sp500, log_return, periods = sp500_periods()
    returns = {name: log_return.loc[part.index].to_numpy() for name, part in periods.items()}
    setup = return_forecast(returns, periods["test"], window=20)
    model, info = fit_forecaster(CELLS["lstm"], setup.windows["train"], setup.windows["validation"], epochs=40)
    setup.rmse_ratio(model)             # test RMSE / persistence RMSE, below 1 beats persistence

Shapes follow Keras: inputs ``[windows, window, features]``, targets ``[windows]`` (the next day) or
``[windows, n_ahead]``. Closes are index points; returns are daily log returns
``r_t = log(close_t / close_(t-1))``, scaled on the training period before they reach a model.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from utils.checks import ArgumentTypeError, describe, is_int, numeric_array, positive_int
from utils.sequences import _target_index

PERIODS = ("train", "validation", "test")
VERDICTS = ("beats persistence", "worse than persistence", "equivalent to persistence", "not decided")


def half_year_labels(dates) -> np.ndarray:
    """The half-year of each date as a string array ``[days]``: ``"2016 H1"`` (January–June) or ``"2016 H2"``."""
    if isinstance(dates, str) or not hasattr(dates, "__iter__"):
        raise ArgumentTypeError(f"dates must be a sequence of dates (a DatetimeIndex), got {describe(dates)}")
    dates = list(dates)
    bad = [d for d in dates if not (hasattr(d, "year") and hasattr(d, "month"))]
    if bad:
        raise ValueError(f"dates must hold dates (with .year and .month), got {describe(bad[0])}")
    return np.array([f"{d.year} H{1 if d.month <= 6 else 2}" for d in dates])


def window_arrays(series, window, *, n_ahead=1, target_column=0):
    """Every window of ``window`` consecutive rows of ``series`` and the value(s) right after it, as NumPy arrays.

    ``series`` is ``[days]`` or ``[days, features]``. Returns ``(inputs [windows, window, features],
    targets [windows])``, or targets ``[windows, n_ahead]`` for the next ``n_ahead`` days, of column
    ``target_column``; both float32. The arrays are those of ``dataset_to_arrays(make_windows(series,
    window, ...))`` (:mod:`utils.sequences`), cut with NumPy instead of ``tf.data`` so that they cost
    microseconds. Windows never leave ``series``, so one call per period keeps periods apart.
    """
    values = numeric_array(series, "series", dtype="float32")
    if values.ndim == 1:
        values = values[:, None]
    if values.ndim != 2 or values.size == 0:
        raise ValueError(f"series must be non-empty 1-D [days] or 2-D [days, features], got shape {values.shape}")
    window = positive_int(window, "window")
    n_ahead = positive_int(n_ahead, "n_ahead")
    column = values[:, _target_index(target_column, series, values.shape[1])]
    n_windows = len(values) - window - n_ahead + 1
    if n_windows < 1:
        raise ValueError(f"window ({window}) + n_ahead ({n_ahead}) is longer than the series ({len(values)} days)")
    inputs = np.lib.stride_tricks.sliding_window_view(values, window, axis=0)[:n_windows]  # [windows, features, window]
    inputs = np.ascontiguousarray(inputs.transpose(0, 2, 1))
    if n_ahead == 1:
        return inputs, column[window:window + n_windows].copy()
    return inputs, np.stack([column[window + k:window + k + n_windows] for k in range(n_ahead)], axis=1)


def sp500_periods():
    """The S&P 500, its daily log returns, and its closes cut into lesson 07's three periods.

    Returns ``(sp500, log_return, periods)``: the DataFrame of :func:`utils.datasets.load_sp500`, the
    Series ``r_t = log(close_t / close_(t-1))`` (from the second day on), and ``{"train": closes,
    "validation": closes, "test": closes}``, Series of index points on the return's days split by
    :func:`utils.datasets.split_by_date` (1999–2012, 2013–2015, 2016–2018).
    """
    from utils.datasets import load_sp500, split_by_date

    sp500 = load_sp500()
    log_return = np.log(sp500["Close"]).diff().dropna()
    periods = dict(zip(PERIODS, split_by_date(sp500["Close"].loc[log_return.index])))
    return sp500, log_return, periods


def fit_forecaster(cell, train, validation, *, epochs, seed=42, units=32):
    """Train ``Input -> cell(units) -> Dense(outputs)`` with the mean squared error, as in lesson 07.

    ``train`` and ``validation`` are ``(inputs [windows, window, features], targets [windows] or
    [windows, outputs])``; ``cell`` is a Keras recurrent layer class (``utils.cells.CELLS[key]``). Adam
    (learning rate 1e-3), batches of 32, at most ``epochs`` epochs with early stopping on the validation
    loss (patience 5, best weights restored); ``keras.utils.set_random_seed(seed)`` first, so a seed
    gives the same model. Returns ``(model, {"params": count, "train_seconds": s, "epochs": run})``.
    """
    import keras

    from utils.measure import Measure

    if not (isinstance(cell, type) and issubclass(cell, keras.layers.Layer)):
        raise ArgumentTypeError(f"cell must be a Keras layer class such as keras.layers.LSTM (CELLS[key]), "
                                f"got {describe(cell)}")
    (x_tr, y_tr), (x_va, y_va) = (_pair(train, "train"), _pair(validation, "validation"))
    if x_tr.shape[1:] != x_va.shape[1:] or y_tr.shape[1:] != y_va.shape[1:]:
        raise ValueError(f"validation has inputs {x_va.shape} and targets {y_va.shape}, train {x_tr.shape} and "
                         f"{y_tr.shape}: they must agree but for the number of windows")
    epochs = positive_int(epochs, "epochs")
    units = positive_int(units, "units")
    if not is_int(seed) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {describe(seed)}")
    outputs = 1 if y_tr.ndim == 1 else y_tr.shape[1]
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input(x_tr.shape[1:]), cell(units), keras.layers.Dense(outputs)])
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    stop = keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True)
    with Measure() as run:
        history = model.fit(x_tr, y_tr, validation_data=(x_va, y_va), epochs=epochs, batch_size=32,
                            callbacks=[stop], verbose=0)
    return model, {"params": model.count_params(), "train_seconds": run.seconds,
                   "epochs": len(history.history["loss"])}


def persistence_verdict(ratios, name):
    """The noise rule on a model's test RMSE / persistence RMSE, one ratio per seed (lower is better).

    Persistence is deterministic (``exact``: no seed variance), so the interval of the gap to 1.0 comes from
    the spread of ``ratios``; one seed decides nothing. The equivalence margin is ``MARGINS["mse_ratio"]`` of
    :mod:`utils.verdicts`. Returns ``(comparison, verdict)``: the :class:`utils.verdicts.Comparison` and one
    of :data:`VERDICTS` for the model ``name``.
    """
    from utils.verdicts import compare

    if not isinstance(name, str) or not name:
        raise ArgumentTypeError(f"name must be the model's name (a non-empty string), got {describe(name)}")
    comparison = compare(ratios, 1.0, names=(name, "persistence"), higher_is_better=False, exact=(False, True),
                         margin="mse_ratio")
    verdict = ("beats persistence" if comparison.better == name else
               "worse than persistence" if comparison.better else
               "equivalent to persistence" if comparison.equivalent else "not decided")
    return comparison, verdict


@dataclass(frozen=True, eq=False)
class ReturnForecast:
    """Next-day return windows of the three periods and the closes of the scored test days.

    ``windows``: ``{"train" | "validation" | "test": (inputs [windows, window, features], targets
    [windows])}``, scaled on the training period by ``scaler``; the target is column 0, the log return.
    ``truth``: the test close of each scored day (index points, ``[windows]``); ``previous``: the close of
    the day before, which is persistence's forecast.
    """

    scaler: object
    windows: dict
    truth: np.ndarray
    previous: np.ndarray

    @property
    def persistence_rmse(self) -> float:
        """RMSE of persistence on the scored test days, in index points."""
        from sklearn.metrics import root_mean_squared_error

        return float(root_mean_squared_error(self.truth, self.previous))

    def closes(self, model) -> np.ndarray:
        """The model's next-day closes (index points, ``[windows]``): the previous close times e^(return)."""
        scaled = np.asarray(model.predict(self.windows["test"][0], verbose=0))
        scaled = scaled.reshape(len(scaled), -1)[:, :1]
        padded = np.zeros((len(scaled), self.scaler.n_features_in_), dtype=scaled.dtype)
        padded[:, :1] = scaled  # the return is column 0; the other columns do not matter here
        return self.previous * np.exp(self.scaler.inverse_transform(padded)[:, 0])

    def rmse_ratio(self, model) -> float:
        """The model's test RMSE divided by persistence's (below 1 beats persistence)."""
        from sklearn.metrics import root_mean_squared_error

        return float(root_mean_squared_error(self.truth, self.closes(model))) / self.persistence_rmse

    def seed_ratios(self, cell, *, seeds, epochs):
        """:meth:`rmse_ratio` of ``fit_forecaster(cell, ...)`` trained once per seed in ``seeds``."""
        if isinstance(seeds, str | bytes) or not hasattr(seeds, "__iter__"):
            raise ValueError(f"seeds must be a non-empty list of integer seeds, got {describe(seeds)}")
        seeds = list(seeds)
        if not seeds:
            raise ValueError("seeds must be a non-empty list of integer seeds, got an empty one")
        return [self.rmse_ratio(fit_forecaster(cell, self.windows["train"], self.windows["validation"],
                                               epochs=epochs, seed=seed)[0]) for seed in seeds]


def return_forecast(features, test_closes, window):
    """Scale the periods' features on the training period and cut each period into windows.

    ``features``: ``{"train" | "validation" | "test": [days] or [days, features]}`` with the daily log
    return in column 0 (further columns are extra inputs, such as the log volume); ``test_closes``: the
    test period's closes in index points, one per test day. The first ``window`` test days only fill the
    first window, so ``len(test) - window`` days are scored. Returns a :class:`ReturnForecast`.
    """
    from utils.sequences import scale_with_train

    if not isinstance(features, dict) or sorted(features) != sorted(PERIODS):
        raise ValueError(f"features must be a dict with the keys {PERIODS}, got {describe(features)}")
    window = positive_int(window, "window")
    closes = numeric_array(test_closes.to_numpy() if isinstance(test_closes, pd.Series) else test_closes,
                           "test_closes")
    if closes.ndim != 1 or len(closes) != len(features["test"]):
        raise ValueError(f"test_closes must hold one close per test day ({len(features['test'])}), got shape "
                         f"{closes.shape}")
    if len(closes) <= window:
        raise ValueError(f"window ({window}) must be shorter than the test period ({len(closes)} days)")
    scaler, *scaled = scale_with_train(*(features[name] for name in PERIODS))
    windows = {name: window_arrays(series, window) for name, series in zip(PERIODS, scaled)}
    return ReturnForecast(scaler, windows, closes[window:], closes[window - 1:-1])


def _pair(value, name):
    if not (isinstance(value, tuple | list) and len(value) == 2):
        raise ValueError(f"{name} must be a pair (inputs, targets) of arrays, got {describe(value)}")
    x, y = (numeric_array(v, f"{name}[{i}]", dtype=None) for i, v in enumerate(value))
    if x.ndim != 3 or y.ndim not in (1, 2) or len(x) != len(y) or len(x) == 0:
        raise ValueError(f"{name} must be (inputs [windows, window, features], targets [windows] or "
                         f"[windows, outputs]) with as many targets as windows, got shapes {x.shape} and {y.shape}")
    return x, y
