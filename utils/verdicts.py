"""The course's one noise rule: is model A better than model B, equivalent to it, or can we not tell?

A lesson measures each model with several seeds and scores every seed on the same test items (reviews,
held-out sequences, days). Two kinds of luck move the gap between two models' mean scores:

* **training luck** — another seed gives other initial weights and another batch order. Its size is the
  variance of the per-seed scores of each model, ``s_a² / n_a + s_b² / n_b``;
* **test-set luck** — another test set of the same size would give other scores. Both models are scored on
  the *same* items, so what matters is how much the per-item *difference* varies: ``var(d_i) / N`` for ``N``
  items, where ``d_i`` is A's outcome on item ``i`` minus B's (each averaged over seeds). For a daily series
  the days are not independent, so this term uses a Newey–West (autocorrelation-robust) variance, as the
  Diebold–Mariano test does.

The 95% interval of the gap is ``gap ± t · sqrt(sum of the terms)``, with Student's ``t`` at the
Welch–Satterthwaite degrees of freedom of the sum (few seeds -> few degrees of freedom -> a wide interval).
Four outcomes, in words a learner can use:

* **A better** / **B better** — the interval excludes 0 (after Holm's correction over the comparisons that
  answer one part of a claim together, see :data:`FAMILY_RULE` and :func:`correct`);
* **equivalent within ±margin** — the interval lies inside a practical margin stated for the metric
  (``MARGINS``), so any difference left is too small to matter;
* **not decided** — the interval is too wide for either. This is *not* a tie: more seeds or more test items
  could decide it.

A model measured once has no training-luck estimate; it is not decided against anything unless the seeds of
the same model, data and budget were measured elsewhere and are passed in (``seed_runs``). Exact quantities
(parameter counts) and deterministic baselines (TF-IDF, persistence) are passed with ``exact=`` and carry no
training luck. How often the rule is fooled, and how large a gap it can see, is measured by simulation in
``tests/test_verdicts_calibration.py`` and shown in appendix A1.

A claim is decided in parts (:func:`combine`): each part's verdict is "holds", "does not hold", "partly holds",
"not decided", "not tried" where the lesson never measured what the part asks (a distance not run because the
model had already failed a shorter one), or "not comparable" where what the part states belongs to another set-up
(an amount from another budget or model, a figure that cannot be per-character); nothing is decided on a value
filled in for a run that was not made.

>>> c = compare([0.875, 0.868, 0.879], [0.876, 0.872, 0.880], names=("lstm", "gru"))
>>> c.outcome, c.better
('not decided', None)
"""

import math
from dataclasses import dataclass, replace

import numpy as np

from utils.checks import ArgumentTypeError, describe, flag, is_real, numeric_array

VERDICTS = ("holds", "does not hold", "partly holds", "not decided")  # a claim's verdict
NOT_TRIED = "not tried"  # a part's verdict when nothing it asks was measured; a claim's verdict is never this
# a part's verdict when what it states was measured on another set-up or is no measurement of this kind at all
# (an amount from a different budget or model, a figure that cannot be per-character): shown, never a vote
NOT_COMPARABLE = "not comparable"
PART_VERDICTS = VERDICTS + (NOT_TRIED, NOT_COMPARABLE)
LEGACY = {"depends": "not decided"}  # the older name of "not decided", still read from stored results
OUTCOMES = ("A better", "B better", "equivalent", "not decided")
LEVEL = 0.95

# Practical-equivalence margins per metric: differences smaller than these do not matter for the lessons'
# questions. Each lesson that uses one says why when it first applies it.
MARGINS = {
    "accuracy": 0.01,  # one review in a hundred: below what a user of a sentiment model would notice
    "nats_per_char": 0.02,  # about 0.03 bits/char, 2% in perplexity at ~1.5 nats/char
    "mse_ratio": 0.01,  # 1% of persistence's squared error
    "share": 0.05,  # five percentage points of solved sequences or tokens
    "speed_ratio": 0.05,  # 5% of throughput, inside the run-to-run drift of a shared machine
    "memory_mb": 20.0,  # 20 MB of training memory
}

FAMILY_RULE = (
    "one family per claim part: the comparisons that together answer one part (one sentence of the claim, on one "
    "set-up) are corrected together, and nothing else"
)

NOISE_RULE = (
    "a gap counts when its 95% interval, which adds the seed-to-seed variance of both models to the sampling "
    "noise of the test items they share (paired), excludes zero (Holm-corrected within its family: " + FAMILY_RULE
    + "); it is 'equivalent' when the interval lies inside the metric's practical margin; otherwise it is not "
    "decided"
)


