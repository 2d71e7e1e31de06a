"""The noise rule's outcomes in plain words (``Comparison.in_words``) and the smallest gap a design can see
(``Comparison.detectable_gap``), which every "not decided" carries."""

import numpy as np
import pytest
from scipy import stats

from utils.verdicts import _smallest_decidable_share, compare, compare_counts, correct


def test_each_outcome_in_words():
    ahead = compare([0.80, 0.81, 0.82], [0.70, 0.71, 0.70], names=("lstm", "gru"))
    assert ahead.in_words().startswith("lstm better: the 95% interval of the gap")
    assert "excludes zero" in ahead.in_words()
    assert ahead.in_words("keeps more").startswith("lstm keeps more:")

    close = compare([0.800, 0.801, 0.800], [0.8005, 0.8001, 0.8003], names=("lstm", "gru"), margin="accuracy")
    assert close.equivalent and "lies inside the margin ±0.01" in close.in_words()

    open_ = compare([0.875, 0.868, 0.879], [0.876, 0.872, 0.880], names=("lstm", "gru"))
    words = open_.in_words()
    assert words.startswith("not decided: the 95% interval of the gap") and "too wide" in words
    assert f"gaps of about {open_.detectable_gap():.3f}" in words
    assert not any(tie in words for tie in ("equal", "tie", "no difference"))

    once = compare(0.8, [0.7, 0.71], names=("lstm", "gru"))
    assert once.in_words() == f"not decided: {once.reason}"


def test_counts_in_words():
    assert compare_counts((5, 5), (0, 5)).in_words().startswith("A better: counts 5/5 vs 0/5")
    words = compare_counts((5, 5), (2, 5)).in_words()
    assert words.startswith("not decided") and "80% of the runs" in words


def test_smallest_decidable_share_of_counts():
    assert _smallest_decidable_share(5, 5, 0.05) == pytest.approx(0.8)  # 5/5 vs 1/5: p = 0.048
    assert _smallest_decidable_share(5, 5, 0.05, family=6) == pytest.approx(1.0)  # only 5/5 vs 0/5 (p = 0.0079)
    assert _smallest_decidable_share(5, 5, 0.05, family=7) is None  # not even 5/5 vs 0/5
    assert _smallest_decidable_share(20, 20, 0.05) < 0.5  # more runs see smaller differences
    held = correct([compare_counts((5, 5), (0, 5))] * 7)[0]
    assert held.detectable_gap() is None and "not decided" in held.in_words()


def test_detectable_gap_is_found_about_four_times_in_five():
    """A true gap of the size a design reports as detectable is found by the rule about 80% of the time."""
    rng = np.random.default_rng(0)
    sd, n = 0.01, 5
    df = 2 * (n - 1)
    gap = (stats.t.ppf(0.975, df) + stats.t.ppf(0.8, df)) * np.sqrt(2 * sd ** 2 / n)
    found, reported = 0, []
    for _ in range(400):
        c = compare(list(rng.normal(gap, sd, n)), list(rng.normal(0.0, sd, n)))
        found += c.better == "A"
        reported.append(c.detectable_gap())
    assert 0.70 <= found / 400 <= 0.90
    assert np.median(reported) == pytest.approx(gap, rel=0.25)


def test_detectable_gap_refuses_a_bad_power():
    c = compare([0.8, 0.81, 0.82], [0.7, 0.71, 0.70])
    for bad in (0.2, 1.0, "high", True, float("nan")):
        with pytest.raises(ValueError, match="power"):
            c.detectable_gap(bad)
