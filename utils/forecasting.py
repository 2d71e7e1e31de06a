"""Next-day forecasting of the S&P 500 as lesson 07 sets it up: periods, windows, a small recurrent
forecaster, and its score against persistence (tomorrow's close = today's close).

    sp500, log_return, periods = sp500_periods()
    returns = {name: log_return.loc[part.index].to_numpy() for name, part in periods.items()}
    setup = return_forecast(returns, periods["test"], window=20)
    model, info = fit_forecaster(CELLS["lstm"], setup.windows["train"], setup.windows["validation"], epochs=40)
    setup.rmse_ratio(model)             # test RMSE / persistence RMSE: below 1, a lower error on these days
    persistence_comparison("lstm", setup.squared_errors(model), setup.persistence_squared_errors)

Shapes follow Keras: inputs ``[windows, window, features]``, targets ``[windows]`` (the next day) or
``[windows, n_ahead]``. Closes are index points; returns are daily log returns
``r_t = log(close_t / close_(t-1))``, scaled on the training period before they reach a model.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from utils.checks import ArgumentTypeError, describe, is_int, numeric_array, positive_int, seed_list
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


def fit_forecaster(cell, train, validation, *, epochs, seed=42, units=32, loss="mse", outputs=None):
    """Train ``Input -> cell(units) -> Dense(outputs)`` with early stopping, as in lesson 07.

    ``train`` and ``validation`` are ``(inputs [windows, window, features], targets [windows] or
    [windows, k])``; ``cell`` is a Keras recurrent layer class (``utils.cells.CELLS[key]``). ``loss`` is
    the mean squared error unless given (any Keras loss, e.g. a Gaussian negative log-likelihood that reads
    two outputs per target); ``outputs`` is the width of the last layer, by default the number of targets.
    Adam (learning rate 1e-3), batches of 32, at most ``epochs`` epochs with early stopping on the
    validation loss (patience 5, best weights restored); ``keras.utils.set_random_seed(seed)`` first, so a
    seed gives the same model. Returns ``(model, {"params": count, "train_seconds": s, "epochs": run})``.
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
    if not (isinstance(loss, str) and loss) and not callable(loss):
        raise ArgumentTypeError(f"loss must be a Keras loss name such as 'mse' or a loss function, got "
                                f"{describe(loss)}")
    outputs = (1 if y_tr.ndim == 1 else y_tr.shape[1]) if outputs is None else positive_int(outputs, "outputs")
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input(x_tr.shape[1:]), cell(units), keras.layers.Dense(outputs)])
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=loss)
    stop = keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True)
    with Measure() as run:
        history = model.fit(x_tr, y_tr, validation_data=(x_va, y_va), epochs=epochs, batch_size=32,
                            callbacks=[stop], verbose=0)
    return model, {"params": model.count_params(), "train_seconds": run.seconds,
                   "epochs": len(history.history["loss"])}


def _day_errors(values, name, days=None, reference="persistence", squared=True):
    """Losses per day, ``[days]`` or ``[seeds, days]``; with ``squared``, squared errors (never negative)."""
    array = numeric_array(values, name)
    what = "squared errors" if squared else "losses"
    if array.ndim not in (1, 2) or array.size == 0 or (array.ndim == 2 and array.shape[0] == 0):
        raise ValueError(f"{name} must be {what} per day, [days] or [seeds, days], got shape {array.shape}")
    if squared and (array < 0).any():
        raise ValueError(f"{name} holds negative values: squared errors are >= 0")
    if days is not None and array.shape[-1] != days:
        raise ValueError(f"{name} covers {array.shape[-1]} days and {reference} {days}: score both on the same days")
    return array


def loss_comparison(name, losses, reference_losses, *, reference="persistence", margin=None):
    """A model's mean loss per day against a reference forecast's on the same days (lower is better).

    ``losses``: the model's loss per scored day, ``[seeds, days]`` (one row per seed) or ``[days]`` for a
    deterministic forecast; ``reference_losses``: the reference's, ``[days]`` (a deterministic forecast such
    as persistence or GARCH). Any finite loss will do, negative ones included (a Gaussian log score is below 0
    on a calm day). The gap's interval adds the spread over seeds to how much it would move with
    other days, with an autocorrelation-robust (Newey–West) variance as in the Diebold–Mariano test, since
    losses come in calm and stormy stretches; ``margin`` (in the loss's units, or None for no equivalence
    margin) makes "equivalent" possible. Returns the :class:`utils.verdicts.Comparison`; Holm-correct a
    family with :func:`utils.verdicts.correct`.
    """
    return _loss_comparison(name, losses, reference_losses, reference, margin, squared=False)


