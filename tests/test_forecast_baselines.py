"""Tests of lesson 07's practitioner baselines: linear return forecasts, variance forecasts and their losses,
probabilistic scores — and, for every forecaster, that a forecast never reads the day it forecasts or later."""

import numpy as np
import pytest
from scipy import integrate, stats

from utils.checks import ArgumentTypeError
from utils.forecast_baselines import ALPHAS, autoreg_forecast, per_day_squared_errors, ridge_forecast
from utils.forecasting import window_arrays
from utils.probabilistic import coverage_test, gaussian_crps, gaussian_nll, interval_coverage, interval_hits
from utils.verdicts import compare
from utils.volatility import (
    MIN_BEFORE_TEST,
    SCALE,
    ewma_variance_forecasts,
    garch_variance_forecasts,
    mse_variance,
    qlike,
)


def _linear_windows(rng, n, weights, noise):
    x = rng.normal(size=(n, len(weights), 1))
    return x, x[:, :, 0] @ weights + noise * rng.normal(size=n)


@pytest.fixture(scope="module")
def garch_returns():
    """1,200 daily returns (fractions, ``[days]``) from a GARCH(1,1) with persistence 0.98, their true conditional
    variances, and the first test day: 1,000 days come before it."""
    from arch.univariate import GARCH, Normal, ZeroMean

    model = ZeroMean(volatility=GARCH(), distribution=Normal(seed=np.random.default_rng(0)))
    simulated = model.simulate([0.02, 0.08, 0.90], 1200, burn=500)  # percent returns, as arch fits them
    return simulated["data"].to_numpy() / SCALE, simulated["volatility"].to_numpy() ** 2 / SCALE ** 2, 1000


# --- ridge_forecast ------------------------------------------------------------------------------------------


def test_ridge_recovers_a_linear_rule_and_picks_the_best_alpha_on_validation():
    from sklearn.linear_model import Ridge

    rng = np.random.default_rng(0)
    weights = np.array([0.5, -0.3, 0.0, 0.2])
    (x_tr, y_tr), (x_va, y_va), (x_te, y_te) = (_linear_windows(rng, n, weights, 0.1) for n in (400, 200, 100))
    predicted, alpha = ridge_forecast(x_tr, y_tr, x_va, y_va, x_te)
    assert predicted.shape == (100,) and alpha in ALPHAS
    assert np.sqrt(np.mean((predicted - y_te) ** 2)) < 0.15  # near the noise level 0.1
    errors = {a: np.mean((Ridge(alpha=a).fit(x_tr[:, :, 0], y_tr).predict(x_va[:, :, 0]) - y_va) ** 2)
              for a in ALPHAS}
    assert alpha == min(errors, key=errors.get)
    np.testing.assert_allclose(predicted, Ridge(alpha=alpha).fit(x_tr[:, :, 0], y_tr).predict(x_te[:, :, 0]))


def test_ridge_shrinks_hard_when_the_past_says_nothing():
    rng = np.random.default_rng(1)
    x_tr, x_va, x_te = (rng.normal(size=(n, 20, 1)) for n in (300, 300, 50))
    y_tr, y_va = rng.normal(size=300), rng.normal(size=300)
    predicted, alpha = ridge_forecast(x_tr, y_tr, x_va, y_va, x_te, alphas=(0.01, 1e6))
    assert alpha == 1e6
    assert np.ptp(predicted) < 0.01  # every forecast is the training mean, within a hair


