"""utils.tuning.successive_halving, TrainingClock's schedule span and utils.chars.sequence_losses."""

import math

import numpy as np
import pytest

from utils.tuning import successive_halving


def _fake_train(log):
    """A 'model' whose validation loss is rate-dependent and falls with budget; resumes from its last budget."""
    def train(setting, run, budget):
        start = 0 if run is None else run["budget"]
        log.append((setting["lr"], start, budget))
        loss = setting["lr"] * 10 + 1 / budget
        return {"budget": budget}, loss
    return train


def test_the_survivor_is_trained_to_the_last_rung_and_resumes():
    log = []
    search = successive_halving([{"lr": v} for v in (0.3, 0.1, 0.2, 0.4)], _fake_train(log),
                                rungs=[1, 2, 4], keep=[2, 1])
    assert search["best"] == {"lr": 0.1}
    assert search["run"] == {"budget": 4}
    assert len(search["trials"]) == 4 + 2 + 1
    assert [t["rung"] for t in search["trials"]] == [0] * 4 + [1] * 2 + [2]
    # survivors resume where they stopped, never restart
    assert (0.1, 1, 2) in log and (0.1, 2, 4) in log and (0.2, 1, 2) in log
    assert not any(lr in (0.3, 0.4) and budget > 1 for lr, _, budget in log)


def test_higher_is_better_and_diverged_runs_never_survive():
    def train(setting, run, budget):
        return run, math.nan if setting["x"] == 3 else setting["x"]
    search = successive_halving([{"x": 1}, {"x": 2}, {"x": 3}], train, rungs=[1, 2], keep=[1],
                                higher_is_better=True)
    assert search["best"] == {"x": 2}


def test_every_run_diverged_is_an_error():
    with pytest.raises(ValueError, match="diverged"):
        successive_halving([{"x": 1}], lambda s, r, b: (r, math.inf), rungs=[1], keep=[])


@pytest.mark.parametrize("kwargs, match", [
    ({"rungs": [2, 1], "keep": [1]}, "increasing"),
    ({"rungs": [1, 2], "keep": [2, 1]}, "keep"),
    ({"rungs": [1, 2], "keep": [3]}, "keep"),
    ({"rungs": [1, 2, 3], "keep": [1, 2]}, "keep"),
    ({"rungs": [1], "keep": []}, "one rung"),
])
def test_bad_rungs_and_keep_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        successive_halving([{"x": 1}, {"x": 2}], lambda s, r, b: (r, 1.0), **kwargs)


def test_bad_settings_and_train_are_refused():
    with pytest.raises(TypeError):
        successive_halving([], lambda s, r, b: (r, 1.0), rungs=[1], keep=[])
    with pytest.raises(TypeError):
        successive_halving([{"x": 1}], "train", rungs=[1], keep=[])


def test_clock_schedule_spans_a_longer_time_than_its_budget():
    from utils.training import TrainingClock

    clock = TrainingClock(1.0, peak_learning_rate=0.01, schedule_seconds=4.0)
    assert clock.schedule_seconds == 4.0 and clock.budget_seconds == 1.0

    class Rate:
        def assign(self, value):
            self.value = value

    class Stub:
        optimizer = type("Optimizer", (), {"learning_rate": Rate()})()

    clock.set_model(Stub())
    clock.total = 2.0  # halfway through the 4-second schedule, past the first budget: the cosine's middle
    clock.on_train_batch_begin(0)
    assert Stub.optimizer.learning_rate.value == pytest.approx(0.005)
    with pytest.raises(ValueError):
        TrainingClock(4.0, peak_learning_rate=0.01, schedule_seconds=1.0)  # shorter than the budget
    with pytest.raises(ValueError):
        TrainingClock(1.0, schedule_seconds=4.0)  # no cosine to span
    with pytest.raises(ValueError):
        TrainingClock(1.0, peak_learning_rate=0.01, schedule_seconds=-1)


def test_sequence_losses_split_positions_and_average_back():
    import keras
    import tensorflow as tf

    from utils.chars import sequence_losses

    keras.utils.set_random_seed(0)
    inputs = keras.Input((None,), dtype="int64")
    model = keras.Model(inputs, keras.layers.Dense(5)(keras.layers.Embedding(5, 3)(inputs)))
    x = np.random.default_rng(0).integers(0, 5, (6, 10))
    data = tf.data.Dataset.from_tensor_slices((x, np.roll(x, -1, axis=1))).batch(4)
    parts = sequence_losses(model, data, head=4)
    assert all(len(v) == 6 for v in parts.values())
    np.testing.assert_allclose(parts["whole"], (4 * parts["first"] + 6 * parts["rest"]) / 10, rtol=1e-5)
    assert np.isnan(sequence_losses(model, data, head=10)["rest"]).all()
    with pytest.raises(ValueError):
        sequence_losses(model, data, head=0)
