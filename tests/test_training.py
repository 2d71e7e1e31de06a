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
