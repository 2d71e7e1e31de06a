import math

import numpy as np
import pytest

from utils.verdicts import (
    FAMILY_RULE,
    LEGACY,
    MARGINS,
    NOISE_RULE,
    NOT_TRIED,
    PART_VERDICTS,
    VERDICTS,
    claim,
    combine,
    compare,
    compare_change,
    compare_counts,
    correct,
    newey_west_variance,
    ordering,
    spread,
)


def test_spread_is_the_range():
    assert spread([0.8, 0.9, 0.85]) == pytest.approx(0.1)
    assert spread(0.5) == 0.0
    assert spread(np.array([1.0, 3.0])) == 2.0


def test_close_seeds_are_not_decided_and_not_called_a_tie():
    c = compare([0.875, 0.868, 0.879], [0.876, 0.872, 0.880], names=("lstm", "gru"))
    assert c.outcome == "not decided" and c.better is None and not c.counts and not c.equivalent
    assert "not decided" in c.describe() and "tie" not in c.describe()


def test_a_clear_gap_is_decided_in_the_right_direction():
    c = compare([0.90, 0.91, 0.905], [0.80, 0.81, 0.79], names=("a", "b"))
    assert c.better == "a" and c.low > 0 and c.p_value < 0.05
    loss = compare([1.5, 1.52, 1.51], [1.7, 1.71, 1.69], names=("gru", "lstm"), higher_is_better=False)
    assert loss.better == "gru" and "gru better" in loss.describe()


def test_the_interval_is_welch_t_on_the_seed_means():
    a, b = [0.80, 0.82, 0.84], [0.70, 0.75, 0.71]
    c = compare(a, b)
    from scipy import stats

    expected = stats.ttest_ind(a, b, equal_var=False).confidence_interval(0.95)
    assert (c.low, c.high) == pytest.approx((expected.low, expected.high))


def test_equivalence_needs_a_margin_and_a_narrow_interval():
    a = [0.8801, 0.8802, 0.8803, 0.8801, 0.8802]
    b = [0.8800, 0.8801, 0.8802, 0.8801, 0.8803]
    assert compare(a, b, margin="accuracy").outcome == "equivalent"
    assert compare(a, b).outcome == "not decided"  # no margin: never "equivalent"
    wide = compare([0.85, 0.90, 0.88], [0.86, 0.89, 0.87], margin="accuracy")
    assert wide.outcome == "not decided" and "not decided" in wide.describe()
    assert MARGINS["accuracy"] == 0.01


def test_test_items_widen_the_interval_and_pairing_narrows_it():
    rng = np.random.default_rng(0)
    difficulty = rng.beta(8, 2, 2000)
    a = (rng.random((3, 2000)) < difficulty).astype(float)
    b = (rng.random((3, 2000)) < difficulty).astype(float)
    seeds_only = compare(a.mean(1), b.mean(1))
    with_items = compare(a.mean(1), b.mean(1), items=(a, b))
    assert with_items.noise > seeds_only.noise
    assert "2,000 paired items" in with_items.sources and "not counted" in seeds_only.sources
    unpaired_var = a.mean(0).var(ddof=1) / 2000 + b.mean(0).var(ddof=1) / 2000
    paired_var = (a.mean(0) - b.mean(0)).var(ddof=1) / 2000
    assert paired_var < unpaired_var  # the same reviews are hard for both models


def test_items_must_match():
    with pytest.raises(ValueError, match="same items"):
        compare([0.5, 0.6], [0.5, 0.6], items=(np.ones((2, 10)), np.ones((2, 11))))
    with pytest.raises(ValueError, match="both sides"):
        compare([0.5, 0.6], [0.5, 0.6], items=(np.ones((2, 10)), None))
    with pytest.raises(ValueError, match="rows"):
        compare([0.5, 0.6], [0.5, 0.6], items=(np.ones((3, 10)), np.ones((2, 10))))
    with pytest.raises(ValueError, match="non-finite"):
        compare([0.5, 0.6], [0.5, 0.6], items=(np.full((2, 10), np.nan), np.ones((2, 10))))


def test_one_run_is_not_decided_without_the_seed_variance_of_the_same_set_up():
    c = compare(0.90, [0.80, 0.81, 0.79], names=("a", "b"))
    assert c.outcome == "not decided" and "a measured once" in c.describe()
    legacy = compare(0.90, [0.80, 0.81, 0.79], names=("a", "b"), noise=0.02)
    assert legacy.outcome == "not decided" and "another set-up" in legacy.describe()
    measured = compare(0.90, [0.80, 0.81, 0.79], names=("a", "b"), seed_runs=([0.89, 0.90, 0.91], None))
    assert measured.better == "a" and "its seed variance from 3 other runs" in measured.describe()