def _values(values, name):
    """A list of finite floats from one number or a sequence of numbers (a NumPy array or a tensor too)."""
    if isinstance(values, np.ndarray) or callable(getattr(values, "numpy", None)):
        values = np.asarray(values)  # a 0-d array or tensor is one number, a 1-D one a list of them
        if values.ndim > 1:
            raise ValueError(f"{name} must be one number or a 1-D list of numbers (one per seed), got shape "
                             f"{values.shape}; for per-item outcomes use items=")
        values = values.reshape(-1).tolist()
    if is_real(values):
        values = [values]
    if values is None or isinstance(values, str | bytes | dict) or not hasattr(values, "__iter__"):
        raise ArgumentTypeError(f"{name} must be a number or a list of numbers, got {describe(values)}")
    values = list(values)
    wrong = [v for v in values if not is_real(v)]
    if wrong:
        raise ArgumentTypeError(f"{name} must hold numbers only, got {describe(wrong[0])} among them")
    out = [float(v) for v in values]
    if not out:
        raise ValueError(f"{name} is empty: pass at least one measured value")
    bad = [v for v in out if not math.isfinite(v)]
    if bad:
        raise ValueError(f"{name} holds non-finite values {bad}: measure again or leave that run out")
    return out


def spread(values) -> float:
    """Range (max − min) of repeated measurements; 0.0 for a single value."""
    out = _values(values, "values")
    return max(out) - min(out)


def mean(values) -> float:
    out = _values(values, "values")
    return sum(out) / len(out)


def _items(items, name, n_seeds):
    """Per-item outcomes as a ``[rows, N]`` float array (one row per seed, or one row for an exact side)."""
    if items is None:
        return None
    array = np.asarray(items, dtype="float64") if not isinstance(items, str | bytes | dict) else None
    if array is None or array.dtype.kind not in "fiu" or array.ndim not in (1, 2) or array.size == 0:
        raise ArgumentTypeError(f"{name} must be a [seeds, items] or [items] array of numbers, got {describe(items)}")
    array = array[None, :] if array.ndim == 1 else array
    if not np.isfinite(array).all():
        raise ValueError(f"{name} holds non-finite outcomes: leave those items out of both sides")
    if array.shape[0] not in (1, n_seeds):
        raise ValueError(f"{name} has {array.shape[0]} rows; want one per seed ({n_seeds}) or one")
    if array.shape[1] < 2:
        raise ValueError(f"{name} must hold at least two items")
    return array


def newey_west_variance(d) -> float:
    """Variance of the mean of a series ``d`` with a Newey–West (Bartlett) long-run variance.

    The lag is ``floor(4 (N / 100) ** (2 / 9))``, the usual automatic choice; this is the variance behind the
    Diebold–Mariano test of two forecasts' loss differential, computed by statsmodels' HAC estimator.
    """
    import statsmodels.api as sm

    d = numeric_array(d, "d")
    if d.ndim != 1 or len(d) < 2:
        raise ValueError(f"d must be a 1-D series of at least two values (one per day), got shape {d.shape}")
    lags = int(4 * (len(d) / 100) ** (2 / 9))
    fit = sm.OLS(d, np.ones((len(d), 1))).fit(cov_type="HAC", cov_kwds={"maxlags": lags})
    return float(fit.bse[0] ** 2)