def test_ridge_flattens_several_features_and_ties_go_to_the_larger_penalty():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(60, 5, 2))
    y = x[:, -1, 1]
    predicted, alpha = ridge_forecast(x, y, x, y, x[:7], alphas=[3.0, 3.0, 1e-9])
    assert predicted.shape == (7,) and alpha == 1e-9
    predicted, alpha = ridge_forecast(x, np.zeros(60), x, np.zeros(60), x, alphas=[1.0, 10.0])
    assert alpha == 10.0  # both predict 0 exactly: the same validation error


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [({"train_windows": np.zeros((10, 4))}, ValueError, r"\[windows, window, features\]"),
     ({"test_windows": np.zeros((5, 3, 1))}, ValueError, "same window length"),
     ({"train_targets": np.zeros(9)}, ValueError, "one next-day target per window"),
     ({"validation_targets": np.zeros((10, 2))}, ValueError, "validation_targets"),
     ({"alphas": ()}, ValueError, "at least one ridge penalty"),
     ({"alphas": (1.0, -1.0)}, ValueError, "positive"),
     ({"alphas": "1.0"}, ArgumentTypeError, "alphas"),
     ({"alphas": (1.0, None)}, ArgumentTypeError, "numbers only"),
     ({"train_windows": np.full((10, 4, 1), np.nan)}, ValueError, "NaN")],
)
def test_ridge_refuses_bad_input(change, error, match):
    args = {"train_windows": np.zeros((10, 4, 1)), "train_targets": np.zeros(10),
            "validation_windows": np.zeros((10, 4, 1)), "validation_targets": np.zeros(10),
            "test_windows": np.zeros((5, 4, 1))} | change
    with pytest.raises(error, match=match):
        ridge_forecast(**args)


# --- autoreg_forecast ----------------------------------------------------------------------------------------


def test_autoreg_uses_training_coefficients_on_the_test_returns():
    from statsmodels.tsa.ar_model import AutoReg

    rng = np.random.default_rng(3)
    train, test = rng.normal(size=600), rng.normal(size=80)
    forecast = autoreg_forecast(train, test, lags=3)
    c, *phi = AutoReg(train, lags=3, trend="c").fit().params
    by_hand = [c + phi[0] * test[t - 1] + phi[1] * test[t - 2] + phi[2] * test[t - 3] for t in range(3, 80)]
    np.testing.assert_allclose(forecast, by_hand, rtol=1e-10, atol=1e-14)
    assert forecast.shape == window_arrays(test, 3)[1].shape  # the days of the lesson's test targets


def test_autoreg_learns_an_ar1_rule():
    from scipy.signal import lfilter

    series = lfilter([1.0], [1.0, -0.6], np.random.default_rng(4).normal(size=3000))
    forecast = autoreg_forecast(series[:2500], series[2500:], lags=1)
    slope, constant = np.polyfit(series[2500:-1], forecast, 1)  # the forecast is exactly c + φ r_(t-1)
    assert slope == pytest.approx(0.6, abs=0.05) and constant == pytest.approx(0.0, abs=0.05)


def test_autoreg_never_reads_the_day_it_forecasts_or_later():
    rng = np.random.default_rng(5)
    train, test = rng.normal(size=400), rng.normal(size=60)
    base = autoreg_forecast(train, test, lags=5)
    for day in (5, 20, 59):  # change test day `day`: forecasts up to and including that day must not move
        changed = test.copy()
        changed[day] += 10.0
        moved = np.flatnonzero(autoreg_forecast(train, changed, lags=5) != base) + 5  # output i is day i + lags
        assert moved.size == 0 or moved.min() > day
        if day < 59:
            assert moved.min() == day + 1  # the next day's forecast does read it
    assert np.array_equal(autoreg_forecast(train, np.r_[test, rng.normal(size=30)], lags=5)[:55], base)


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [((np.zeros(100), np.zeros(30), 0), ValueError, "lags must be a positive integer"),
     ((np.zeros(100), np.zeros(30), 2.0), ValueError, "lags"),
     ((np.zeros(10), np.zeros(30), 20), ValueError, "train_returns has 10 returns"),
     ((np.zeros(100), np.zeros(5), 5), ValueError, "test_returns has 5"),
     ((np.zeros((100, 2)), np.zeros(30), 2), ValueError, "1-D"),
     (("abc", np.zeros(30), 2), ArgumentTypeError, "train_returns")],
)
def test_autoreg_refuses_bad_input(args, error, match):
    with pytest.raises(error, match=match):
        autoreg_forecast(*args)


