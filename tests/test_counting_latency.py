"""utils.counting (the aⁿbⁿ task) and utils.latency (per-call timing, state bytes)."""

import numpy as np
import pytest

from utils import counting, latency
from utils.checks import ArgumentTypeError
from utils.counting import END, PAD, A, B, anbn_batch, correct_by_n, draw_ns, largest_n_solved, sequence_correct
from utils.latency import latency_summary, state_bytes, time_calls

# ---- counting --------------------------------------------------------------------------------------------------


def test_vocabulary_is_the_documented_one():
    assert (PAD, A, B, END, counting.VOCAB) == (0, 1, 2, 3, 4)


def test_batch_shapes_and_dtypes():
    batch = anbn_batch([3, 1, 5, 3])
    assert batch.inputs.shape == batch.targets.shape == batch.mask.shape == (4, 10)
    assert batch.inputs.dtype == batch.targets.dtype == np.int32 and batch.mask.dtype == bool
    assert batch.ns.tolist() == [3, 1, 5, 3] and len(batch) == 4
    assert batch.mask.sum(axis=1).tolist() == [3, 1, 5, 3]  # n scored positions per sequence


def test_small_n_written_out_by_hand():
    batch = anbn_batch([1, 2, 3])
    a, b, e, p = A, B, END, PAD
    assert batch.inputs.tolist() == [[a, b, p, p, p, p],
                                     [a, a, b, b, p, p],
                                     [a, a, a, b, b, b]]
    assert batch.targets.tolist() == [[b, e, p, p, p, p],
                                      [a, b, b, e, p, p],
                                      [a, a, b, b, b, e]]
    assert batch.mask.astype(int).tolist() == [[0, 1, 0, 0, 0, 0],
                                               [0, 0, 1, 1, 0, 0],
                                               [0, 0, 0, 1, 1, 1]]
    assert batch.show(1).splitlines() == ["inputs   a a b b . .", "targets  a b b $ . .", "mask     - - x x - -"]


def test_padding_and_the_a_phase_are_never_scored():
    batch = anbn_batch(draw_ns(50, 1, 20, seed=0))
    assert not batch.mask[batch.inputs == PAD].any()
    assert not batch.mask[batch.inputs == A].any()
    assert (batch.inputs[batch.mask] == B).all()
    assert np.isin(batch.targets[batch.mask], [B, END]).all()


def test_sequence_correct_ignores_unscored_positions():
    batch = anbn_batch([2, 3])
    predicted = batch.targets.copy()
    predicted[~batch.mask] = END  # wrong everywhere nothing is scored: still correct
    assert sequence_correct(predicted, batch).tolist() == [True, True]
    predicted[1, 5] = B  # the n = 3 sequence misses its end marker
    assert sequence_correct(predicted, batch).tolist() == [True, False]
    assert correct_by_n(predicted, batch) == {2: True, 3: False}


def test_correct_by_n_needs_every_sequence_of_an_n():
    batch = anbn_batch([2, 2, 4])
    predicted = batch.targets.copy()
    predicted[0, 3] = B
    assert correct_by_n(predicted, batch) == {2: False, 4: True}


def test_largest_n_solved_stops_at_the_first_failure():
    assert largest_n_solved({1: True, 2: True, 3: False, 4: True}) == 2
    assert largest_n_solved({3: True, 1: True, 2: True}) == 3
    assert largest_n_solved({1: False, 2: True}) == 0
    assert largest_n_solved({1: [True, True], 2: np.array([True, False])}) == 1
    assert largest_n_solved({np.int64(5): np.bool_(True)}) == 5


def test_draw_ns_is_repeatable_and_in_range():
    ns = draw_ns(200, 3, 7, seed=1)
    assert ns.min() >= 3 and ns.max() <= 7 and set(ns.tolist()) == {3, 4, 5, 6, 7}
    assert np.array_equal(ns, draw_ns(200, 3, 7, seed=1))


@pytest.mark.parametrize("ns, error, match", [
    ([], ValueError, "empty"),
    ([2, 0], ValueError, r"ns\[1\] must be a positive integer"),
    ([1.5], ArgumentTypeError, r"ns\[0\]"),
    ([True], ArgumentTypeError, r"ns\[0\]"),
    (3, ArgumentTypeError, r"wrap it in a list: \[3\]"),
    ("ab", ArgumentTypeError, "list of positive integers"),
])
def test_anbn_batch_refuses_bad_ns(ns, error, match):
    with pytest.raises(error, match=match):
        anbn_batch(ns)