@dataclass(frozen=True)
class Comparison:
    """The outcome of :func:`compare`: the means, the 95% interval of their gap, and what follows."""

    name_a: str
    name_b: str
    mean_a: float
    mean_b: float
    higher_is_better: bool
    low: float | None  # the interval of mean_a - mean_b; None when it cannot be computed
    high: float | None
    p_value: float | None  # two-sided, for "no difference" (after correction when corrected)
    outcome: str  # one of OUTCOMES
    margin: float | None = None
    level: float = LEVEL
    sources: str = ""  # what the interval counts, e.g. "3 vs 3 seeds + 2,491 paired items"
    reason: str = ""  # why it is not decided, when that is not just a wide interval
    family: int = 1  # number of comparisons corrected together
    noise_kind: str = ""
    se: float | None = None  # standard error of the gap
    df: float | None = None  # its Welch-Satterthwaite degrees of freedom
    test: str = "t"  # "t": the interval above; "fisher": counts of successes, Fisher's exact test (no interval)
    n_runs: tuple | None = None  # (runs of A, runs of B) behind counts (Fisher's test)

    @property
    def difference(self) -> float:
        """mean_a - mean_b (signed)."""
        return self.mean_a - self.mean_b

    @property
    def gap(self) -> float:
        """|mean_a - mean_b|."""
        return abs(self.mean_a - self.mean_b)

    @property
    def noise(self) -> float | None:
        """Half the width of the interval: how far the gap could move by luck alone (None if not measured)."""
        return None if self.low is None else (self.high - self.low) / 2

    @property
    def better(self) -> str | None:
        """The better side's name when one is decided better, else None."""
        return {"A better": self.name_a, "B better": self.name_b}.get(self.outcome)

    @property
    def counts(self) -> bool:
        """True when one side is decided better."""
        return self.better is not None

    @property
    def equivalent(self) -> bool:
        return self.outcome == "equivalent"

    @property
    def verdict(self) -> str:
        """The outcome in words: 'lstm better', 'equivalent within ±0.010', 'not decided'."""
        if self.better:
            return f"{self.better} better"
        if self.equivalent:
            return "equal (exact)" if self.margin is None else f"equivalent within ±{self.margin:g}"
        return "not decided"

    def describe(self, digits: int = 3) -> str:
        """One line for a lesson: the means, the gap, its interval, what it counts, and the outcome."""
        head = f"{self.name_a} {self.mean_a:.{digits}f} vs {self.name_b} {self.mean_b:.{digits}f}"
        gap = f"gap {self.difference:+.{digits}f}"
        if self.test == "fisher":
            holm = f", Holm over {self.family}" if self.family > 1 else ""
            return (f"{head}: {self.sources}, Fisher's exact test p = {self.p_value:.3f}{holm} "
                    f"-> {self.verdict}")
        if self.low is None:
            return f"{head}: {gap}; {self.reason} -> not decided"
        level = f"{self.level:.0%}" + (f", Holm over {self.family}" if self.family > 1 else "")
        interval = f"[{self.low:+.{digits}f}, {self.high:+.{digits}f}]"
        return f"{head}: {gap}, {level} interval {interval} ({self.sources}) -> {self.verdict}"

    def detectable_gap(self, power: float = 0.8) -> float | None:
        """About the smallest true gap this design would find ``power`` of the time (None without an interval).

        For an interval: its half-width plus ``t(power)`` standard errors, at the interval's degrees of freedom
        (a gap that large lands outside the interval's reach of zero ``power`` of the time). For counts (Fisher's
        test): the smallest difference in shares between A's and B's runs that the test could decide at all.
        """
        if isinstance(power, bool) or not is_real(power) or not 0.5 <= float(power) < 1:
            raise ValueError(f"power must be a probability between 0.5 and 1, got {describe(power)}")
        if self.test == "fisher":
            return _smallest_decidable_share(*self.n_runs, 1 - self.level, self.family) if self.n_runs else None
        if self.low is None or not self.se:
            return None
        from scipy import stats

        return float(self.noise + stats.t.ppf(float(power), self.df) * self.se)

    def as_ratio(self, unit: str = "", digits: int = 2) -> str:
        """:meth:`describe` for a comparison made on the log scale (``compare(log(a), log(b))``, e.g. of
        throughputs), said as ratios: ``exp`` of the gap and of its interval's ends, and the geometric means.
        "simple_rnn 1.27x the samples/s of gru (geometric means 5,230 vs 4,120 samples/s), 95% interval [1.23x,
        1.31x] (5 repeats of simple_rnn, 5 repeats of gru) -> simple_rnn better". The decision stays the one made on
        the log scale; a log margin ``m`` reads as "within exp(m)x either way" (1.05x for log(1.05))."""
        if not isinstance(unit, str):
            raise ArgumentTypeError(f"unit must be a string such as 'samples/s', got {describe(unit)}")
        if isinstance(digits, bool) or not isinstance(digits, int) or digits < 0:
            raise ValueError(f"digits must be a whole number >= 0, got {describe(digits)}")
        if self.test == "fisher":
            raise ValueError("as_ratio reads a gap of logarithms: counts (compare_counts) have no ratio to show")
        of = f" the {unit} of " if unit else " that of "
        head = f"{self.name_a} {math.exp(self.difference):.{digits}f}x{of}{self.name_b}"
        means = f" (geometric means {_sig(math.exp(self.mean_a))} vs {_sig(math.exp(self.mean_b))}" \
                f"{' ' + unit if unit else ''})"
        if self.low is None:
            return f"{head}{means}; {self.reason} -> not decided"
        level = f"{self.level:.0%}" + (f", Holm over {self.family}" if self.family > 1 else "")
        interval = f"[{math.exp(self.low):.{digits}f}x, {math.exp(self.high):.{digits}f}x]"
        verdict = self.verdict
        if self.equivalent and self.margin is not None:
            verdict = f"equivalent within {math.exp(self.margin):.{digits}f}x either way"
        return f"{head}{means}, {level} interval {interval} ({self.sources}) -> {verdict}"

    def in_words(self, meaning: str = "better", digits: int = 3) -> str:
        """The outcome as a lesson says it: who is ahead and why, or why it is not decided and what this design
        can see. ``meaning`` replaces "better" where a higher number means something else ("keeps more")."""
        level = f"{self.level:.0%} interval"
        interval = "" if self.low is None else f"[{self.low:+.{digits}f}, {self.high:+.{digits}f}]"
        if self.test == "fisher":
            if self.better:
                return f"{self.better} {meaning}: counts {self.sources} this uneven are rare by luck alone"
            seen = self.detectable_gap()
            return (f"not decided: counts {self.sources} could be luck; with these runs only a difference of "
                    f"{seen:.0%} of the runs or more could be decided" if seen else f"not decided: {self.sources}")
        if self.low is None:
            return f"not decided: {self.reason}"
        if self.better:
            return f"{self.better} {meaning}: the {level} of the gap, {interval}, excludes zero"
        if self.equivalent:
            return f"equivalent: the {level} of the gap, {interval}, lies inside the margin ±{self.margin:g}"
        seen = self.detectable_gap()
        return (f"not decided: the {level} of the gap, {interval}, is too wide; this design sees gaps of about "
                f"{seen:.{digits}f}" if seen else f"not decided: the {level} of the gap is {interval}")

    def __str__(self) -> str:
        return self.describe()


