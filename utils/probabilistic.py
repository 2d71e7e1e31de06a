"""Scoring a forecast that says how unsure it is: a Gaussian ``mean ± std`` per day against what happened.

A point forecast of tomorrow's return is nearly always ~0; a forecast *distribution* — the mean and a standard
deviation, say from a GARCH variance — can still be good or bad. Three ways to score it, per day:

* :func:`gaussian_nll` — the negative log-likelihood of the truth (the log score; lower is better);
* :func:`gaussian_crps` — the continuous ranked probability score, in the units of the truth (lower is better;
  with ``std → 0`` it becomes the absolute error, so it compares with point forecasts);
* :func:`interval_hits` / :func:`interval_coverage` — whether the truth fell inside the central ``level``
  interval, and how often; :func:`coverage_test` asks whether that share is compatible with ``level``.

    std = np.sqrt(garch_variance)                          # utils.volatility
    nll = gaussian_nll(0.0, std, test_returns)             # [days], compare per day with utils.verdicts.compare
    coverage = interval_coverage(0.0, std, test_returns, 0.95)
    p = coverage_test(interval_hits(0.0, std, test_returns, 0.95), 0.95)

``mean`` and ``std`` may be one number (the same forecast every day) or one value per day.
"""

import numpy as np

from utils.checks import ArgumentTypeError, describe, is_real, numeric_array


def _gaussian(mean, std, truth):
    """``(mean, std, truth)`` as float64 ``[days]`` arrays, a scalar mean or std repeated over the days."""
    y = numeric_array(truth, "truth")
    if y.ndim != 1 or len(y) == 0:
        raise ValueError(f"truth must be 1-D with one value per day, got shape {y.shape}")
    out = []
    for value, name in ((mean, "mean"), (std, "std")):
        array = numeric_array(value, name)
        if array.ndim == 0:
            array = np.full(len(y), float(array))
        if array.shape != y.shape:
            raise ValueError(f"{name} must be one number or one value per day ({len(y)}), got shape {array.shape}")
        out.append(array)
    mu, sigma = out
    if (sigma <= 0).any():
        raise ValueError(f"std must be positive on every day, got {sigma.min():.3g} on day {int(np.argmin(sigma))}; "
                         "a standard deviation is the square root of a variance, not the variance")
    return mu, sigma, y


def gaussian_nll(mean, std, truth):
    """Negative log-likelihood per day of ``truth`` under ``Normal(mean, std²)``, in nats (``[days]``).

    ``0.5 · log(2π · std²) + (truth - mean)² / (2 · std²)``. It rewards a small ``std`` only where the truth
    lands close to the mean: a forecast that is confidently wrong on one day pays a large penalty that day.
    """
    from scipy.stats import norm

    mu, sigma, y = _gaussian(mean, std, truth)
    return -norm.logpdf(y, loc=mu, scale=sigma)


def gaussian_crps(mean, std, truth):
    """CRPS per day of ``Normal(mean, std²)`` against ``truth``, in the units of the truth (``[days]``).

    The closed form (Gneiting and Raftery 2007, "Strictly proper scoring rules, prediction, and estimation",
    JASA 102(477)) with ``z = (truth - mean) / std``::

        CRPS = std · (z · (2 Φ(z) - 1) + 2 φ(z) - 1 / √π)

    It equals ``∫ (F(x) - 1[x ≥ truth])² dx`` for the forecast's distribution function ``F``, and
    ``E|X - truth| - E|X - X'| / 2`` for two independent draws ``X, X'`` of the forecast.
    """
    from scipy.stats import norm

    mu, sigma, y = _gaussian(mean, std, truth)
    z = (y - mu) / sigma
    return sigma * (z * (2 * norm.cdf(z) - 1) + 2 * norm.pdf(z) - 1 / np.sqrt(np.pi))


def _level(level):
    if not is_real(level):
        raise ArgumentTypeError(f"level must be a number between 0 and 1 such as 0.8 or 0.95, got {describe(level)}")
    if not 0 < level < 1:
        raise ValueError(f"level must lie strictly between 0 and 1 (0.95 for a 95% interval), got {level!r}")
    return float(level)


def interval_hits(mean, std, truth, level, *, df=None):
    """Per day, whether ``truth`` lies in the central ``level`` interval ``mean ± z · std`` (bool ``[days]``).

    ``z`` is the standard normal quantile at ``(1 + level) / 2`` (1.28 for 80%, 1.96 for 95%); with ``df`` (> 2)
    it is the quantile of a Student-t with ``df`` degrees of freedom scaled to unit variance, so that ``std`` is
    still the forecast's standard deviation (GARCH with Student-t shocks). The bounds count as inside.
    """
    from scipy.stats import norm
    from scipy.stats import t as student_t

    level = _level(level)
    mu, sigma, y = _gaussian(mean, std, truth)
    if df is None:
        z = norm.ppf(0.5 + level / 2)
    elif is_real(df) and 2 < df < float("inf"):
        z = student_t.ppf(0.5 + level / 2, df) * np.sqrt((df - 2) / df)
    else:
        raise ValueError(f"df must be None (normal) or a number of degrees of freedom above 2, got {describe(df)}")
    return np.abs(y - mu) <= z * sigma


def interval_coverage(mean, std, truth, level):
    """The share of days whose ``truth`` lies in the central ``level`` interval (a float in [0, 1]).

    A well-calibrated forecast covers about ``level`` of the days: much less means the intervals are too narrow
    (overconfident), much more too wide. :func:`coverage_test` says how far from ``level`` is too far.
    """
    return float(np.mean(interval_hits(mean, std, truth, level)))


def coverage_test(hits, level):
    """Two-sided p-value of "the interval covers the truth with probability ``level``", from the hits.

    ``hits``: one bool (or 0/1) per day, as from :func:`interval_hits`. The number of hits is compared with a
    binomial distribution of ``len(hits)`` days and probability ``level`` (``scipy.stats.binomtest``; Kupiec's
    unconditional-coverage test asks the same question). A small p-value (< 0.05) says the coverage is off. The
    test takes the days as independent: misses that come in clusters (a volatile month) make it too ready to
    reject, and whether the misses cluster is not tested here.
    """
    from scipy.stats import binomtest

    level = _level(level)
    array = numeric_array(hits, "hits")
    if array.ndim != 1 or len(array) == 0:
        raise ValueError(f"hits must be 1-D with one True/False per day, got shape {array.shape}")
    if not np.isin(array, (0, 1)).all():
        raise ValueError("hits must hold only True/False (or 1/0): whether each day's truth fell inside the interval")
    return float(binomtest(int(array.sum()), len(array), level).pvalue)
