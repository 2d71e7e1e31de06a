"""How often the noise rule (``utils.verdicts.compare``) is fooled, and how large a gap it sees: by simulation.

Each *design* is one way the lessons compare models. A trial draws a fresh test set and fresh seeds from a
known truth, runs :func:`utils.verdicts.compare` exactly as a lesson would, and records whether it declared a
winner. With no true gap every winner is a false alarm: their share is the rule's false-positive rate, which
should stay at or under 5%. With a true gap the share of correct winners is the rule's power.

    from utils.calibration import DESIGNS, calibration_table
    rows = calibration_table(trials=2000)       # one row per design: false alarms at gap 0, power at its gap

The truths are deliberately like the lessons' data: accuracies near 0.8–0.9 with items of varied difficulty
(both models see the same items), a seed-to-seed standard deviation of one accuracy point, and daily
forecast errors whose volatility clusters, with autocorrelated, heavy-tailed (Student t, 5 degrees of
freedom) shocks that the forecaster and persistence share in part (correlation 0.9: both miss the same day's
move).
"""

from dataclasses import dataclass

import numpy as np

from utils.checks import ArgumentTypeError, describe, is_int, positive_int, real_number, seed_value
from utils.verdicts import compare

__all__ = ["DESIGNS", "Design", "calibration_markdown", "calibration_table", "decision_rate"]


def _accuracy_trial(rng, gap, *, n_a, n_b, items, seed_sd=0.01, exact_b=False, once_a=False):
    """Per-review correct/wrong of two classifiers on the same ``items`` reviews; A is ``gap`` better."""
    difficulty = rng.beta(8, 2, items)  # each review's chance of being classified right, mean 0.8

    def seeds(n, shift):
        luck = rng.normal(0.0, seed_sd, n)[:, None]
        return (rng.random((n, items)) < np.clip(difficulty + shift + luck, 0, 1)).astype("float64")

    a = seeds(n_a, gap)
    b = (rng.random((1, items)) < difficulty).astype("float64") if exact_b else seeds(n_b, 0.0)
    if once_a:  # one run of A here; the seed variance of the same set-up from three other runs
        others = list(a.mean() + rng.normal(0.0, seed_sd, 3))
        return compare(a.mean(1), b.mean(1), items=(a, b), seed_runs=(others, None))
    return compare(a.mean(1), b.mean(1), items=(a, b), exact=(False, exact_b))


def _daily_trial(rng, gap, *, n_a, days, phi=0.3, nu=5, seed_sd=0.01, rho=0.9):
    """Squared errors per day of a forecaster (``n_a`` seeds) and of persistence; A's MSE is ``gap`` lower.

    Both forecasts miss the same day's move, so their errors are correlated (``rho``) — as lesson 07's return
    models and persistence are — and share the day's volatility; shocks are Student t with ``nu`` degrees of
    freedom and autocorrelated (AR(1), ``phi``).
    """
    from scipy.signal import lfilter

    vol = np.exp(lfilter([1.0], [1.0, -0.9], rng.normal(0.0, 0.3, days)))  # log-volatility: AR(1), 0.9

    def shocks(rows):
        return rng.standard_t(nu, (rows, days)) / np.sqrt(nu / (nu - 2))

    def errors(z):  # AR(1) with coefficient phi, scaled by the day's volatility
        return vol * lfilter([np.sqrt(1 - phi ** 2)], [1.0, -phi], z, axis=1)

    common = shocks(1)
    persistence = errors(common) ** 2
    own = rho * common + np.sqrt(1 - rho ** 2) * shocks(n_a)
    scale = np.clip(1 - gap + rng.normal(0.0, seed_sd, (n_a, 1)), 0.01, None)
    model = errors(own) ** 2 * scale
    return compare(model.mean(1), persistence.mean(1), items=(model, persistence), exact=(False, True),
                   series=True, higher_is_better=False)


@dataclass(frozen=True)
class Design:
    name: str
    text: str  # what is compared, in the lessons' words
    trial: object  # function(rng, gap) -> Comparison
    gap: float  # a true gap the lessons meet, for the power column
    gap_text: str