def _sig(x: float, digits: int = 3) -> str:
    """``x`` to ``digits`` significant digits, with thousands separators: 10716.5 -> '10,700', 51.18 -> '51.2'."""
    rounded = float(f"{x:.{digits}g}")
    return f"{rounded:,.0f}" if abs(rounded) >= 10 ** (digits - 1) else f"{rounded:g}"


def _smallest_decidable_share(n_a: int, n_b: int, alpha: float, family: int = 1) -> float | None:
    """The smallest |k_a / n_a - k_b / n_b| for which Fisher's exact test gives p < alpha / family, or None."""
    from scipy import stats

    best = None
    for k_a in range(n_a + 1):
        for k_b in range(n_b + 1):
            share = abs(k_a / n_a - k_b / n_b)
            if share and (best is None or share < best):
                if stats.fisher_exact([[k_a, n_a - k_a], [k_b, n_b - k_b]]).pvalue < alpha / family:
                    best = share
    return best


def _decide(difference, low, high, p, higher_is_better, margin, alpha):
    if low is not None and p is not None and p < alpha:
        a_ahead = (difference > 0) == higher_is_better
        return "A better" if a_ahead else "B better"
    if margin is not None and low is not None and -margin <= low and high <= margin:
        return "equivalent"
    return "not decided"


def _pair_names(names):
    if not (isinstance(names, tuple | list) and len(names) == 2 and all(isinstance(n, str) for n in names)):
        raise TypeError(f"names must be two strings, got {names!r}")
    return tuple(names)


def _flags(value, name):
    if isinstance(value, bool | np.bool_):
        return (bool(value), bool(value))
    if isinstance(value, tuple | list) and len(value) == 2 and all(isinstance(v, bool | np.bool_) for v in value):
        return tuple(bool(v) for v in value)
    raise TypeError(f"{name} must be True/False or a pair of them (one per side), got {value!r}")


def paired(items_a, items_b):
    """``(items_a, items_b)`` for ``compare(items=...)`` when both sides have per-item outcomes, else None (the
    comparison then counts no pairing, and says so)."""
    return None if items_a is None or items_b is None else (items_a, items_b)