def test_per_day_squared_errors():
    np.testing.assert_array_equal(per_day_squared_errors([1, 2, 3], np.array([1.0, 0.0, 5.0])), [0, 4, 4])
    with pytest.raises(ValueError, match="same days"):
        per_day_squared_errors([1, 2, 3], [1, 2])
    with pytest.raises(ArgumentTypeError, match="pred"):
        per_day_squared_errors("abc", [1, 2, 3])


# --- variance forecasts --------------------------------------------------------------------------------------


def test_garch_follows_its_recursion_in_return_units(garch_returns):
    returns, _, first = garch_returns
    variance, params = garch_variance_forecasts(returns, first)
    assert variance.shape == (len(returns) - first,) and (variance > 0).all()
    mu, omega, alpha, beta = (params[k] for k in ("mu", "omega", "alpha[1]", "beta[1]"))
    assert 0.9 < alpha + beta < 1
    e = SCALE * returns[first:-1] - mu  # the recursion runs on the percent scale
    expected = (omega + alpha * e ** 2 + beta * SCALE ** 2 * variance[:-1]) / SCALE ** 2
    np.testing.assert_allclose(variance[1:], expected, rtol=1e-8)


def test_garch_tracks_the_true_conditional_variance(garch_returns):
    returns, true_variance, first = garch_returns
    variance, _ = garch_variance_forecasts(returns, first)
    assert np.corrcoef(variance, true_variance[first:])[0, 1] > 0.95


@pytest.mark.parametrize("forecaster", [garch_variance_forecasts, ewma_variance_forecasts])
def test_variance_forecasts_never_read_the_day_they_forecast_or_later(garch_returns, forecaster):
    returns, _, first = garch_returns
    base = forecaster(returns, first)
    base = base[0] if isinstance(base, tuple) else base
    for day in (first, first + 50, len(returns) - 1):
        changed = returns.copy()
        changed[day] = 0.2  # a 20% crash on test day `day`
        out = forecaster(changed, first)
        moved = np.flatnonzero((out[0] if isinstance(out, tuple) else out) != base) + first
        assert moved.size == 0 or moved.min() > day
        if day < len(returns) - 1:
            assert moved.min() == day + 1
    changed = returns.copy()
    changed[first:] = 0.0  # the whole test period: the parameters and the first forecast stay
    out = forecaster(changed, first)
    assert (out[0] if isinstance(out, tuple) else out)[0] == base[0]


def test_garch_parameters_come_from_the_days_before_the_test_period(garch_returns):
    returns, _, first = garch_returns
    _, params = garch_variance_forecasts(returns, first)
    shuffled = returns.copy()
    np.random.default_rng(6).shuffle(shuffled[first:])
    _, params_shuffled = garch_variance_forecasts(shuffled, first)
    assert params.equals(params_shuffled)
    _, params_t = garch_variance_forecasts(returns, first, dist="t", mean="zero")
    assert "nu" in params_t and "mu" not in params_t


