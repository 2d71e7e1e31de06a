import types

import keras
import numpy as np
import pandas as pd
import pytest

from utils.forecasting import (
    PERIODS,
    VERDICTS,
    fit_forecaster,
    half_year_labels,
    loss_comparison,
    persistence_comparison,
    persistence_verdicts,
    persistence_word,
    return_forecast,
    sp500_periods,
    window_arrays,
)
from utils.sequences import dataset_to_arrays, make_windows


def test_half_year_labels():
    dates = pd.DatetimeIndex(["2016-01-04", "2016-06-30", "2016-07-01", "2017-12-29"])
    np.testing.assert_array_equal(half_year_labels(dates), ["2016 H1", "2016 H1", "2016 H2", "2017 H2"])
    assert half_year_labels(dates[:0]).shape == (0,)


@pytest.mark.parametrize("dates", ["2016-01-04", 2016, [1, 2]])
def test_half_year_labels_refuse_non_dates(dates):
    with pytest.raises(ValueError, match="dates"):
        half_year_labels(dates)


@pytest.mark.parametrize(
    ("shape", "kwargs"),
    [((60,), {}), ((60, 2), {"target_column": 1}), ((60, 3), {"n_ahead": 4}), ((60,), {"n_ahead": 3}), ((8,), {})],
)
def test_window_arrays_are_make_windows_stacked(shape, kwargs):
    series = np.random.default_rng(0).normal(size=shape)
    x, y = window_arrays(series, 7, **kwargs)
    x_ref, y_ref = dataset_to_arrays(make_windows(series, 7, batch_size=16, **kwargs))
    assert x.dtype == x_ref.dtype == np.float32 and y.dtype == y_ref.dtype
    np.testing.assert_array_equal(x, x_ref)
    np.testing.assert_array_equal(y, y_ref)


def test_window_arrays_targets_follow_their_window():
    x, y = window_arrays(np.arange(10), 3)
    np.testing.assert_array_equal(x[0, :, 0], [0, 1, 2])
    np.testing.assert_array_equal(y, x[:, -1, 0] + 1)
    assert y[-1] == 9


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"window": 0}, "window"), ({"window": 10}, "longer than the series"), ({"window": 3, "n_ahead": 0}, "n_ahead"),
     ({"window": 3, "target_column": 1}, "target_column"), ({"window": 3, "series": []}, "series")],
)
def test_window_arrays_refuse_bad_arguments(kwargs, match):
    args = {"series": np.arange(10.0)} | kwargs
    with pytest.raises(ValueError, match=match):
        window_arrays(args.pop("series"), **args)


def test_persistence_word_maps_each_outcome():
    words = [persistence_word(types.SimpleNamespace(outcome=o))
             for o in ("A better", "B better", "equivalent", "not decided")]
    assert words == list(VERDICTS)
    with pytest.raises(TypeError, match="comparison"):
        persistence_word("beats persistence")


def day_errors(seed=0, days=400, shift=0.0, seeds=3):
    """Persistence's squared errors and a model's per seed, the model's moved by ``shift`` on every day."""
    rng = np.random.default_rng(seed)
    base = rng.gamma(0.5, 200.0, size=days)
    model = np.maximum(base + shift + rng.normal(0, 5.0, size=(seeds, days)), 0)
    return model, base


def test_persistence_comparison_pairs_days_and_counts_seeds():
    model, base = day_errors(shift=-30.0)
    c = persistence_comparison("lstm", model, base)
    assert (c.name_a, c.name_b) == ("lstm", "persistence")
    assert c.mean_a == pytest.approx(model.mean()) and c.mean_b == pytest.approx(base.mean())
    assert persistence_word(c) == "beats persistence"  # 30 points² lower on every day: decided by the pairing
    worse = persistence_comparison("gru", np.maximum(base + 30.0, 0), base)  # a deterministic forecast
    assert persistence_word(worse) == "worse than persistence"
    same = persistence_comparison("ridge", np.abs(base + np.random.default_rng(2).normal(0, 0.5, len(base))), base)
    assert persistence_word(same) == "equivalent to persistence"  # inside 1% of persistence's error
    rng = np.random.default_rng(1)
    noisy = persistence_comparison("simple_rnn", base * rng.uniform(0.2, 1.8, size=(3, len(base))), base)
    assert persistence_word(noisy) == "not decided"