def compare(a, b, *, names=("A", "B"), higher_is_better=True, items=None, exact=False, seed_runs=None,
            series=False, margin=None, level=LEVEL, runs="seeds", noise=None, noise_kind=None) -> Comparison:
    """Decide A against B by the noise rule (see the module's docstring).

    ``a``, ``b``: each model's score per seed (a list), or one number.
    ``items``: optional pair ``(items_a, items_b)`` of per-item outcomes on the *same* test items, each
    ``[seeds, N]`` (rows in the order of ``a``/``b``) or ``[N]``; their seed-averaged difference gives the
    test-sampling term. Use outcomes whose mean is the score (correct 0/1 for accuracy, loss per sequence for a
    mean loss, squared error per day for an MSE). Without them the interval counts training luck only, and
    :attr:`Comparison.sources` says so.
    ``exact``: True for a side (or ``(flag_a, flag_b)``) that has no training luck — a deterministic baseline,
    a parameter count. ``seed_runs``: ``(runs_a, runs_b)``, per-seed scores of the *same* model, data and budget
    measured elsewhere, for a side measured once here. ``series=True``: the items are consecutive days (an
    autocorrelation-robust variance). ``margin``: the practical-equivalence margin (a number or a key of
    ``MARGINS``). ``runs`` names the repeated measurements in the description ("seeds", "repeats" of a timing,
    "seeds, each on fresh test sequences" where every seed drew its own test set, so its variance holds the
    test-set luck too); only with plain "seeds" does a missing ``items`` get noted. ``noise=0.0`` is the old
    spelling of ``exact=True``; any other ``noise`` (a spread of another set-up) is not accepted as a seed
    variance, and a one-run side then stays not decided.
    """
    from scipy import stats

    names = _pair_names(names)
    va, vb = _values(a, names[0]), _values(b, names[1])
    higher_is_better = flag(higher_is_better, "higher_is_better")
    series = flag(series, "series")
    if not isinstance(runs, str) or not runs.strip():
        raise ArgumentTypeError(f"runs must name the repeated measurements, e.g. 'seeds' or 'repeats', got "
                                f"{describe(runs)}")
    if noise_kind is not None and not isinstance(noise_kind, str):
        raise ArgumentTypeError(f"noise_kind must be None or a string, got {describe(noise_kind)}")
    if not (is_real(level) and 0.5 <= level < 1):
        raise ValueError(f"level must be a confidence level between 0.5 and 1, got {describe(level)}")
    if isinstance(margin, str):
        if margin not in MARGINS:
            raise ValueError(f"margin must be a number or one of {sorted(MARGINS)}, got {margin!r}")
        margin = MARGINS[margin]
    if margin is not None and (not is_real(margin) or not math.isfinite(margin) or margin <= 0):
        raise ValueError(f"margin must be a positive number, got {describe(margin)}")
    exact = _flags(exact, "exact")
    if noise is not None:
        if not is_real(noise) or not math.isfinite(noise) or noise < 0:
            raise ValueError(f"noise must be a finite number >= 0, got {describe(noise)}")
        if noise == 0:
            exact = (True, True)
    seed_runs = (None, None) if seed_runs is None else seed_runs
    if not (isinstance(seed_runs, tuple | list) and len(seed_runs) == 2):
        raise TypeError(f"seed_runs must be a pair (runs_a, runs_b), each None or a list, got {seed_runs!r}")
    seed_runs = [None if r is None else _values(r, f"seed_runs of {n}") for r, n in zip(seed_runs, names)]
    pair_items = (None, None) if items is None else items
    if not (isinstance(pair_items, tuple | list) and len(pair_items) == 2):
        raise TypeError("items must be a pair (items_a, items_b)")
    ia, ib = (_items(i, f"items of {n}", len(v)) for i, n, v in zip(pair_items, names, (va, vb)))
    if (ia is None) != (ib is None):
        raise ValueError("items must be given for both sides (the same test items) or for neither")
    if ia is not None and ia.shape[1] != ib.shape[1]:
        raise ValueError(f"both sides must be scored on the same items: {ia.shape[1]} vs {ib.shape[1]}")

    mean_a, mean_b = float(np.mean(va)), float(np.mean(vb))
    difference = mean_a - mean_b
    terms, parts = [], []  # (variance, degrees of freedom); words for `sources`
    once = []
    for values, is_exact, others, name in zip((va, vb), exact, seed_runs, names):
        if is_exact:
            parts.append(f"{name} exact")
        elif len(values) > 1:
            terms.append((float(np.var(values, ddof=1)) / len(values), len(values) - 1))
            parts.append(f"{len(values)} {runs} of {name}")
        elif others is not None and len(others) > 1:
            terms.append((float(np.var(others, ddof=1)), len(others) - 1))
            parts.append(f"{name} once, its seed variance from {len(others)} other runs")
        else:
            once.append(name)
    base = dict(name_a=names[0], name_b=names[1], mean_a=mean_a, mean_b=mean_b, higher_is_better=higher_is_better,
                margin=margin, level=float(level), noise_kind=noise_kind or "")
    if once:
        why = (f"{' and '.join(once)} measured once, with no seed variance of the same set-up"
               + (" (a spread of another set-up does not count)" if noise else ""))
        return Comparison(low=None, high=None, p_value=None, outcome="not decided", reason=why, **base)
    if ia is not None:
        d = ia.mean(axis=0) - ib.mean(axis=0)
        n_items = len(d)
        item_var = newey_west_variance(d) if series else float(np.var(d, ddof=1)) / n_items
        terms.append((item_var, n_items - 1))
        parts.append(f"{n_items:,} paired {'days' if series else 'items'}")
    elif not all(exact) and runs == "seeds":
        parts.append("test items not counted")
    variance = sum(v for v, _ in terms)
    if variance <= 0:  # exact on both sides, or identical measurements: the gap is what it is
        outcome = "equivalent" if difference == 0 else ("A better" if (difference > 0) == higher_is_better
                                                        else "B better")
        return Comparison(low=difference, high=difference, p_value=0.0 if difference else 1.0, outcome=outcome,
                          sources=", ".join(parts), se=0.0, df=math.inf, **base)
    df = variance ** 2 / sum(v ** 2 / k for v, k in terms if v > 0)
    se = math.sqrt(variance)
    t = float(stats.t.ppf(0.5 + level / 2, df))
    p = float(2 * stats.t.sf(abs(difference) / se, df))
    low, high = difference - t * se, difference + t * se
    outcome = _decide(difference, low, high, p, higher_is_better, margin, 1 - level)
    return Comparison(low=low, high=high, p_value=p, outcome=outcome, sources=", ".join(parts), se=se, df=df,
                      **base)


