"""Linear baselines for lesson 07's next-day return forecast: what a practitioner fits before any recurrent net.

Both read the same 20 past returns as the recurrent models do, and both are fitted on the training period only:

* :func:`ridge_forecast` — a ridge regression on the flattened windows of :func:`utils.forecasting.window_arrays`,
  its penalty chosen on the validation period (as the recurrent models' epochs are);
* :func:`autoreg_forecast` — an AR(``lags``) model with a constant (statsmodels ``AutoReg``), whose coefficients are
  estimated on the training returns and then held fixed while it steps through the test period, one day at a time.

::

    x_tr, y_tr = setup.windows["train"]; x_va, y_va = setup.windows["validation"]
    predicted, alpha = ridge_forecast(x_tr, y_tr, x_va, y_va, setup.windows["test"][0])
    predicted_return = setup.scaler.inverse_transform(predicted[:, None])[:, 0]   # scaled -> log return
    closes = setup.previous * np.exp(predicted_return)                             # as ReturnForecast.closes

    ar = autoreg_forecast(returns["train"], returns["test"], lags=20)   # log returns, one per scored test day
    errors = per_day_squared_errors(setup.previous * np.exp(ar), setup.truth)

Forecasts are made only for days that have ``window`` (or ``lags``) days of the *same* period before them, so
they are aligned with the targets of ``window_arrays(test, window)`` and with :class:`ReturnForecast`'s ``truth``
when ``lags == window``: every model and baseline is scored on the same days. :func:`per_day_squared_errors`
gives the per-day outcomes that :func:`utils.verdicts.compare` pairs (``items=``, ``series=True``).
"""

import math

import numpy as np

from utils.checks import ArgumentTypeError, describe, is_real, numeric_array, positive_int

ALPHAS = (0.1, 1.0, 10.0, 100.0, 1_000.0, 10_000.0, 100_000.0)


def _windows(value, name):
    """Windows ``[windows, window, features]`` as float64, refused otherwise with a hint."""
    array = numeric_array(value, name)
    if array.ndim != 3 or len(array) == 0:
        raise ValueError(f"{name} must be a non-empty [windows, window, features] array (the inputs of "
                         f"window_arrays), got shape {array.shape}")
    return array


def _targets(value, name, n_windows):
    array = numeric_array(value, name)
    if array.ndim != 1 or len(array) != n_windows:
        raise ValueError(f"{name} must be 1-D with one next-day target per window ({n_windows}), got shape "
                         f"{array.shape}")
    return array


def _alphas(alphas):
    if is_real(alphas):
        alphas = [alphas]
    if alphas is None or isinstance(alphas, str | bytes | dict) or not hasattr(alphas, "__iter__"):
        raise ArgumentTypeError(f"alphas must be a list of ridge penalties (positive numbers), got {describe(alphas)}")
    alphas = list(alphas)
    if not alphas:
        raise ValueError("alphas is empty: pass at least one ridge penalty, e.g. (1.0, 10.0, 100.0)")
    for alpha in alphas:
        if not is_real(alpha):
            raise ArgumentTypeError(f"alphas must hold numbers only, got {describe(alpha)} among them")
        if not (0 < alpha < math.inf):
            raise ValueError(f"every alpha must be a positive, finite ridge penalty, got {alpha!r}")
    return sorted(float(a) for a in alphas)