def test_exact_sides_have_no_training_luck():
    c = compare(74_241, 222_977, names=("simple_rnn", "gru"), exact=True, higher_is_better=False)
    assert c.better == "simple_rnn" and c.noise == 0.0
    same = compare(5.0, 5.0, exact=True)
    assert same.equivalent and "equal (exact)" in same.describe()
    assert compare(10.0, 12.0, noise=0.0).better == "B"  # the older spelling of exact=True
    baseline = compare([0.91, 0.92, 0.915], 0.80, exact=(False, True))
    assert baseline.better == "A" and "B exact" in baseline.sources


def test_daily_series_use_an_autocorrelation_robust_variance():
    rng = np.random.default_rng(1)
    iid = rng.normal(size=4000)
    trending = np.convolve(rng.normal(size=4020), np.ones(20) / 20, mode="valid")[:4000]
    assert newey_west_variance(iid) == pytest.approx(iid.var() / 4000, rel=0.2)
    assert newey_west_variance(trending) > 3 * trending.var() / 4000  # positively autocorrelated: wider
    sq_a, sq_b = rng.gamma(1.0, size=(3, 200)), rng.gamma(1.0, size=(1, 200))
    c = compare(sq_a.mean(1), sq_b.mean(1), items=(sq_a, sq_b), exact=(False, True), series=True,
                higher_is_better=False)
    assert "200 paired days" in c.sources


def test_holm_keeps_interval_and_outcome_in_agreement():
    rng = np.random.default_rng(2)
    comps = [compare(list(rng.normal(gap, 0.01, 3)), list(rng.normal(0, 0.01, 3)), names=(f"m{i}", "base"))
             for i, gap in enumerate([0.0, 0.005, 0.01, 0.02, 0.05, 0.08])]
    corrected = correct(comps)
    assert all(c.family == 6 for c in corrected)
    for raw, c in zip(comps, corrected):
        assert c.p_value >= raw.p_value
        decided = c.better is not None
        assert decided == (c.low > 0 or c.high < 0)
    assert sum(c.counts for c in corrected) <= sum(c.counts for c in comps)


def test_bad_measurements_are_refused():
    for bad in (None, "0.5", [], [0.1, math.nan], [math.inf], True, {"a": 1}):
        with pytest.raises((TypeError, ValueError)):
            compare(bad, [0.5, 0.6])


@pytest.mark.parametrize("kwargs, match", [({"noise": -0.1}, "noise"), ({"noise": math.nan}, "noise"),
                                           ({"noise": "0.1"}, "noise"), ({"margin": -1}, "margin"),
                                           ({"margin": "furlongs"}, "margin"), ({"level": 1.5}, "level"),
                                           ({"exact": "yes"}, "exact"), ({"seed_runs": [1.0]}, "seed_runs")])
def test_bad_options_are_refused(kwargs, match):
    with pytest.raises((TypeError, ValueError), match=match):
        compare([0.5, 0.6], [0.6, 0.7], **kwargs)


def test_bad_names_are_refused():
    with pytest.raises(TypeError, match="names"):
        compare(1.0, 2.0, names="ab")


def test_ordering_holds_partly_and_not():
    values = {"simple_rnn": [300, 310, 305], "gru": [200, 205, 202], "lstm": [100, 104, 101]}
    assert ordering(values, ["simple_rnn", "gru", "lstm"])["verdict"] == "holds"
    values["lstm"] = [202, 203, 201]  # gru and lstm too close to tell
    out = ordering(values, ["simple_rnn", "gru", "lstm"])
    assert [p["outcome"] for p in out["pairs"]] == ["as claimed", "not decided"]
    assert out["verdict"] == "partly holds"  # combine's rule: one pair holds, the other does not (yet)
    assert ordering(values, ["lstm", "simple_rnn"])["verdict"] == "does not hold"
    exact = ordering({"a": 1.0, "b": 2.0, "c": 2.0}, ["a", "b", "c"], higher_is_better=False, noise=0.0)
    assert [p["outcome"] for p in exact["pairs"]] == ["as claimed", "equivalent"]
    assert exact["verdict"] == "partly holds"


def test_ordering_refuses_unknown_names():
    with pytest.raises(ValueError, match="not among the measured"):
        ordering({"a": 1.0, "b": 2.0}, ["a", "c"])
    with pytest.raises(ValueError, match="at least two"):
        ordering({"a": 1.0}, ["a"])


