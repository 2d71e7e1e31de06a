"""Tomorrow's variance instead of tomorrow's return: GARCH(1,1), the RiskMetrics EWMA, and their losses.

A daily return is close to unpredictable; how *large* it will be is not — calm days follow calm days and wild
days follow wild days. A variance forecast for day ``t`` is scored against the squared return of that day
(``realised = r_t ** 2``, a noisy but unbiased stand-in for the true variance) with a loss that ranks forecasts
correctly despite that noise (Patton 2011, "Volatility forecast comparison using imperfect volatility proxies",
Journal of Econometrics 160(1)): :func:`qlike` and :func:`mse_variance`.

    _, log_return, periods = sp500_periods()
    first_test = len(periods["train"]) + len(periods["validation"])      # log_return's first test day
    garch, params = garch_variance_forecasts(log_return, first_test)     # [test days]
    ewma = ewma_variance_forecasts(log_return, first_test)               # RiskMetrics, λ = 0.94
    realised = log_return.to_numpy()[first_test:] ** 2
    loss_garch, loss_ewma = qlike(garch, realised), qlike(ewma, realised)
    compare(loss_garch.mean(), loss_ewma.mean(), names=("garch", "ewma"), higher_is_better=False,
            exact=True, items=(loss_garch, loss_ewma), series=True)       # the noise rule, Diebold–Mariano style

Both forecasts for day ``t`` use the returns up to day ``t - 1`` only, and their parameters come from the days
before the test period; the tests change a future return and check that no earlier forecast moves. Variances
are in the units of ``returns`` squared (log returns as fractions: 1e-4 is a 1% daily standard deviation).
"""

import math

import numpy as np

from utils.checks import ArgumentTypeError, describe, is_int, is_real, numeric_array

SCALE = 100.0  # arch fits percent returns: its optimiser is tuned for standard deviations between 1 and 1000
DISTS = ("normal", "t", "skewt", "ged")
MEANS = ("constant", "zero")
RISKMETRICS_DECAY = 0.94  # J.P. Morgan/Reuters, RiskMetrics Technical Document (1996), for daily data
MIN_BEFORE_TEST = 100


def _series(returns, first_test_index, at_least):
    """``returns`` as 1-D float64 and ``first_test_index`` checked: ``at_least`` days before it, one after."""
    values = numeric_array(returns.to_numpy() if hasattr(returns, "to_numpy") else returns, "returns")
    if values.ndim != 1:
        raise ValueError(f"returns must be a 1-D series of daily returns, got shape {values.shape}")
    if not is_int(first_test_index):
        raise ArgumentTypeError(f"first_test_index must be the position (an integer) of the first test day in "
                                f"returns, got {describe(first_test_index)}")
    if not at_least <= first_test_index < len(values):
        raise ValueError(f"first_test_index must leave at least {at_least} returns before the test period and one "
                         f"in it (between {at_least} and {len(values) - 1} for {len(values)} returns), got "
                         f"{first_test_index}")
    return values, int(first_test_index)


def garch_variance_forecasts(returns, first_test_index, *, p=1, q=1, dist="normal", mean="constant"):
    """One-step-ahead GARCH(p, q) variance forecasts for every day from ``first_test_index`` on.

    ``returns``: daily log returns, all periods in order (``[days]``, an array or Series); the test period is
    ``returns[first_test_index:]``. The model, for ``p = q = 1``::

        r_t = μ + e_t,   e_t = σ_t z_t,   σ²_t = ω + α e²_(t-1) + β σ²_(t-1)

    is fitted by maximum likelihood (``arch.univariate.arch_model``, distribution ``dist`` of ``z_t``: one of
    ``DISTS``; ``mean="zero"`` fixes μ = 0) on the returns *before* the test period only — every day before it,
    validation included, since nothing is chosen on validation here. Its parameters are then held fixed and the
    recursion runs on through the test period: the forecast for day ``t`` is ``σ²_t``, built from the returns up
    to ``t - 1``. Nothing is refitted as the test period goes on.

    Scaling: arch's optimiser expects returns whose standard deviation is between 1 and 1000, and daily log
    returns are around 0.01, so the model is fitted to ``SCALE * returns`` (percent returns) and the variances are
    divided by ``SCALE ** 2`` on the way out: they are in the units of ``returns`` squared. At least
    ``MIN_BEFORE_TEST`` returns must come before the test period: arch starts the recursion from a weighted
    average of the first 75 squared residuals, which must not reach into the test period.

    Returns ``(variance [len(returns) - first_test_index], params)``: ``params`` is arch's fitted parameter
    Series on the percent scale (``mu`` in %, ``omega`` in %², ``alpha[1]``, ``beta[1]`` without units;
    ``alpha[1] + beta[1]`` near 1 means shocks to volatility fade slowly).
    """
    from arch.univariate import arch_model

    values, first = _series(returns, first_test_index, MIN_BEFORE_TEST)
    for name, order in (("p", p), ("q", q)):
        if not is_int(order) or not 1 <= order <= 5:
            raise ValueError(f"{name} must be a whole number from 1 to 5 (lags of the GARCH recursion), "
                             f"got {describe(order)}")
    if dist not in DISTS:
        raise ValueError(f"dist must be one of {DISTS} (the distribution of the standardised shocks), got {dist!r}")
    if mean not in MEANS:
        raise ValueError(f"mean must be one of {MEANS}, got {mean!r}")
    model = arch_model(SCALE * values, mean="Constant" if mean == "constant" else "Zero", vol="GARCH",
                       p=int(p), q=int(q), dist=dist)
    fitted = model.fit(last_obs=first, disp="off")  # the likelihood reads returns[:first] only
    # Row j is the forecast made at the end of day first - 1 + j, for day first + j; the last row would
    # forecast the day after the series ends, so it is dropped.
    made = fitted.forecast(start=first - 1, horizon=1, reindex=False).variance.to_numpy()[:, 0]
    return made[:len(values) - first] / SCALE ** 2, fitted.params