def compare_change(after, before, *, names=("after", "before"), higher_is_better=True, margin=None,
                   level=LEVEL) -> Comparison:
    """Decide whether a change to the *same* trained models (quantising them, pruning them) moved their score.

    ``after`` and ``before``: per-item outcomes ``[seeds, N]`` of each seed's model after and before the change,
    row ``k`` of both from the same seed, scored on the same ``N`` items. Both kinds of luck are paired away as
    far as they can be: each seed is its own control, so the training term is the spread of the per-seed changes
    (not of the scores, which differ far more from seed to seed than a small change does), and the test term is
    the spread of the per-item changes. Returns :func:`compare`'s outcome for the mean change against no change:
    named ``"<after> - <before>"`` against ``"no change"``; with ``margin`` (a number or a key of ``MARGINS``),
    "equivalent" says the change is smaller than the margin, whichever way it goes.
    """
    names = _pair_names(names)
    for x, n in ((after, "after"), (before, "before")):
        if x is None:
            raise ArgumentTypeError(f"{n} must be per-item outcomes [seeds, N], got None")
    a, b = (_items(x, f"outcomes {n}", len(np.atleast_2d(x)) if not isinstance(x, str | bytes | dict) else 0)
            for x, n in zip((after, before), names))
    if a.shape != b.shape:
        raise ValueError(f"after and before must be per-item outcomes of the same seeds and items, [seeds, N] "
                         f"each, got shapes {a.shape} and {b.shape}")
    change = a - b
    per_seed = change.mean(axis=1).tolist()
    return compare(per_seed, [0.0], names=(f"{names[0]} - {names[1]}", "no change"),
                   higher_is_better=higher_is_better, exact=(False, True), margin=margin, level=level,
                   items=(change, np.zeros(change.shape[1])))


def compare_counts(a, b, *, names=("A", "B"), level=LEVEL, runs="seeds", what="solved") -> Comparison:
    """Decide A against B on counts of successes, ``a = (successes, runs)``: Fisher's exact test.

    For all-or-nothing outcomes — a seed solves a task or it does not — a mean and its t-interval say little
    (a side whose seeds all agree has no measured spread at all). Fisher's exact test asks how likely counts at
    least this different are when both sides succeed equally often, with no approximation: 5/5 against 0/5
    gives p = 0.008, 5/5 against 1/5 p = 0.048, 5/5 against 2/5 p = 0.17. The outcome is "A better"/"B better"
    when p < 1 - level (after Holm's correction when :func:`correct` gets several), else "not decided". Counts
    this small never show equivalence: 5/5 against 5/5 is "not decided" too.
    """
    from scipy import stats

    names = _pair_names(names)
    (ka, na), (kb, nb) = (_count(x, n) for x, n in zip((a, b), names))
    for label, value in (("runs", runs), ("what", what)):
        if not isinstance(value, str) or not value.strip():
            raise ArgumentTypeError(f"{label} must be a word for the description (e.g. 'seeds', 'solved'), got "
                                    f"{describe(value)}")
    if not (is_real(level) and 0.5 <= level < 1):
        raise ValueError(f"level must be a confidence level between 0.5 and 1, got {describe(level)}")
    p = float(stats.fisher_exact([[ka, na - ka], [kb, nb - kb]]).pvalue)
    difference = ka / na - kb / nb
    outcome = "not decided" if p >= 1 - level or difference == 0 else (
        "A better" if difference > 0 else "B better")
    return Comparison(name_a=names[0], name_b=names[1], mean_a=ka / na, mean_b=kb / nb, higher_is_better=True,
                      low=None, high=None, p_value=min(p, 1.0), outcome=outcome, level=float(level),
                      sources=f"{ka}/{na} vs {kb}/{nb} {runs} {what}", test="fisher",
                      reason="counts: no interval", n_runs=(na, nb))