@pytest.mark.parametrize(("parts", "verdict"), [
    (["not tried"], "not decided"),  # nothing voted
    (["not tried", "not tried"], "not decided"),
    (["holds", "holds"], "holds"),
    (["holds", "not tried"], "holds"),  # a part not tried does not vote
    (["does not hold", "does not hold", "not tried"], "does not hold"),
    (["not decided", "not decided"], "not decided"),
    (["partly holds", "partly holds"], "partly holds"),
    (["holds", "does not hold"], "partly holds"),
    (["holds", "not decided"], "partly holds"),
    (["partly holds", "not decided", "not tried"], "partly holds"),
    (["partly holds", "does not hold"], "partly holds"),
    (["holds", "does not hold", "not decided"], "partly holds"),
    (["does not hold", "not decided"], "does not hold"),
    (["does not hold", "not decided", "not tried"], "does not hold"),
    (["does not hold", "depends"], "does not hold"),  # the older name of "not decided"
    (["depends"], "not decided"),
])
def test_combine_follows_its_table(parts, verdict):
    assert combine(parts) == verdict
    assert combine(parts) != NOT_TRIED


def test_combine_and_claim():
    assert NOT_TRIED in PART_VERDICTS and NOT_TRIED not in VERDICTS
    with pytest.raises(ValueError, match="verdict"):
        combine(["holds", "maybe"])
    with pytest.raises(ValueError, match="at least one"):
        combine([])
    with pytest.raises(ValueError, match="verdict must be one of"):
        claim("x", "not tried", "y", "03")  # a claim's own verdict is never "not tried"
    record = claim("GRU is faster", "depends", "GRU 700 vs LSTM 720 samples/s", "08")
    assert record["verdict"] == "not decided" and LEGACY["depends"] in VERDICTS
    with pytest.raises(ValueError, match="verdict"):
        claim("x", "mostly", "y", "08")
    with pytest.raises(ValueError, match="evidence"):
        claim("x", "holds", "  ", "08")
    assert "interval" in NOISE_RULE and FAMILY_RULE in NOISE_RULE
    assert FAMILY_RULE.startswith("one family per claim part") and FAMILY_RULE in " ".join(correct.__doc__.split())


def test_a_gap_of_logarithms_is_shown_as_ratios():
    fast, slow = [1300.0, 1270.0, 1285.0], [1000.0, 1010.0, 995.0]
    c = compare([math.log(v) for v in fast], [math.log(v) for v in slow], names=("simple_rnn", "gru"),
                margin=math.log(1.05), runs="repeats")
    text = c.as_ratio("samples/s")
    ratio = math.exp(c.difference)
    assert text.startswith(f"simple_rnn {ratio:.2f}x the samples/s of gru")
    assert f"[{math.exp(c.low):.2f}x, {math.exp(c.high):.2f}x]" in text and text.endswith("-> simple_rnn better")
    assert "geometric means 1,280 vs 1,000 samples/s" in text and "log" not in text
    same = compare([math.log(v) for v in slow], [math.log(v * 1.001) for v in slow], names=("a", "b"),
                   margin=math.log(1.05), runs="repeats")
    assert same.equivalent and same.as_ratio().endswith("-> equivalent within 1.05x either way")
    with pytest.raises(ValueError, match="counts"):
        compare_counts((5, 5), (0, 5)).as_ratio()
    with pytest.raises(TypeError, match="unit"):
        c.as_ratio(3)


def test_numpy_values_are_measurements_and_bools_are_not():
    assert compare(np.float32(0.9), np.array([0.8, 0.81]), exact=(True, False)).better == "A"
    with pytest.raises(TypeError, match="numbers only"):
        compare([0.5, True], [0.6, 0.7])


# ---- compare_change: the same models before and after a change ----------------------------------------------


def test_a_change_is_paired_by_seed_so_seed_to_seed_spread_cancels():
    rng = np.random.default_rng(0)
    before = rng.normal(2.0, 0.3, (3, 200)) + np.array([[0.0], [0.3], [-0.3]])  # seeds differ by far more
    after = before + 0.001 + rng.normal(0, 0.002, (3, 200))
    c = compare_change(after, before, names=("int8", "float32"), higher_is_better=False, margin="nats_per_char")
    assert c.name_a == "int8 - float32" and c.name_b == "no change"
    assert c.low > 0 and c.high < 0.02  # measurably worse, but by less than the margin
    assert c.better == "no change"
    unpaired = compare(after.mean(axis=1).tolist(), before.mean(axis=1).tolist(), higher_is_better=False)
    assert unpaired.outcome == "not decided"  # ignoring the pairing, the seeds' spread hides the change


def test_a_change_of_nothing_is_equivalent_and_the_test_term_counts_the_items():
    rng = np.random.default_rng(1)
    before = rng.normal(2.0, 0.3, (3, 50))
    after = before + rng.normal(0, 0.001, (3, 50))
    c = compare_change(after, before, margin=0.02)
    assert c.equivalent and "50 paired items" in c.sources and "3 seeds" in c.sources


def test_compare_change_refuses_unpaired_shapes():
    with pytest.raises(ValueError, match="same seeds and items"):
        compare_change(np.zeros((2, 10)), np.zeros((3, 10)))
    with pytest.raises(ValueError, match="same seeds and items"):
        compare_change(np.zeros((3, 10)), np.zeros((3, 12)))