def test_ewma_is_the_riskmetrics_recursion():
    returns = np.random.default_rng(7).normal(0, 0.01, 300)
    forecast = ewma_variance_forecasts(returns, 200)
    s = np.mean(returns[:200] ** 2)
    by_hand = []
    for r in returns[:-1]:
        s = 0.94 * s + 0.06 * r ** 2
        by_hand.append(s)
    np.testing.assert_allclose(forecast, by_hand[199:], rtol=1e-12)
    np.testing.assert_allclose(ewma_variance_forecasts(np.full(50, 0.02), 10, decay=0.5), 0.02 ** 2)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [({"first_test_index": 50}, ValueError, f"at least {MIN_BEFORE_TEST} returns before"),
     ({"first_test_index": 300}, ValueError, "one in it"),
     ({"first_test_index": 150.0}, ArgumentTypeError, "position"),
     ({"dist": "cauchy"}, ValueError, "dist must be one of"),
     ({"mean": "ar"}, ValueError, "mean must be one of"),
     ({"p": 0}, ValueError, "p must be a whole number"),
     ({"returns": np.zeros((300, 2))}, ValueError, "1-D"),
     ({"returns": np.r_[np.zeros(299), np.nan]}, ValueError, "NaN")],
)
def test_garch_refuses_bad_input(kwargs, error, match):
    args = {"returns": np.random.default_rng(8).normal(0, 0.01, 300), "first_test_index": 200} | kwargs
    with pytest.raises(error, match=match):
        garch_variance_forecasts(args.pop("returns"), args.pop("first_test_index"), **args)


@pytest.mark.parametrize(("decay", "error"), [(1.0, ValueError), (0.0, ValueError), ("0.94", ArgumentTypeError)])
def test_ewma_refuses_bad_decay(decay, error):
    with pytest.raises(error, match="decay"):
        ewma_variance_forecasts(np.ones(20), 10, decay=decay)


# --- variance losses -----------------------------------------------------------------------------------------


def test_qlike_is_zero_when_exact_and_punishes_a_low_forecast_more():
    realised = np.array([1e-4, 4e-4, 2e-4])
    np.testing.assert_allclose(qlike(realised, realised), 0.0, atol=1e-15)
    low, high = qlike(realised / 2, realised), qlike(realised * 2, realised)
    np.testing.assert_allclose(low, 2 - np.log(2) - 1)
    np.testing.assert_allclose(high, 0.5 + np.log(2) - 1)
    assert (low > high).all()
    np.testing.assert_allclose(qlike(realised * 1e4, realised * 1e4), 0.0, atol=1e-15)  # units do not matter


def test_qlike_floors_a_zero_return_without_changing_the_winner():
    realised = np.array([0.0, 1e-4, 3e-4])
    a, b = qlike(np.full(3, 1e-4), realised), qlike(np.full(3, 2e-4), realised)
    assert np.isfinite(a).all() and np.isfinite(b).all()
    np.testing.assert_allclose(a[0] - b[0], np.log(1e-4) - np.log(2e-4), rtol=1e-5)
    np.testing.assert_allclose(qlike(np.full(3, 1e-4), realised, floor=1e-12)[1:], a[1:])