def ewma_variance_forecasts(returns, first_test_index, *, decay=RISKMETRICS_DECAY):
    """RiskMetrics' exponentially weighted variance: the naive baseline a GARCH model has to beat.

    ``σ²_t = decay · σ²_(t-1) + (1 - decay) · r²_(t-1)``, with mean zero and no parameter estimated (``decay``
    0.94 for daily data, as RiskMetrics sets it): a weighted average of past squared returns whose weights halve
    every ``log(0.5) / log(decay)`` days (11 for 0.94). The recursion starts at the mean squared return of the
    days before the test period and runs over the whole series; a start thousands of days back is long
    forgotten. Returns the forecasts for days ``first_test_index, …`` (``[len(returns) - first_test_index]``),
    each built from the returns up to the day before, in the units of ``returns`` squared.
    """
    from scipy.signal import lfilter

    values, first = _series(returns, first_test_index, 1)
    if not is_real(decay):
        raise ArgumentTypeError(f"decay must be a number between 0 and 1, got {describe(decay)}")
    if not 0 < decay < 1:
        raise ValueError(f"decay must lie strictly between 0 and 1 (RiskMetrics uses 0.94), got {decay!r}")
    squared = values ** 2
    start = float(np.mean(squared[:first]))
    # smoothed[t] = decay * smoothed[t - 1] + (1 - decay) * r_t² (smoothed[-1] = start) is the forecast for t + 1
    smoothed, _ = lfilter([1 - decay], [1.0, -decay], squared, zi=[decay * start])
    return smoothed[first - 1:len(values) - 1]


def _forecast_and_realised(variance_forecast, realised):
    forecast = numeric_array(variance_forecast, "variance_forecast")
    truth = numeric_array(realised, "realised")
    if forecast.ndim != 1 or truth.ndim != 1 or len(forecast) != len(truth) or len(forecast) == 0:
        raise ValueError(f"variance_forecast and realised must be 1-D with one value per day, the same days, got "
                         f"shapes {forecast.shape} and {truth.shape}")
    if (forecast <= 0).any():
        raise ValueError(f"variance_forecast must be positive on every day, got {forecast.min():.3g} on day "
                         f"{int(np.argmin(forecast))}")
    if (truth < 0).any():
        raise ValueError(f"realised must be a variance (the squared return, >= 0), got {truth.min():.3g} on day "
                         f"{int(np.argmin(truth))}")
    return forecast, truth


def qlike(variance_forecast, realised, *, floor=None):
    """QLIKE loss per day: ``realised / forecast - log(realised / forecast) - 1`` (``[days]``, 0 when exact).

    ``realised`` is each day's squared return. QLIKE is the loss of the Gaussian likelihood, shifted so that a
    perfect forecast scores 0; it punishes a forecast that is too low (a calm forecast before a crash) far more
    than one too high, and it depends only on the ratio, so calm and wild days weigh alike. Patton (2011) shows
    that it ranks forecasts as the true variance would, even when scored against a noisy proxy such as ``r²``.

    A day with a return of exactly 0 has ``log(0)``: ``realised`` is raised to ``floor`` first (default
    ``1e-6`` times the mean realised value, so the floor does not depend on the units). Both forecasts of a
    comparison see the same floored value, so the floor moves their losses on such a day by nearly the same
    amount (they differ by ``floor · (1/f_a - 1/f_b)``, tiny): it changes the level of the loss, not which
    forecast wins. ``variance_forecast`` must be positive.
    """
    forecast, truth = _forecast_and_realised(variance_forecast, realised)
    if floor is None:
        floor = 1e-6 * float(truth.mean())
        if floor == 0:
            raise ValueError("realised is 0 on every day: QLIKE needs some non-zero squared returns")
    elif not is_real(floor):
        raise ArgumentTypeError(f"floor must be None or a positive number, got {describe(floor)}")
    elif not 0 < floor < math.inf:
        raise ValueError(f"floor must be a positive, finite number, got {floor!r}")
    ratio = np.maximum(truth, floor) / forecast
    return ratio - np.log(ratio) - 1.0


def mse_variance(variance_forecast, realised):
    """Squared error of the variance forecast per day, ``(realised - forecast) ** 2`` (``[days]``).

    The other loss Patton (2011) finds robust to a noisy ``realised``. It is dominated by a few days of
    extreme returns (errors are squared on the variance scale, a fourth power of the returns), so its mean
    over a test period moves a lot with a single crash; read it next to :func:`qlike`.
    """
    forecast, truth = _forecast_and_realised(variance_forecast, realised)
    return (truth - forecast) ** 2