def test_persistence_verdicts_correct_the_family():
    model, base = day_errors(shift=-30.0)
    close = np.abs(base + np.random.default_rng(2).normal(0, 0.5, size=(3, len(base))))
    verdicts = persistence_verdicts({"lstm": model, "gru": close}, base)
    assert list(verdicts) == ["lstm", "gru"]
    assert verdicts["lstm"][1] == "beats persistence" and verdicts["gru"][1] == "equivalent to persistence"
    assert verdicts["lstm"][0].family == verdicts["gru"][0].family == 2  # Holm-corrected together


@pytest.mark.parametrize(
    ("args", "match"),
    [(("", np.ones(5), np.ones(5)), "name"), (("lstm", np.ones(4), np.ones(5)), "same days"),
     (("lstm", -np.ones(5), np.ones(5)), "negative"), (("lstm", np.ones(5), np.ones((2, 5))), "persistence"),
     (("lstm", np.ones((1, 2, 5)), np.ones(5)), "squared errors")],
)
def test_persistence_comparison_refuses_bad_arguments(args, match):
    with pytest.raises((ValueError, TypeError), match=match):
        persistence_comparison(*args)


def test_persistence_verdicts_refuses_an_empty_family():
    with pytest.raises(TypeError, match="errors"):
        persistence_verdicts({}, np.ones(5))


def synthetic_periods(n=(80, 30, 30), seed=0):
    """Returns per period and the closes they imply: close_t = close_(t-1) * e^(r_t)."""
    rng = np.random.default_rng(seed)
    returns = rng.normal(0, 0.01, size=sum(n))
    closes = 100 * np.exp(np.cumsum(returns))
    cuts = np.cumsum(n)[:-1]
    return dict(zip(PERIODS, np.split(returns, cuts))), np.split(closes, cuts)[2]


class Oracle:
    """A 'model' whose next-day forecast is the true scaled return of each test window."""

    def __init__(self, targets):
        self.targets = targets

    def predict(self, x, verbose=0):
        assert len(x) == len(self.targets)
        return self.targets[:, None]


def test_return_forecast_aligns_truth_and_previous():
    returns, test_closes = synthetic_periods()
    setup = return_forecast(returns, test_closes, 5)
    assert setup.windows["train"][0].shape == (75, 5, 1) and setup.windows["test"][0].shape == (25, 5, 1)
    np.testing.assert_array_equal(setup.truth, test_closes[5:])
    np.testing.assert_array_equal(setup.previous, test_closes[4:-1])
    assert setup.persistence_rmse == pytest.approx(np.sqrt(np.mean((test_closes[5:] - test_closes[4:-1]) ** 2)))
    perfect = setup.rmse_ratio(Oracle(setup.windows["test"][1]))
    assert perfect < 1e-3  # the true returns rebuild the true closes
    still = setup.closes(Oracle(np.full(25, -setup.scaler.mean_[0] / setup.scaler.scale_[0], dtype="float32")))
    np.testing.assert_allclose(still, setup.previous, rtol=1e-6)  # a zero return is persistence


def test_return_forecast_with_a_second_feature_undoes_the_return_column_only():
    returns, test_closes = synthetic_periods()
    features = {name: np.column_stack([r, 1000 + np.arange(len(r))]) for name, r in returns.items()}
    setup = return_forecast(features, test_closes, 5)
    assert setup.windows["test"][0].shape == (25, 5, 2)
    assert setup.rmse_ratio(Oracle(setup.windows["test"][1])) < 1e-3


@pytest.mark.parametrize(
    ("change", "match"),
    [({"features": {"train": [1.0, 2.0]}}, "features"), ({"test_closes": np.ones(3)}, "test_closes"),
     ({"window": 30}, "window"), ({"window": 0}, "window")],
)
def test_return_forecast_refuses_bad_arguments(change, match):
    returns, test_closes = synthetic_periods()
    args = {"features": returns, "test_closes": test_closes, "window": 5} | change
    with pytest.raises(ValueError, match=match):
        return_forecast(**args)


