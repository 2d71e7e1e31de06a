"""The noise rule's calibration, measured by simulation: it may be fooled at most 5% of the time.

For every design the lessons use (utils.calibration.DESIGNS), trials with no true gap are run through
utils.verdicts.compare exactly as a lesson would run it; the share of trials that declare a winner must stay at
or under 5%, up to three Monte Carlo standard errors. The table with the power at the lessons' gaps is printed
(pytest -s, or in CI's log) and stored by tools/calibrate.py in results/calibration.json for the README.
"""

import json
from pathlib import Path

import pytest

from utils.calibration import DESIGNS, decision_rate
from utils.verdicts import compare

TRIALS = 2000
ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("design", list(DESIGNS))
def test_false_alarms_stay_at_or_under_five_percent(design, capsys):
    rate = decision_rate(design, gap=0.0, trials=TRIALS, seed=11)
    bound = 0.05 + 3 * rate["monte_carlo_se"]
    with capsys.disabled():
        print(f"\n  calibration: {design:<24} false 'better' {rate['decided']:.2%} of {TRIALS} trials "
              f"(bound {bound:.2%})", end="")
    assert rate["decided"] <= bound


def test_a_large_true_gap_is_found_in_the_right_direction():
    rate = decision_rate("3 vs 3 seeds", gap=0.05, trials=300, seed=3)
    assert rate["right"] > 0.9 and rate["decided"] == rate["right"]


def test_a_rule_that_ignored_the_test_items_would_be_fooled_far_more_often():
    # Two models equally good on the population of reviews, each better on different reviews, with little
    # seed-to-seed variation: on any one finite test set one of them is ahead by luck. Seeds alone do not see that
    # luck; the paired items do.
    import numpy as np

    rng = np.random.default_rng(5)
    fooled = {"seeds only": 0, "seeds and items": 0}
    trials = 400
    for _ in range(trials):
        tilt = rng.normal(0.0, 0.15, 1000)  # which model a review favours; zero on average
        # a model is right or wrong on a review mostly whatever its seed: one draw per review, a little jitter
        outcomes = [(rng.random(1000) + rng.normal(0, 0.02, (3, 1000)) < np.clip(0.85 + sign * tilt, 0, 1))
                    .astype(float) for sign in (1, -1)]
        a, b = outcomes
        fooled["seeds only"] += compare(a.mean(1), b.mean(1)).better is not None
        fooled["seeds and items"] += compare(a.mean(1), b.mean(1), items=(a, b)).better is not None
    assert fooled["seeds only"] / trials > 0.3
    assert fooled["seeds and items"] / trials <= 0.05 + 3 * np.sqrt(0.05 * 0.95 / trials)


def test_the_stored_calibration_matches_the_designs():
    stored = json.loads((ROOT / "results" / "calibration.json").read_text(encoding="utf-8"))
    assert [row["design"] for row in stored["rows"]] == list(DESIGNS)
    assert all(row["false_alarm_rate"] <= 0.05 + 3 * row["monte_carlo_se"] for row in stored["rows"])