def test_sequence_correct_refuses_bad_predictions():
    batch = anbn_batch([1, 2])
    with pytest.raises(ValueError, match="argmax"):
        sequence_correct(np.zeros((2, 4, 4)), batch)
    with pytest.raises(ValueError, match=r"shape \(2, 4\)"):
        sequence_correct(np.zeros((2, 5), dtype=int), batch)
    with pytest.raises(ArgumentTypeError, match="integer token ids"):
        sequence_correct(np.zeros((2, 4)), batch)
    with pytest.raises(ArgumentTypeError, match="CountingBatch"):
        sequence_correct(batch.targets, (batch.inputs, batch.targets))


@pytest.mark.parametrize("value, error, match", [
    ({}, ValueError, "empty"),
    ([True, False], ArgumentTypeError, "mapping"),
    ({0: True}, ValueError, "positive integers"),
    ({1.0: True}, ArgumentTypeError, "positive integers"),
    ({1: 1}, ArgumentTypeError, r"correct_by_n\[1\]"),
    ({1: []}, ArgumentTypeError, "non-empty"),
])
def test_largest_n_solved_refuses_bad_input(value, error, match):
    with pytest.raises(error, match=match):
        largest_n_solved(value)


def test_draw_ns_refuses_an_empty_range():
    with pytest.raises(ValueError, match="high must be at least low"):
        draw_ns(5, 4, 3)


# ---- latency ---------------------------------------------------------------------------------------------------


class FakeClock:
    """A clock in nanoseconds that moves only when the fake function is called: call k (from 1) takes k µs."""

    def __init__(self):
        self.now = 0
        self.reads = 0
        self.calls = 0

    def __call__(self):
        self.reads += 1
        return self.now

    def work(self):
        self.calls += 1
        self.now += 1_000 * self.calls


def test_time_calls_times_each_call_and_skips_the_warmup(monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(latency, "_clock", clock)
    seconds = time_calls(clock.work, repeats=4, warmup=3)
    assert clock.calls == 7 and clock.reads == 8  # warmup calls are not timed
    np.testing.assert_allclose(seconds, [4e-6, 5e-6, 6e-6, 7e-6])
    assert seconds.dtype == np.float64


def test_time_calls_with_the_real_clock_and_no_warmup():
    calls = []
    seconds = time_calls(lambda: calls.append(1), repeats=5, warmup=0)
    assert len(calls) == 5 and seconds.shape == (5,) and (seconds >= 0).all()


def test_latency_summary_on_a_known_array():
    seconds = np.arange(1, 101) * 1e-6  # 1 … 100 µs
    summary = latency_summary(seconds)
    assert summary["calls"] == 100
    assert summary["p50_us"] == pytest.approx(50.5)
    assert summary["p99_us"] == pytest.approx(99.01)
    assert summary["mean_us"] == pytest.approx(50.5)
    assert latency_summary([2e-6]) == {"p50_us": pytest.approx(2.0), "p99_us": pytest.approx(2.0),
                                       "mean_us": pytest.approx(2.0), "calls": 1}


def test_state_bytes_adds_the_arrays():
    h, c = np.zeros((8, 32), dtype="float32"), np.zeros((8, 32), dtype="float32")
    assert state_bytes([h, c]) == 2 * 8 * 32 * 4
    assert state_bytes((np.zeros(3, dtype="float64"), np.zeros((2, 2), dtype="int8"))) == 24 + 4
    assert state_bytes({"k": h, "v": h}) == 2 * 8 * 32 * 4
    assert state_bytes([]) == 0


def test_latency_refuses_bad_input():
    with pytest.raises(ArgumentTypeError, match="function"):
        time_calls(42, repeats=3, warmup=0)
    with pytest.raises(ValueError, match="repeats must be a positive integer"):
        time_calls(lambda: None, repeats=0, warmup=0)
    with pytest.raises(ValueError, match="warmup must be a non-negative integer"):
        time_calls(lambda: None, repeats=3, warmup=-1)
    with pytest.raises(ValueError, match="non-empty 1-D"):
        latency_summary([])
    with pytest.raises(ValueError, match=">= 0"):
        latency_summary([1e-6, -1e-6])
    with pytest.raises(ValueError, match="NaN"):
        latency_summary([np.nan])
    with pytest.raises(ArgumentTypeError, match=r"wrap a single array in a list"):
        state_bytes(np.zeros(3))
    with pytest.raises(ArgumentTypeError, match=r"arrays\[1\]"):
        state_bytes([np.zeros(3), [1.0, 2.0]])
    with pytest.raises(ArgumentTypeError, match="Python objects"):
        state_bytes([np.array([None, 1])])
