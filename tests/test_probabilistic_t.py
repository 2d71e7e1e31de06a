"""utils.probabilistic.interval_hits with Student-t shocks (lesson 07's coverage diagnosis)."""

import numpy as np
import pytest

from utils.probabilistic import interval_hits


def test_student_t_intervals_cover_their_level_on_student_t_draws():
    rng = np.random.default_rng(0)
    df = 4.0
    z = rng.standard_t(df, 200_000) / np.sqrt(df / (df - 2))  # unit variance
    for level in (0.8, 0.95):
        assert abs(interval_hits(0, 1, z, level, df=df).mean() - level) < 0.005
    # a normal interval of the same variance is too wide in the middle of heavy-tailed draws
    assert interval_hits(0, 1, z, 0.8).mean() > 0.82


@pytest.mark.parametrize("df", [2, 1.5, -3, float("inf"), "4"])
def test_bad_degrees_of_freedom_are_refused(df):
    with pytest.raises(ValueError):
        interval_hits(0, 1, np.zeros(5), 0.8, df=df)