def _count(value, name):
    if (isinstance(value, tuple | list) and len(value) == 2 and all(isinstance(v, int | np.integer)
                                                                  and not isinstance(v, bool) for v in value)):
        k, n = (int(v) for v in value)
        if n >= 1 and 0 <= k <= n:
            return k, n
    raise ValueError(f"{name} must be a pair (successes, runs) of whole numbers with 0 <= successes <= runs "
                     f"and runs >= 1, got {describe(value)}")


def correct(comparisons) -> list:
    """Holm's correction over one family of comparisons.

    Which comparisons form a family is the course's one rule (:data:`FAMILY_RULE`, the same everywhere): one
    family per claim part: the comparisons that together answer one part (one sentence of the claim, on one
    set-up) are corrected together, and nothing else. Separate parts, or parts of separate claims, are separate
    families, each fooled at most ``1 - level`` of the time.

    Holm's step-down procedure: order the comparisons by p-value; the k-th smallest (k = 1, 2, ...) is decided
    when its p-value is at most ``alpha / (m - k + 1)`` and all before it were decided. Each comparison keeps its
    gap; its p-value becomes Holm's adjusted one and its interval is drawn at the level its step used (the step
    where the procedure stopped, for those it did not decide), so interval and outcome always agree. The family
    is then fooled at most ``1 - level`` of the time. Comparisons that cannot be decided stay as they are.
    """
    from scipy import stats
    from statsmodels.stats.multitest import multipletests

    if isinstance(comparisons, Comparison) or not hasattr(comparisons, "__iter__"):
        raise ArgumentTypeError(f"correct takes a list of Comparison objects from compare(), got "
                                f"{describe(comparisons)}")
    comparisons = list(comparisons)
    if not all(isinstance(c, Comparison) for c in comparisons):
        raise ArgumentTypeError("correct takes a list of Comparison objects from compare()")
    levels = sorted({c.level for c in comparisons})
    if len(levels) > 1:
        raise ValueError(f"the comparisons have different confidence levels {levels}: Holm's correction keeps one "
                         "family-wide level; compare them all at the same level")
    decidable = [i for i, c in enumerate(comparisons) if c.p_value is not None and (c.se or c.test == "fisher")]
    m = len(decidable)
    if m < 2:
        return comparisons
    alpha = 1 - comparisons[decidable[0]].level
    adjusted = multipletests([comparisons[i].p_value for i in decidable], alpha=alpha, method="holm")[1]
    order = sorted(range(m), key=lambda j: comparisons[decidable[j]].p_value)
    out, stopped = list(comparisons), None
    for rank, j in enumerate(order):
        if stopped is None and adjusted[j] > alpha:
            stopped = rank
        step_alpha = alpha / (m - (rank if stopped is None else stopped))
        i = decidable[j]
        c = comparisons[i]
        if c.test == "fisher":  # no interval: decided by the adjusted p-value alone
            outcome = "not decided" if adjusted[j] > alpha else (
                "A better" if (c.difference > 0) == c.higher_is_better else "B better")
            out[i] = replace(c, p_value=float(adjusted[j]), outcome=outcome, family=m)
            continue
        half = float(stats.t.ppf(1 - step_alpha / 2, c.df)) * c.se
        low, high = c.difference - half, c.difference + half
        outcome = _decide(c.difference, low, high, float(adjusted[j]), c.higher_is_better, c.margin, alpha)
        out[i] = replace(c, low=low, high=high, p_value=float(adjusted[j]), outcome=outcome, family=m)
    return out