def ridge_forecast(train_windows, train_targets, validation_windows, validation_targets, test_windows,
                   alphas=ALPHAS):
    """Ridge regression on the flattened windows, its penalty chosen on the validation period.

    Each window ``[window, features]`` becomes one row of ``window * features`` inputs; the model is
    ``target ≈ intercept + weights · inputs`` with the penalty ``alpha · |weights|²`` (scikit-learn's ``Ridge``).
    One model per ``alpha`` is fitted on the training windows and scored by its mean squared error on the
    validation windows; the best one (the larger penalty on a tie: the simpler model) forecasts the test windows.
    The validation period is never trained on, so the test period scores a choice made without it, exactly as
    early stopping chooses the recurrent models' epochs. The penalty treats every input alike, so the inputs
    should share one scale, as the windows of :func:`utils.forecasting.return_forecast` (scaled on the training
    period) do.

    Returns ``(predictions [test windows], alpha)``, the predictions in the units of the targets. A large
    chosen ``alpha`` (weights shrunk towards zero: the forecast is close to the training mean) says the past
    20 returns carry little that holds up on new days; an ``alpha`` at either end of ``alphas`` says the search
    should be widened.
    """
    from sklearn.linear_model import Ridge

    x_tr, x_va, x_te = (_windows(x, name) for x, name in ((train_windows, "train_windows"),
                                                          (validation_windows, "validation_windows"),
                                                          (test_windows, "test_windows")))
    for x, name in ((x_va, "validation_windows"), (x_te, "test_windows")):
        if x.shape[1:] != x_tr.shape[1:]:
            raise ValueError(f"{name} has windows of shape {x.shape[1:]}, train_windows {x_tr.shape[1:]}: every "
                             "period must use the same window length and features")
    y_tr = _targets(train_targets, "train_targets", len(x_tr))
    y_va = _targets(validation_targets, "validation_targets", len(x_va))
    candidates = _alphas(alphas)
    flat = [x.reshape(len(x), -1) for x in (x_tr, x_va, x_te)]
    best = None
    for alpha in candidates:  # ascending, so `<=` keeps the larger penalty on a tie
        model = Ridge(alpha=alpha).fit(flat[0], y_tr)
        error = float(np.mean((model.predict(flat[1]) - y_va) ** 2))
        if best is None or error <= best[0]:
            best = (error, alpha, model)
    _, alpha, model = best
    return model.predict(flat[2]), alpha


def _returns(value, name, at_least):
    array = numeric_array(value.to_numpy() if hasattr(value, "to_numpy") else value, name)
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D series of daily returns, got shape {array.shape}")
    if len(array) < at_least:
        raise ValueError(f"{name} has {len(array)} returns; it needs at least {at_least} here")
    return array


def autoreg_forecast(train_returns, test_returns, lags=20):
    """One-step-ahead forecasts of an AR(``lags``) model fitted on the training returns, over the test period.

    ``r_t ≈ c + φ_1 r_(t-1) + … + φ_lags r_(t-lags)``: the constant and coefficients are estimated by least
    squares (statsmodels ``AutoReg`` with ``trend="c"``) on ``train_returns`` only, then held fixed. The forecast
    for test day ``t`` reads the ``lags`` test returns before it, all known the evening before, and never the
    return of day ``t`` or later; nothing is refitted as the test period goes on.

    Returns ``[len(test_returns) - lags]`` forecasts, for test days ``lags, lags + 1, …``: the days of the targets
    of ``window_arrays(test_returns, lags)``, so with ``lags == window`` they line up with lesson 07's scored days.
    The first ``lags`` test days only fill the first window, because the returns just before the test period
    (the validation period's) are kept apart, as in the lesson. Forecasts are in the units of the returns.
    """
    from statsmodels.tsa.ar_model import AutoReg

    lags = positive_int(lags, "lags")
    train = _returns(train_returns, "train_returns", 2 * lags + 2)
    test = _returns(test_returns, "test_returns", lags + 1)
    fitted = AutoReg(train, lags=lags, trend="c").fit()
    # The same constant and coefficients on the test returns (apply(..., refit=False)); the in-sample
    # prediction of AutoReg at day t is the one-step-ahead forecast from the actual returns t-lags … t-1.
    return np.asarray(fitted.apply(test, refit=False).predict(start=lags, end=len(test) - 1), dtype="float64")


def per_day_squared_errors(pred, truth):
    """``(pred - truth) ** 2`` per day, as float64 ``[days]``: the outcomes whose mean is the MSE.

    Pass two forecasts' per-day errors on the same days to :func:`utils.verdicts.compare` (``items=``, with
    ``series=True`` for consecutive days) to decide which forecast has the lower MSE.
    """
    pred = numeric_array(pred, "pred")
    truth = numeric_array(truth, "truth")
    if pred.ndim != 1 or truth.ndim != 1 or len(pred) != len(truth) or len(pred) == 0:
        raise ValueError(f"pred and truth must be 1-D with one value per day, the same days, got shapes {pred.shape} "
                         f"and {truth.shape}")
    return (pred - truth) ** 2
