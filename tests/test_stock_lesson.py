"""utils.stock_lesson, lesson 07's plumbing: metric tables, seed runs, horizons, half-years, walk-forward, the
volatility and interval scores, and the results record, on tiny synthetic inputs."""

import keras
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import mean_absolute_error, root_mean_squared_error
from sklearn.preprocessing import StandardScaler

from utils import stock_lesson as lesson
from utils.checks import ArgumentTypeError
from utils.forecasting import half_year_labels, persistence_comparison, persistence_verdicts, window_arrays
from utils.verdicts import correct
from utils.volatility import qlike


@pytest.fixture(autouse=True)
def _no_figures(monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.setattr("matplotlib.pyplot.show", lambda: None)


def _walk(n=60, seed=0):
    rng = np.random.default_rng(seed)
    truth = 100 + np.cumsum(rng.normal(size=n))
    previous = np.r_[100.0, truth[:-1]]
    return truth, previous, np.log(truth / previous)


def test_forecast_scores_match_their_definitions():
    truth, previous, ret = _walk()
    forecast = previous + 0.3
    got = lesson.forecast_scores(forecast, truth, previous, ret)
    assert got["rmse_points"] == pytest.approx(root_mean_squared_error(truth, forecast))
    assert got["mae_points"] == pytest.approx(mean_absolute_error(truth, forecast))
    assert got["direction_accuracy"] == pytest.approx(np.mean(ret > 0))  # always "up"
    assert lesson.forecast_scores(previous, truth, previous, ret)["direction_accuracy"] == pytest.approx(
        np.mean(ret > 0))  # persistence's zero move counts as up


def test_forecast_scores_refuse_other_days():
    truth, previous, ret = _walk()
    with pytest.raises(ValueError, match="same days"):
        lesson.forecast_scores(previous[:-1], truth, previous, ret)
    with pytest.raises(ArgumentTypeError):
        lesson.forecast_scores("up", truth, previous, ret)


def test_run_summary_and_its_errors():
    records = [{"params": 7, "train_seconds": 1.0, "epochs": 3}, {"params": 7, "train_seconds": 3.0, "epochs": 5}]
    assert lesson.run_summary(records) == {"params": 7, "train_seconds": 2.0, "epochs": [3, 5]}
    with pytest.raises(ArgumentTypeError):
        lesson.run_summary({"params": 7})
    with pytest.raises(ValueError, match="missing"):
        lesson.run_summary([{"params": 7}])


class _Constant:
    """A stand-in model whose predict returns one value per window."""

    def __init__(self, value):
        self.value = value

    def predict(self, x, verbose=0):
        return np.full((len(x), 1), self.value, dtype="float32")


def test_train_seed_runs_collects_every_cell_target_and_seed():
    truth, previous, ret = _walk(30)
    lines = []

    def train(cell, target, seed):
        return _Constant(seed / 100), {"params": 1, "train_seconds": 0.5, "epochs": seed}

    def to_points(model, target, period):
        return previous * (1 + model.value) if period == "test" else np.full(10, 100.0)

    runs = lesson.train_seed_runs({"a": object, "b": object}, ("return", "price"), [1, 2], train, to_points,
                                  lambda f: lesson.forecast_scores(f, truth, previous, ret), np.full(10, 100.0),
                                  out=lines.append)
    assert list(runs.forecasts) == ["a", "a_price", "b", "b_price"] and len(lines) == 4
    assert runs.forecasts["a"].shape == (2, 30) and runs.forecasts["a"].dtype == np.float64
    assert runs.info["a"] == {"params": 1, "train_seconds": 0.5, "epochs": [1, 2]}
    assert runs.models["a"].value == pytest.approx(0.01) and runs.validation_rmse["a"] == 0.0
    mean = runs.mean_scores()["a"]["rmse_points"]
    assert mean == pytest.approx(np.mean([s["rmse_points"] for s in runs.seed_scores["a"]]))
    with pytest.raises(ValueError, match="seeds"):
        lesson.train_seed_runs({"a": object}, ("return",), [], train, to_points, len, np.ones(3))
    with pytest.raises(ArgumentTypeError, match="train"):
        lesson.train_seed_runs({"a": object}, ("return",), [1], None, to_points, len, np.ones(3))


def test_ratio_table_divides_by_persistence():
    table = lesson.ratio_table({"persistence": {"rmse_points": 2.0}, "m": {"rmse_points": 3.0}})
    assert table.loc["m", "rmse_ratio_to_persistence"] == pytest.approx(1.5)
    with pytest.raises(ValueError, match="persistence"):
        lesson.ratio_table({"m": {"rmse_points": 3.0}})


def test_horizon_rmse_of_zero_returns_is_persistence():
    closes = 100 + np.cumsum(np.random.default_rng(1).normal(size=40))
    windows = len(closes) - 5 - 3 + 1
    multi = lesson.horizon_rmse(closes, 5, {"zero": np.zeros((windows, 3))})
    assert list(multi.index) == [1, 2, 3]
    np.testing.assert_allclose(multi["zero"], multi["persistence"])
    last = np.arange(4, len(closes) - 3)
    assert multi.loc[2, "persistence"] == pytest.approx(np.sqrt(np.mean((closes[last + 2] - closes[last]) ** 2)))
    with pytest.raises(ValueError, match="forecasts"):
        lesson.horizon_rmse(closes, 5, {"zero": np.zeros((windows - 1, 3))})


def test_half_year_ratios():
    days = pd.bdate_range("2016-06-20", periods=20)
    truth, previous, _ = _walk(20)
    table = lesson.half_year_ratios(truth, previous, {"persistence": previous, "off": previous + 1}, days)
    assert list(table.index) == ["2016 H1", "2016 H2"]
    np.testing.assert_allclose(table["persistence"], 1.0)
    with pytest.raises(ValueError, match="dates"):
        lesson.half_year_ratios(truth, previous, {"p": previous}, days[:-1])


def _tiny_market():
    days = pd.bdate_range("2014-01-01", "2016-12-30")
    rng = np.random.default_rng(3)
    close = pd.Series(1000 * np.exp(np.cumsum(rng.normal(0, 0.01, len(days)))), index=days)
    log_return = np.log(close).diff().dropna()
    return close, log_return


def test_walk_forward_retrains_per_half_year_and_keeps_the_days_apart():
    close, log_return = _tiny_market()
    test_index = log_return.index[log_return.index >= "2016-01-01"]
    lines = []
    records, errors, seconds = lesson.walk_forward(log_return, close, test_index, 1, 5,
                                                   {"gru": keras.layers.GRU}, [0], 1, out=lines.append)
    (record,) = records
    assert record["name"] == "2016 H1" and record["train"][1] < "2015-01-01" <= record["validation"][0]
    assert record["days"] == np.sum(half_year_labels(test_index) == "2016 H1") == errors["2016 H1"]["gru"].shape[1]
    assert seconds > 0 and len(lines) == 1
    days = lesson.walk_forward_days(errors)
    assert days["persistence"].shape == days["fold"].shape and set(days["fold"]) == {0}
    tests, outcomes = lesson.fold_verdicts(errors, out=lines.append)
    assert len(tests) == 1 and outcomes["gru"][0] in ("beats", "worse", "equivalent", "not decided")
    with pytest.raises(ValueError, match="n_folds"):
        lesson.walk_forward(log_return, close, test_index, 3, 5, {"gru": keras.layers.GRU}, [0], 1)
    with pytest.raises(ArgumentTypeError):
        lesson.walk_forward(log_return.to_numpy(), close, test_index, 1, 5, {"gru": keras.layers.GRU}, [0], 1)


def test_fold_verdicts_are_persistence_comparisons_corrected_together():
    rng = np.random.default_rng(4)
    errors = {f: {"persistence": rng.random(30), "a": rng.random((2, 30))} for f in ("2016 H1", "2016 H2")}
    tests, _ = lesson.fold_verdicts(errors, out=lambda line: None)
    expected = correct([persistence_comparison("a", errors[f]["a"], errors[f]["persistence"]) for f in errors])
    assert [c.describe(3) for c in tests] == [c.describe(3) for c in expected]


def test_multi_step_returns_and_gaussian_forecast_with_a_real_model():
    series = np.random.default_rng(5).normal(size=80).astype("float32")
    windows = {p: window_arrays(series[i:i + 40], 5, n_ahead=3) for p, i in (("train", 0), ("validation", 20),
                                                                            ("test", 40))}
    scaler = StandardScaler().fit(series[:, None])
    predicted = lesson.multi_step_returns({"lstm": keras.layers.LSTM}, windows, scaler, 1)
    assert predicted["lstm"].shape == (len(windows["test"][0]), 3)
    with pytest.raises(ValueError, match="horizon"):
        lesson.multi_step_returns({"lstm": keras.layers.LSTM}, {p: window_arrays(series, 5) for p in windows},
                                  scaler, 1)

    class Head:
        def predict(self, x, verbose=0):
            return np.tile([[1.0, 0.0]], (len(x), 1))

    mean, std = lesson.gaussian_forecast(Head(), np.zeros((4, 5, 1)), scaler)
    assert mean == pytest.approx(np.full(4, scaler.mean_[0] + scaler.scale_[0]))
    assert std == pytest.approx(np.full(4, np.sqrt(np.log(2) + 1e-3) * scaler.scale_[0]))
    with pytest.raises(ValueError, match="mean, raw variance"):
        lesson.gaussian_forecast(_Constant(0.0), np.zeros((4, 5, 1)), scaler)


def test_per_day_losses_keep_seeds_apart():
    realised = np.array([1e-4, 4e-4, 9e-4])
    losses = lesson.per_day_losses(qlike, {"one": realised, "two": np.stack([realised, 2 * realised])}, realised)
    assert losses["one"].shape == (3,) and losses["two"].shape == (2, 3)
    np.testing.assert_allclose(losses["one"], 0.0, atol=1e-12)
    with pytest.raises(ArgumentTypeError):
        lesson.per_day_losses("qlike", {"one": realised}, realised)


def test_interval_scores_record_and_diagnosis():
    rng = np.random.default_rng(6)
    truth = rng.normal(0, 0.01, 200)
    runs = [(np.zeros(200), np.full(200, 0.01)), (np.zeros(200), np.full(200, 0.02))]
    scores = lesson.interval_scores({"cell": runs, "constant": runs[:1]}, truth, (0.8, 0.95), seeded={"cell"})
    assert scores["crps"]["cell"].shape == (2, 200) and scores["crps"]["constant"].shape == (200,)
    assert len(scores["coverage"]["cell", 0.8]) == 2 and 0 <= scores["coverage_p"]["constant", 0.95][0] <= 1
    lines = []
    lesson.print_interval_table(scores, (0.8, 0.95), out=lines.append)
    assert "cell" in lines[1]
    tests = {"cell": persistence_comparison("cell", scores["crps"]["cell"], scores["crps"]["constant"])}
    record = lesson.probabilistic_record((0.8, 0.95), scores, tests)
    assert set(record) == {"levels", "score", "nll", "crps", "coverage", "coverage_p", "outcomes", "tests"}
    assert "cell_80" in record["coverage"] and len(record["crps"]["cell"]) == 2
    z = truth / 0.01
    table = lesson.coverage_diagnosis(truth, z, (np.zeros(200), np.full(200, 0.01), 8.0), (0.8, 0.95))
    assert list(table.columns) == ["80%", "95%"] and table.shape == (3, 2)
    with pytest.raises(ArgumentTypeError):
        lesson.probabilistic_record((0.8,), {"crps": {}}, tests)


def test_mistakes_table_and_printers():
    table = lesson.mistakes_table({"honest": 4.0, "leak": 1.0}, 2.0)
    assert table.loc["honest", "rmse_ratio_to_persistence"] == 2.0
    assert table.loc["leak", "persistence_rmse_points"] == 2.0
    lines = []
    lesson.print_claim_table({"m": {"rmse_points": 1.0, "rmse_ratio_to_persistence": 0.5,
                                    "direction_accuracy": 0.5}}, ["m"], out=lines.append)
    assert "0.500 x persistence" in lines[0]
    multi = pd.DataFrame({"persistence": [1.0, 1.5], "m": [1.1, 1.4]}, index=[1, 2])
    lesson.print_horizons(multi, out=lines.append)
    assert "0.10 points" in lines[-1]
    with pytest.raises(ArgumentTypeError):
        lesson.print_horizons({"persistence": 1}, out=lines.append)


def test_results_record_keeps_every_key():
    truth, previous, ret = _walk(40)
    errors = {"persistence": (previous - truth) ** 2, "lstm": np.stack([(previous * 1.001 - truth) ** 2] * 2),
              "simple_rnn": np.stack([(previous * 0.999 - truth) ** 2] * 2)}
    verdicts = persistence_verdicts({k: v for k, v in errors.items() if k != "persistence"}, errors["persistence"])
    runs = lesson.SeedRuns()
    for name in ("lstm", "simple_rnn"):
        runs.seed_scores[name] = [{"rmse_points": 1.0}] * 2
        runs.info[name] = {"params": 1, "train_seconds": 1.0, "epochs": [1, 1]}
        runs.validation_rmse[name] = 1.0
    scores = {n: {"rmse_points": 1.0} for n in ("persistence", "ridge_20", "lstm", "simple_rnn")}
    mse = {k: v.mean(axis=1).tolist() for k, v in errors.items() if k != "persistence"}
    c3 = persistence_comparison("lstm", errors["lstm"], errors["persistence"])
    record = lesson.results_record(
        runs=runs, scores=scores, baselines=["persistence", "ridge_20"], ridge_alpha=1.0, seeds=[1, 2],
        verdicts=verdicts, c3=c3, mse_seeds=mse, persistence_mse=1.0,
        test_days=pd.bdate_range("2016-01-01", periods=40), selected="lstm", multi=pd.DataFrame({"persistence": [1.0]}),
        breakdown=pd.DataFrame({"lstm": {"2016 H1": 1.0}}), walk_forward=[], walk_seconds=1.0, fold_tests=[],
        fold_outcomes={}, mistakes=lesson.mistakes_table({"a": 1.0}, 1.0),
        volatility={}, probabilistic={}, noise_rule="rule", setup={"window": 20}, forecast_std={},
        return_verdicts=verdicts, diagnosis=pd.DataFrame({"80%": {"a": 0.8}}))
    assert list(record) == ["models", "baselines", "ridge_alpha", "against_persistence_tests", "seeds", "test_period",
                            "against_persistence", "selected_model", "c3_lstm_vs_simple_rnn", "multi_step_rmse_points",
                            "per_half_year_breakdown", "walk_forward", "leakage", "volatility", "probabilistic",
                            "noise_rule", "setup", "forecast_std", "return_space_tests", "coverage_diagnosis"]
    assert record["baselines"]["ridge_20"]["params"] == 21 and record["baselines"]["persistence"]["params"] == 0
    assert record["models"]["lstm"]["seed_rmse_ratio_to_persistence"] == [1.0, 1.0]
    with pytest.raises(ValueError, match="window"):
        lesson.results_record(**{**{k: None for k in ("runs", "scores", "baselines", "ridge_alpha", "seeds",
                                                      "verdicts", "c3", "mse_seeds", "persistence_mse", "test_days",
                                                      "selected", "multi", "breakdown", "walk_forward",
                                                      "walk_seconds", "fold_tests", "fold_outcomes", "mistakes",
                                                      "volatility", "probabilistic", "noise_rule", "forecast_std",
                                                      "return_verdicts", "diagnosis")}, "setup": {}})


def test_plots_draw_without_error():
    truth, previous, ret = _walk(90)
    days = pd.bdate_range("2016-01-04", periods=90)
    lesson.plot_forecasts(days, truth, {"persistence": previous})
    lesson.plot_volatility(days, ret, {"garch": np.full(90, 1e-4), "cell": np.full((2, 90), 1e-4)},
                           {"garch": "GARCH", "cell": "cell"})
    record = [{"name": "2016 H1", "rmse_ratio_to_persistence": {"gru": [1.0, 1.1]}}]
    lesson.plot_walk_forward(record, pd.DataFrame({"gru": {"2016 H1": 0.9, "2016 H2": 1.0}}))
    with pytest.raises(ValueError, match="not a variance forecast"):
        lesson.plot_volatility(days, ret, {"garch": np.full(90, 1e-4)}, {"x": "x"})


def test_seed_list_takes_lists_tuples_ranges_and_refuses_the_rest():
    from utils.checks import seed_list

    assert seed_list([42, 43]) == seed_list((42, 43)) == [42, 43] and seed_list(range(2)) == [0, 1]
    for bad in ([], "42", 42, [0.5], {"a": 1}):
        with pytest.raises(ValueError, match="non-empty list of integer seeds"):
            seed_list(bad)
