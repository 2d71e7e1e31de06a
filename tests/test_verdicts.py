import math

import numpy as np
import pytest

from utils.verdicts import NOISE_RULE, VERDICTS, claim, combine, compare, ordering, spread


def test_spread_is_the_range():
    assert spread([0.8, 0.9, 0.85]) == pytest.approx(0.1)
    assert spread(0.5) == 0.0
    assert spread(np.array([1.0, 3.0])) == 2.0


def test_gap_inside_the_seed_spread_is_a_tie():
    c = compare([0.875, 0.868, 0.879], [0.876, 0.872, 0.880], names=("lstm", "gru"))
    assert not c.counts and c.better is None
    assert "no difference" in c.describe()


def test_gap_beyond_the_spread_counts_and_respects_direction():
    c = compare([0.90, 0.91], [0.80, 0.81], names=("a", "b"))
    assert c.counts and c.better == "a"
    loss = compare([1.5, 1.52], [1.7, 1.71], names=("gru", "lstm"), higher_is_better=False)
    assert loss.better == "gru"
    assert "gru better" in loss.describe()


def test_the_larger_spread_of_either_side_is_the_noise():
    # b is tight, a is wide: the gap (0.05) is inside a's range (0.2)
    c = compare([0.7, 0.9], [0.85, 0.85, 0.85], names=("a", "b"))
    assert c.noise == pytest.approx(0.2) and not c.counts


def test_single_values_need_a_measured_spread():
    c = compare(0.90, 0.80, names=("a", "b"))
    assert c.noise is None and not c.counts and "no spread measured" in c.describe()
    c = compare(0.90, 0.80, names=("a", "b"), noise=0.02, noise_kind="seed spread")
    assert c.better == "a" and "seed spread 0.020" in c.describe()
    c = compare(0.90, 0.89, names=("a", "b"), noise=0.02)
    assert c.better is None


def test_an_external_noise_smaller_than_the_sides_own_spread_does_not_shrink_it():
    c = compare([0.7, 0.9], [0.6, 0.62], names=("a", "b"), noise=0.01)
    assert c.noise == pytest.approx(0.2)


@pytest.mark.parametrize("bad", [None, "0.5", [], [0.1, math.nan], [math.inf], True, {"a": 1}])
def test_bad_measurements_are_refused(bad):
    with pytest.raises((TypeError, ValueError)):
        compare(bad, [0.5, 0.6])


@pytest.mark.parametrize("noise", [-0.1, math.nan, math.inf, "0.1", True])
def test_bad_noise_is_refused(noise):
    with pytest.raises(ValueError, match="noise"):
        compare([0.5], [0.6], noise=noise)


def test_bad_names_are_refused():
    with pytest.raises(TypeError, match="names"):
        compare(1.0, 2.0, names="ab")


def test_ordering_holds_partly_and_not():
    values = {"simple_rnn": [300, 310], "gru": [200, 205], "lstm": [100, 104]}
    assert ordering(values, ["simple_rnn", "gru", "lstm"])["verdict"] == "holds"
    values["lstm"] = [201, 204]  # gru and lstm tie
    out = ordering(values, ["simple_rnn", "gru", "lstm"])
    assert out["verdict"] == "partly holds"
    assert [p["outcome"] for p in out["pairs"]] == ["as claimed", "tie"]
    assert ordering(values, ["lstm", "simple_rnn"])["verdict"] == "does not hold"
    tied = {"a": [1.0, 1.1], "b": [1.05, 1.08]}
    assert ordering(tied, ["a", "b"])["verdict"] == "does not hold"


def test_ordering_lower_is_better_for_memory():
    memory = {"simple_rnn": [50, 52], "gru": [250, 255], "lstm": [300, 310]}
    assert ordering(memory, ["simple_rnn", "gru", "lstm"], higher_is_better=False)["verdict"] == "holds"


def test_ordering_refuses_unknown_names():
    with pytest.raises(ValueError, match="not among the measured"):
        ordering({"a": 1.0, "b": 2.0}, ["a", "c"])
    with pytest.raises(ValueError, match="at least two"):
        ordering({"a": 1.0}, ["a"])


def test_combine_and_claim():
    assert combine(["holds", "holds"]) == "holds"
    assert combine(["holds", "does not hold"]) == "partly holds"
    assert combine(["does not hold", "depends"]) == "depends"
    with pytest.raises(ValueError, match="verdict"):
        combine(["holds", "maybe"])
    record = claim("GRU is faster", "depends", "GRU 700 vs LSTM 720 samples/s", "08")
    assert record["verdict"] in VERDICTS and set(record) == {"claim", "verdict", "evidence", "lesson"}
    with pytest.raises(ValueError, match="verdict"):
        claim("x", "mostly", "y", "08")
    with pytest.raises(ValueError, match="evidence"):
        claim("x", "holds", "  ", "08")
    assert "spread" in NOISE_RULE


def test_numpy_values_are_measurements_and_bools_are_not():
    assert compare(np.float32(0.9), np.array([0.8, 0.81]), noise=np.float32(0.01)).better == "A"
    with pytest.raises(TypeError, match="numbers only"):
        compare([0.5, True], [0.6, 0.7])