def _loss_comparison(name, losses, reference_losses, reference, margin, squared):
    from utils.verdicts import compare

    for label, value in (("name", name), ("reference", reference)):
        if not isinstance(value, str) or not value:
            raise ArgumentTypeError(f"{label} must be a forecast's name (a non-empty string), got {describe(value)}")
    base = _day_errors(reference_losses, f"the losses of {reference}", squared=squared)
    if base.ndim != 1:
        raise ValueError(f"the losses of {reference} must be one value per day, [days], got shape {base.shape}")
    model = _day_errors(losses, f"the losses of {name}", len(base), reference, squared=squared)
    exact = model.ndim == 1
    mean = float(model.mean()) if exact else model.mean(axis=1).tolist()
    return compare(mean, float(base.mean()), names=(name, reference), higher_is_better=False,
                   exact=(exact, True), series=True, items=(model, base), margin=margin)


def persistence_comparison(name, errors, persistence_errors):
    """A model's mean squared error against persistence's on the same days (lower is better).

    :func:`loss_comparison` with persistence's squared errors per day (``[days]``) as the reference and an
    equivalence margin of ``MARGINS["mse_ratio"]`` of persistence's mean squared error. ``errors``:
    ``[seeds, days]`` or ``[days]``. Read the result with :func:`persistence_word`.
    """
    from utils.verdicts import MARGINS

    base = _day_errors(persistence_errors, "persistence_errors")
    if base.ndim != 1:
        raise ValueError(f"persistence_errors must be one squared error per day, [days], got shape {base.shape}")
    return _loss_comparison(name, errors, base, "persistence", MARGINS["mse_ratio"] * float(base.mean()),
                            squared=True)


def persistence_word(comparison) -> str:
    """The verdict of a :func:`persistence_comparison` in the lesson's words, one of :data:`VERDICTS`."""
    outcomes = ("A better", "B better", "equivalent", "not decided")
    if getattr(comparison, "outcome", None) not in outcomes:
        raise ArgumentTypeError(f"comparison must come from persistence_comparison, got {describe(comparison)}")
    return VERDICTS[outcomes.index(comparison.outcome)]


def persistence_verdicts(errors, persistence_errors) -> dict:
    """``{name: (comparison, verdict)}`` for every model of ``errors`` (``{name: squared errors}``, see
    :func:`persistence_comparison`) against persistence, Holm-corrected over the models together."""
    from utils.verdicts import correct

    if not isinstance(errors, dict) or not errors:
        raise ArgumentTypeError(f"errors must be a non-empty dict {{model: squared errors per day}}, got "
                                f"{describe(errors)}")
    tests = correct([persistence_comparison(name, e, persistence_errors) for name, e in errors.items()])
    return {name: (c, persistence_word(c)) for name, c in zip(errors, tests)}


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
        if not callable(getattr(model, "predict", None)):
            raise ArgumentTypeError(f"model must be a trained Keras model (from fit_forecaster), got {describe(model)}")
        scaled = np.asarray(model.predict(self.windows["test"][0], verbose=0))
        scaled = scaled.reshape(len(scaled), -1)[:, :1]
        padded = np.zeros((len(scaled), self.scaler.n_features_in_), dtype=scaled.dtype)
        padded[:, :1] = scaled  # the return is column 0; the other columns do not matter here
        return self.previous * np.exp(self.scaler.inverse_transform(padded)[:, 0])

    def rmse_ratio(self, model) -> float:
        """The model's test RMSE divided by persistence's (below 1 beats persistence)."""
        from sklearn.metrics import root_mean_squared_error

        return float(root_mean_squared_error(self.truth, self.closes(model))) / self.persistence_rmse

    def squared_errors(self, model) -> np.ndarray:
        """The model's squared error per scored test day, in points² (``[windows]``)."""
        return (self.closes(model) - self.truth) ** 2

    @property
    def persistence_squared_errors(self) -> np.ndarray:
        """Persistence's squared error per scored test day, in points² (``[windows]``)."""
        return (self.previous - self.truth) ** 2

    def seed_errors(self, cell, *, seeds, epochs) -> np.ndarray:
        """:meth:`squared_errors` of ``fit_forecaster(cell, ...)`` trained once per seed: ``[seeds, days]``."""
        seeds = seed_list(seeds)
        return np.stack([self.squared_errors(fit_forecaster(cell, self.windows["train"], self.windows["validation"],
                                                            epochs=epochs, seed=seed)[0]) for seed in seeds])


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