def test_fit_forecaster_shapes_its_output():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(40, 6, 1)).astype("float32"), rng.normal(size=(40, 3)).astype("float32")
    model, info = fit_forecaster(keras.layers.SimpleRNN, (x[:30], y[:30]), (x[30:], y[30:]), epochs=2, units=2)
    assert info["epochs"] == 2 and info["params"] == model.count_params() and info["train_seconds"] > 0
    assert model.predict(x[:2], verbose=0).shape == (2, 3)


@pytest.mark.parametrize(
    ("change", "match"),
    [({"cell": "lstm"}, "cell"), ({"epochs": 0}, "epochs"), ({"seed": -1}, "seed"), ({"units": 0}, "units"),
     ({"train": np.zeros((4, 3, 1))}, "train"), ({"validation": (np.zeros((4, 2, 1)), np.zeros(4))}, "validation")],
)
def test_fit_forecaster_refuses_bad_arguments(change, match):
    x, y = np.zeros((8, 3, 1), dtype="float32"), np.zeros(8, dtype="float32")
    args = {"cell": keras.layers.LSTM, "train": (x, y), "validation": (x, y), "epochs": 1} | change
    with pytest.raises(ValueError, match=match):
        fit_forecaster(**args)


def test_sp500_periods():
    sp500, log_return, periods = sp500_periods()
    assert list(periods) == list(PERIODS)
    assert sum(len(part) for part in periods.values()) == len(log_return) == len(sp500) - 1
    first_test_day = periods["test"].index[0]
    assert str(first_test_day.date()).startswith("2016-01")
    day_before = log_return.index[log_return.index.get_loc(first_test_day) - 1]
    assert log_return[first_test_day] == pytest.approx(np.log(sp500["Close"][first_test_day]
                                                              / sp500["Close"][day_before]))


def test_seed_errors_trains_one_seeded_model_per_seed():
    returns, test_closes = synthetic_periods()
    setup = return_forecast(returns, test_closes, 5)
    errors = setup.seed_errors(keras.layers.SimpleRNN, seeds=iter([1, 1, 2]), epochs=1)
    assert errors.shape == (3, 25) and (errors >= 0).all()
    np.testing.assert_array_equal(errors[0], errors[1])  # a seed gives the same model
    assert not np.array_equal(errors[0], errors[2])
    np.testing.assert_allclose(setup.persistence_squared_errors, (test_closes[4:-1] - test_closes[5:]) ** 2)
    with pytest.raises(ValueError, match="seeds"):
        setup.seed_errors(keras.layers.SimpleRNN, seeds=[], epochs=1)


def test_fit_forecaster_takes_a_loss_and_a_width():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(40, 6, 1)).astype("float32"), rng.normal(size=(40, 1)).astype("float32")

    def two_output_loss(y_true, y_pred):
        return keras.ops.mean((y_true[:, 0] - y_pred[:, 0]) ** 2 + 0.0 * y_pred[:, 1])

    model, _ = fit_forecaster(keras.layers.GRU, (x[:30], y[:30]), (x[30:], y[30:]), epochs=1, units=2,
                              loss=two_output_loss, outputs=2)
    assert model.predict(x[:3], verbose=0).shape == (3, 2)
    with pytest.raises(TypeError, match="loss"):
        fit_forecaster(keras.layers.GRU, (x, y), (x, y), epochs=1, loss=3)


def test_loss_comparison_against_any_reference():
    rng = np.random.default_rng(3)
    reference = rng.gamma(1.0, 1.0, size=500)
    better = np.abs(reference - 0.3 + rng.normal(0, 0.05, size=(3, 500)))
    c = loss_comparison("gru", better, reference, reference="GARCH(1,1)")
    assert (c.name_a, c.name_b, c.outcome) == ("gru", "GARCH(1,1)", "A better") and c.margin is None
    assert "series" in c.sources or c.se is not None
    with pytest.raises(ValueError, match="GARCH"):
        loss_comparison("gru", better[:, 1:], reference, reference="GARCH(1,1)")
    with pytest.raises(TypeError, match="reference"):
        loss_comparison("gru", better, reference, reference="")
