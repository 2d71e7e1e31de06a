import numpy as np
import pytest

keras = pytest.importorskip("keras")

from utils.training import fit_and_score  # noqa: E402


def _data(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 5, 3)).astype("float32")
    y = (x[:, :, 0].sum(axis=1) > 0).astype("float32")
    return x, y


def _model(metrics=("accuracy",)):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((5, 3)), keras.layers.GRU(4), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=list(metrics))
    return model


def test_record_has_the_results_schema_fields():
    history, record = fit_and_score(_model(), _data(64, 0), _data(32, 1), _data(32, 2), epochs=3, batch_size=16,
                                    verbose=0)
    assert record["epochs"] == len(history.history["loss"]) <= 3
    assert record["params"] == 4 * 3 * (3 + 4 + 2) + 5
    assert record["train_seconds"] > 0 and record["peak_memory_mb"] > 0
    assert record["seconds_per_epoch"] == pytest.approx(record["train_seconds"] / record["epochs"])
    assert 0.0 <= record["test"]["accuracy"] <= 1.0 and isinstance(record["test"]["accuracy"], float)


def test_early_stopping_restores_the_best_epoch():
    model = _model()
    history, record = fit_and_score(model, _data(64, 0), _data(32, 1), _data(32, 1), epochs=4, batch_size=16,
                                    patience=0, verbose=0)
    # scored on the validation split itself, the restored weights reproduce the best validation accuracy
    assert record["test"]["accuracy"] == pytest.approx(max(history.history["val_accuracy"]))


def test_helpful_errors():
    data = _data(16, 0)
    uncompiled = keras.Sequential([keras.Input((5, 3)), keras.layers.GRU(2), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="compile the model first"):
        fit_and_score(uncompiled, data, data, data, epochs=1)
    with pytest.raises(ValueError, match="epochs"):
        fit_and_score(_model(), data, data, data, epochs=0)
    with pytest.raises(ValueError, match="validation"):
        fit_and_score(_model(), data, (data[0], data[1][:3]), data, epochs=1)
    with pytest.raises(ValueError, match="accuracy"):
        fit_and_score(_model(metrics=()), data, data, data, epochs=1, verbose=0)


def test_record_has_a_curve_and_the_best_epoch():
    history, record = fit_and_score(_model(), _data(64, 0), _data(32, 1), _data(32, 2), epochs=3, batch_size=16,
                                    verbose=0)
    assert len(record["curve"]) == record["epochs"]
    seconds = [s for s, _ in record["curve"]]
    assert seconds == sorted(seconds) and seconds[0] >= 0 and record["train_seconds"] > 0
    assert [a for _, a in record["curve"]] == pytest.approx(history.history["val_accuracy"], abs=1e-4)
    assert record["best_epoch"] == int(np.argmax(history.history["val_accuracy"])) + 1


def _reviews(n, seed, max_len=12):
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, max_len + 1, size=n)
    x = np.zeros((n, max_len), dtype="int32")
    for i, length in enumerate(lengths):
        x[i, :length] = rng.integers(2, 50, size=length)
    return x, (x[:, 0] > 25).astype("float32"), lengths


def test_bucket_by_length_keeps_every_review_once_and_trims_padding():
    from utils.text import bucket_by_length

    x, y, lengths = _reviews(200, 0)
    data = bucket_by_length(x, y, batch_size=16, shuffle=True, seed=3, bucket_width=4)
    seen = []
    for batch, labels in data:
        batch = batch.numpy()
        assert batch.shape[0] <= 16 and batch.shape[1] <= 12 and batch.shape[0] == len(labels)
        assert np.any(batch[:, -1] != 0)  # padded to the longest review of the batch, no further
        seen += [tuple(row[row != 0]) for row in batch]
    assert sorted(seen) == sorted(tuple(row[row != 0]) for row in x)
    assert int(data.cardinality()) == sum(1 for _ in data)


def test_bucket_by_length_refuses_pre_padding_and_bad_shapes():
    from utils.text import bucket_by_length

    x, y, _ = _reviews(20, 1)
    with pytest.raises(ValueError, match="post-padded"):
        bucket_by_length(x[:, ::-1], y)
    with pytest.raises(ValueError, match="one label per review"):
        bucket_by_length(x, y[:5])
    with pytest.raises(ValueError, match="integer word ids"):
        bucket_by_length(x.astype("float32"), y)
    with pytest.raises(ValueError, match="batch_size"):
        bucket_by_length(x, y, batch_size=0)


def test_fit_and_score_takes_bucketed_datasets():
    from utils.text import bucket_by_length

    x, y, _ = _reviews(64, 2)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((None,), dtype="int32"), keras.layers.Embedding(50, 4, mask_zero=True),
                              keras.layers.GRU(4), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    _, record = fit_and_score(model, bucket_by_length(x, y, batch_size=16, shuffle=True),
                              bucket_by_length(x, y, batch_size=32), bucket_by_length(x, y, batch_size=32),
                              epochs=2, verbose=0)
    assert record["epochs"] == 2 and 0 <= record["test"]["accuracy"] <= 1


def test_training_clock_stops_at_its_budget_and_follows_the_cosine():
    from utils.training import TrainingClock

    model = _model()
    clock = TrainingClock(0.3, peak_learning_rate=0.01)
    x, y = _data(64, 0)
    model.fit(x, y, batch_size=8, epochs=1000, callbacks=[clock], verbose=0)
    assert 0.3 <= clock.total < 5 and len(clock.train_seconds) < 1000
    assert float(model.optimizer.learning_rate) < 0.01 * 0.5  # past the middle of the cosine


def test_training_clock_refuses_bad_budgets():
    from utils.training import TrainingClock

    for bad in (0, -1, float("nan"), float("inf"), "10", True):
        with pytest.raises(ValueError, match="budget_seconds"):
            TrainingClock(bad)
    with pytest.raises(ValueError, match="needs budget_seconds"):
        TrainingClock(peak_learning_rate=0.01)
    with pytest.raises(ValueError, match="peak_learning_rate"):
        TrainingClock(10, peak_learning_rate=2.0)