DESIGNS = {d.name: d for d in (
    Design("3 vs 3 seeds", "two models, 3 seeds each, the same 2,491 test reviews",
           lambda rng, gap: _accuracy_trial(rng, gap, n_a=3, n_b=3, items=2491), 0.02, "2 accuracy points"),
    Design("5 vs 5 seeds", "two models, 5 seeds each, the same 1,024 test sequences",
           lambda rng, gap: _accuracy_trial(rng, gap, n_a=5, n_b=5, items=1024), 0.02, "2 accuracy points"),
    Design("3 seeds vs a baseline", "a model with 3 seeds against a deterministic baseline (TF-IDF), 2,491 reviews",
           lambda rng, gap: _accuracy_trial(rng, gap, n_a=3, n_b=1, items=2491, exact_b=True), 0.02,
           "2 accuracy points"),
    Design("one run vs 3 seeds", "a model run once (its seed variance from 3 other runs of it) against 3 seeds",
           lambda rng, gap: _accuracy_trial(rng, gap, n_a=1, n_b=3, items=2491, once_a=True), 0.02,
           "2 accuracy points"),
    Design("daily errors, 126 days", "3 seeds of a forecaster against persistence over half a year of days",
           lambda rng, gap: _daily_trial(rng, gap, n_a=3, days=126), 0.10, "10% lower MSE"),
    Design("daily errors, 734 days", "3 seeds of a forecaster against persistence over three years of days",
           lambda rng, gap: _daily_trial(rng, gap, n_a=3, days=734), 0.10, "10% lower MSE"),
)}


def decision_rate(design, gap=0.0, trials=2000, seed=0) -> dict:
    """Share of ``trials`` in which the rule declared a winner, and in which it declared the right one.

    ``design``: a key of ``DESIGNS`` (or a :class:`Design`). ``gap``: the true advantage of the first model.
    Returns ``{"decided", "right", "trials", "monte_carlo_se"}``; at ``gap=0`` every decision is a false alarm.
    """
    if isinstance(design, str):
        if design not in DESIGNS:
            raise ValueError(f"design must be one of {list(DESIGNS)}, got {design!r}")
        design = DESIGNS[design]
    if not isinstance(design, Design):
        raise ValueError(f"design must be a name in DESIGNS or a Design, got {design!r}")
    gap = real_number(gap, "gap")
    if not -1 < gap < 1:
        raise ValueError(f"gap must be the first model's true advantage, between -1 and 1 (0.02 is two accuracy "
                         f"points, 0.1 a 10% lower MSE), got {gap!r}")
    trials = positive_int(trials, "trials")
    rng = np.random.default_rng(seed_value(seed))
    outcomes = [design.trial(rng, gap).better for _ in range(trials)]
    decided = sum(o is not None for o in outcomes) / trials
    right = sum(o == "A" for o in outcomes) / trials
    return {"decided": decided, "right": right, "trials": trials,
            "monte_carlo_se": float(np.sqrt(max(decided, 0.05) * (1 - max(decided, 0.05)) / trials))}


def _seed(seed) -> int:
    if not is_int(seed) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {describe(seed)}")
    return int(seed)


def calibration_table(trials=2000, seed=0) -> list:
    """One row per design: the false-alarm rate with no true gap, and the power at the design's gap."""
    seed = _seed(seed)  # the power runs use seed + 1
    rows = []
    for design in DESIGNS.values():
        null = decision_rate(design, 0.0, trials, seed)
        power = decision_rate(design, design.gap, trials, seed + 1)
        rows.append({"design": design.name, "what": design.text, "false_alarm_rate": null["decided"],
                     "monte_carlo_se": null["monte_carlo_se"], "gap": design.gap_text, "power": power["right"],
                     "trials": trials})
    return rows


ROW_KEYS = ("design", "what", "false_alarm_rate", "trials", "gap", "power")  # what calibration_markdown reads


def calibration_markdown(rows) -> str:
    """The calibration rows as a Markdown table, in words a learner can read."""
    lines = ["| design | what is compared | fooled (no true gap) | finds a true gap of | how often |",
             "|---|---|---|---|---|"]
    if isinstance(rows, dict | str) or not hasattr(rows, "__iter__"):
        raise ArgumentTypeError(f"rows must be the list calibration_table() returns, got {describe(rows)}")
    rows = list(rows)
    for index, row in enumerate(rows):
        missing = [key for key in ROW_KEYS if not isinstance(row, dict) or key not in row]
        if missing:
            raise ValueError(f"rows[{index}] must be a row of calibration_table() (keys {ROW_KEYS}); it lacks "
                             f"{missing}: {describe(row)}")
    for row in rows:
        lines.append(f"| {row['design']} | {row['what']} | {row['false_alarm_rate']:.1%} of "
                     f"{row['trials']:,} trials | {row['gap']} | {row['power']:.0%} |")
    return "\n".join(lines)