def test_mse_variance():
    np.testing.assert_allclose(mse_variance([1.0, 2.0], [3.0, 2.0]), [4.0, 0.0])


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [(([1.0, 0.0], [1.0, 1.0]), {}, "variance_forecast must be positive"),
     (([1.0, 1.0], [1.0, -1.0]), {}, "realised must be a variance"),
     (([1.0, 1.0], [1.0]), {}, "same days"),
     (([1.0, 1.0], [0.0, 0.0]), {}, "0 on every day"),
     (([1.0, 1.0], [1.0, 1.0]), {"floor": -1.0}, "floor")],
)
def test_variance_losses_refuse_bad_input(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        qlike(*args, **kwargs)
    if not kwargs and "every day" not in match:
        with pytest.raises(ValueError, match=match):
            mse_variance(*args)


def test_per_day_losses_decide_by_the_documented_compare_call():
    rng = np.random.default_rng(9)
    loss_a = rng.gamma(2.0, 0.5, 700)
    loss_b = loss_a + 0.3 + 0.2 * rng.normal(size=700)
    c = compare(loss_a.mean(), loss_b.mean(), names=("garch", "ewma"), higher_is_better=False, exact=True,
                items=(loss_a, loss_b), series=True)
    assert c.better == "garch" and "700 paired days" in c.sources


# --- probabilistic scores ------------------------------------------------------------------------------------


def test_gaussian_nll_is_the_normal_log_density():
    truth = np.array([0.0, 1.0, -2.0])
    np.testing.assert_allclose(gaussian_nll(0.5, [1.0, 2.0, 0.5], truth),
                               0.5 * np.log(2 * np.pi * np.array([1.0, 4.0, 0.25]))
                               + (truth - 0.5) ** 2 / (2 * np.array([1.0, 4.0, 0.25])))


def test_gaussian_crps_matches_its_integral_and_tends_to_the_absolute_error():
    mean, std, truth = np.array([0.0, 1.0, -0.5]), np.array([1.0, 0.5, 2.0]), np.array([0.3, -1.0, 4.0])
    crps = gaussian_crps(mean, std, truth)
    for m, s, y, value in zip(mean, std, truth, crps):
        below = integrate.quad(lambda x, m=m, s=s: stats.norm.cdf(x, m, s) ** 2, -np.inf, y)[0]
        above = integrate.quad(lambda x, m=m, s=s: stats.norm.sf(x, m, s) ** 2, y, np.inf)[0]
        assert value == pytest.approx(below + above, rel=1e-6)
    np.testing.assert_allclose(gaussian_crps(mean, 1e-9, truth), np.abs(truth - mean), atol=1e-8)


def test_interval_coverage_of_a_calibrated_forecast():
    rng = np.random.default_rng(10)
    std = rng.uniform(0.005, 0.03, 4000)
    truth = std * rng.normal(size=4000)
    for level in (0.8, 0.95):
        hits = interval_hits(0.0, std, truth, level)
        assert hits.dtype == bool and abs(interval_coverage(0.0, std, truth, level) - level) < 0.02
        assert coverage_test(hits, level) > 0.01
        assert coverage_test(interval_hits(0.0, std / 2, truth, level), level) < 1e-6  # too narrow
    assert interval_hits(0.0, 1.0, [stats.norm.ppf(0.9)], 0.8)[0]  # the bound counts as inside
    assert coverage_test([1, 1, 0, 1], 0.8) == pytest.approx(stats.binomtest(3, 4, 0.8).pvalue)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [(lambda: gaussian_nll(0.0, [1.0, 0.0], [1.0, 2.0]), ValueError, "std must be positive"),
     (lambda: gaussian_crps([0.0, 1.0, 2.0], 1.0, [1.0, 2.0]), ValueError, "mean must be one number"),
     (lambda: gaussian_crps(0.0, 1.0, []), ValueError, "truth"),
     (lambda: interval_hits(0.0, 1.0, [1.0], 95), ValueError, "level"),
     (lambda: interval_coverage(0.0, 1.0, [1.0], "95%"), ArgumentTypeError, "level"),
     (lambda: coverage_test([0.5, 1.0], 0.95), ValueError, "True/False"),
     (lambda: coverage_test([], 0.95), ValueError, "hits")],
)
def test_probabilistic_scores_refuse_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


# --- on the lesson's data ------------------------------------------------------------------------------------


def test_baselines_on_the_sp500_periods():
    from utils.forecasting import return_forecast, sp500_periods

    _, log_return, periods = sp500_periods()
    returns = {name: log_return.loc[part.index].to_numpy() for name, part in periods.items()}
    setup = return_forecast(returns, periods["test"], window=20)
    predicted, alpha = ridge_forecast(*setup.windows["train"], *setup.windows["validation"], setup.windows["test"][0])
    ar = autoreg_forecast(returns["train"], returns["test"], lags=20)
    assert predicted.shape == ar.shape == setup.truth.shape and alpha in ALPHAS
    first = len(returns["train"]) + len(returns["validation"])
    garch, params = garch_variance_forecasts(log_return, first)
    ewma = ewma_variance_forecasts(log_return, first)
    assert garch.shape == ewma.shape == (len(returns["test"]),)
    assert 0.9 < params["alpha[1]"] + params["beta[1]"] < 1
    assert 0.3 < np.median(garch / ewma) < 3  # two estimates of the same variance, same units