def ordering(values: dict, claimed: list, *, higher_is_better=True, noise=None, exact=False, items=None,
             margin=None, series=False) -> dict:
    """Check a claimed order ``[best, ..., worst]`` pair by pair, Holm-corrected over the pairs.

    ``values`` maps each name to one value or a list of repeats (``items`` likewise to per-item outcomes).
    Each adjacent pair's outcome is ``"as claimed"``, ``"reversed"``, ``"equivalent"`` or ``"not decided"``;
    the verdict is :func:`combine`'s of the pairs' verdicts (as claimed: holds; reversed or equivalent: does
    not hold; not decided): "holds" when every pair is as claimed, "partly holds" when some are and others are
    not (decided otherwise, or not decided), "does not hold" when none is and at least one is reversed or
    equivalent, "not decided" when none is decided.
    """
    if not isinstance(values, dict):
        raise TypeError(f"values must be a dict of name -> measurement(s), got {type(values).__name__}")
    if not isinstance(claimed, list | tuple) or len(claimed) < 2:
        raise ValueError(f"claimed must list at least two names, best first, got {claimed!r}")
    missing = [name for name in claimed if name not in values]
    if missing:
        raise ValueError(f"claimed order names {missing}, which are not among the measured {sorted(values)}")
    if items is not None:
        if not isinstance(items, dict):
            raise ArgumentTypeError(f"items must be None or a dict of name -> per-item outcomes, got {describe(items)}")
        missing = [name for name in claimed if name not in items]
        if missing:
            raise ValueError(f"items has no per-item outcomes of {missing}: give them for every name in claimed, "
                             "or items=None")
    pairs = list(zip(claimed, claimed[1:]))
    comparisons = correct([compare(values[x], values[y], names=(x, y), higher_is_better=higher_is_better,
                                   noise=noise, exact=exact, margin=margin, series=series,
                                   items=None if items is None else (items[x], items[y])) for x, y in pairs])
    rows = []
    for (first, _), c in zip(pairs, comparisons):
        outcome = ("as claimed" if c.better == first else "reversed" if c.better else
                   "equivalent" if c.equivalent else "not decided")
        rows.append({"pair": f"{c.name_a} vs {c.name_b}", "outcome": outcome, "comparison": c})
    verdict = combine(["holds" if r["outcome"] == "as claimed" else "not decided" if r["outcome"] == "not decided"
                       else "does not hold" for r in rows])
    return {"verdict": verdict, "pairs": rows}


def combine(verdicts) -> str:
    """One verdict for a claim (or a part) from the verdicts of its parts (a claim is all its parts together).

    Parts "not tried" (nothing they ask was measured) and "not comparable" (what they state belongs to another set-up)
    do not vote, nor do context parts (left out by the caller).
    Of the parts that vote:

    * none -> "not decided";
    * all "holds" -> "holds"; all "does not hold" -> "does not hold"; all "not decided" -> "not decided"
      (all "partly holds" -> "partly holds");
    * at least one "holds" (or "partly holds") and at least one other verdict -> "partly holds";
    * "does not hold" with "not decided", and no part that holds -> "does not hold" (what was decided refutes
      the claim).

    The older name "depends" reads as "not decided". The result is never "not tried".
    """
    if isinstance(verdicts, str) or not hasattr(verdicts, "__iter__"):
        raise ArgumentTypeError(f"combine takes a list of verdicts, e.g. ['holds', 'not decided'], got "
                                f"{describe(verdicts)}")
    parts = [LEGACY.get(v, v) if isinstance(v, str) else v for v in verdicts]
    for v in parts:
        _check_verdict(v, PART_VERDICTS)
    if not parts:
        raise ValueError("combine needs at least one verdict")
    voting = [p for p in parts if p not in (NOT_TRIED, NOT_COMPARABLE)]
    if not voting:
        return "not decided"
    if len(set(voting)) == 1:
        return voting[0]
    if {"holds", "partly holds"} & set(voting):
        return "partly holds"
    return "does not hold"  # "does not hold" with "not decided"


def _check_verdict(verdict, allowed=VERDICTS):
    if not isinstance(verdict, str) or verdict not in allowed:
        raise ValueError(f"verdict must be one of {allowed}, got {verdict!r}")


def claim(claim_text: str, verdict: str, evidence: str, lesson: str) -> dict:
    """A claim record for ``results/choosing_a_cell.json``: what is often said, the verdict, the numbers, the lesson."""
    verdict = LEGACY.get(verdict, verdict) if isinstance(verdict, str) else verdict
    _check_verdict(verdict)
    for name, value in (("claim_text", claim_text), ("evidence", evidence), ("lesson", lesson)):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    return {"claim": claim_text, "verdict": verdict, "evidence": evidence, "lesson": lesson}
