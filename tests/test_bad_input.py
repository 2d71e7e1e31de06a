"""Bad input gets a clear error naming the argument; wrong data is refused instead of used."""

import gzip
import json
import math
import shutil
import threading

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

from utils import datasets, report, results  # noqa: E402
from utils.datasets import load_imdb, load_sp500, split_by_date  # noqa: E402
from utils.integrity import ChecksumError, sha256_of, verify_file  # noqa: E402
from utils.measure import Measure  # noqa: E402
from utils.plots import plot_bars, plot_histories, plot_history  # noqa: E402
from utils.runmode import ENV_VAR  # noqa: E402
from utils.sequences import adding_problem, dataset_to_arrays, make_windows, recall_task, scale_with_train  # noqa: E402

BAD = (ValueError, TypeError)


# ---------------------------------------------------------------- data integrity
def test_upper_case_hash_is_the_same_hash(tmp_path):
    copy = tmp_path / "works.json.gz"
    shutil.copy(datasets.SHAKESPEARE_FILE, copy)
    assert verify_file(copy, datasets.SHAKESPEARE_SHA256.upper(), "restore it") == copy
    assert sha256_of(str(copy)) == datasets.SHAKESPEARE_SHA256


@pytest.mark.parametrize("expected", ["abc", "z" * 64, None, 123])
def test_verify_file_refuses_a_malformed_hash(tmp_path, expected):
    path = tmp_path / "f"
    path.write_bytes(b"x")
    with pytest.raises(BAD, match="expected"):
        verify_file(path, expected, "restore it")


def test_verify_file_refuses_bad_paths(tmp_path):
    with pytest.raises(TypeError, match="path"):
        verify_file(None, "0" * 64, "restore it")
    with pytest.raises(FileNotFoundError, match="not a regular file"):
        verify_file(tmp_path, "0" * 64, "restore it")
    with pytest.raises(FileNotFoundError, match="path"):
        sha256_of(tmp_path / "missing")


def test_sp500_checksum_is_recorded_and_checked():
    csv = datasets._package_file("arch.data.sp500", "sp500.csv.gz", datasets.SP500_RESTORE)
    assert sha256_of(csv) == datasets.SP500_SHA256
    text = (datasets.REPO_ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert datasets.SP500_SHA256 in text


def _sp500_copy(tmp_path, monkeypatch, transform):
    """Point load_sp500 at a changed copy of arch's file (the real file is never touched)."""
    source = datasets._package_file("arch.data.sp500", "sp500.csv.gz", "")
    copy = tmp_path / "sp500.csv.gz"
    copy.write_bytes(transform(source.read_bytes()))
    monkeypatch.setattr(datasets, "_package_file", lambda *args: copy)
    return copy


def _edit_csv(edit):
    def transform(raw):
        lines = gzip.decompress(raw).decode().splitlines()
        return gzip.compress("\n".join(edit(lines)).encode())
    return transform


def _times_ten(lines):
    fields = lines[100].split(",")
    fields[4] = str(float(fields[4]) * 10)
    return lines[:100] + [",".join(fields)] + lines[101:]


@pytest.mark.parametrize("transform", [
    lambda raw: raw[: len(raw) // 2],                       # truncated
    lambda raw: b"not a gzip file at all",                  # garbage
    _edit_csv(lambda lines: lines[:-5]),                    # missing its last rows
    _edit_csv(lambda lines: lines + lines[-3:]),            # duplicated rows
    _edit_csv(_times_ten),                                  # one close x10
])
def test_sp500_refuses_a_changed_copy(tmp_path, monkeypatch, transform):
    _sp500_copy(tmp_path, monkeypatch, transform)
    with pytest.raises(ChecksumError, match=r"sp500\.csv\.gz.*pip install --force-reinstall arch==8\.0\.0"):
        load_sp500()


def test_sp500_missing_file_says_how_to_restore(tmp_path, monkeypatch):
    monkeypatch.setattr(datasets, "_package_file", lambda *args: tmp_path / "sp500.csv.gz")
    with pytest.raises(FileNotFoundError, match="arch==8.0.0"):
        load_sp500()


def test_missing_package_says_how_to_restore():
    with pytest.raises(FileNotFoundError, match="pip install"):
        datasets._package_file("no_such_package_here", "x.csv", "Reinstall it with: pip install x")


@pytest.mark.parametrize("limit", [np.int64(5), 5])
def test_numpy_integer_limit_is_fine(limit):
    assert len(load_imdb("validation", limit=limit)) == 5


@pytest.mark.parametrize("split", [["train"], 0, b"train"])
def test_split_of_the_wrong_type(split):
    with pytest.raises(ValueError, match="split"):
        load_imdb(split)


# ---------------------------------------------------------------- dates
@pytest.fixture(scope="module")
def sp500():
    return load_sp500()


@pytest.mark.parametrize("start", ["", "   ", "not a date", 2013, 2013.0, True, pd.NaT, ["2013-01-01"]])
def test_split_dates_that_are_not_dates(sp500, start):
    with pytest.raises(BAD, match="validation_start"):
        split_by_date(sp500, validation_start=start)


def test_timezone_mismatch_is_explained(sp500):
    with pytest.raises(ValueError, match="time zone"):
        split_by_date(sp500, validation_start=pd.Timestamp("2013-01-01", tz="UTC"))
    with pytest.raises(ValueError, match="time zone"):
        split_by_date(sp500.tz_localize("UTC"))
    aware = split_by_date(sp500.tz_localize("UTC"), pd.Timestamp("2013-01-01", tz="UTC"),
                          pd.Timestamp("2016-01-01", tz="UTC"))
    assert [len(part) for part in aware] == [len(part) for part in split_by_date(sp500)]


def test_dates_as_date_objects_match_strings(sp500):
    import datetime

    parts = split_by_date(sp500, datetime.date(2013, 1, 1), np.datetime64("2016-01-01"))
    assert [len(p) for p in parts] == [len(p) for p in split_by_date(sp500)]


def test_missing_dates_in_the_index():
    frame = pd.DataFrame({"x": [1.0, 2.0]}, index=pd.DatetimeIndex(["2013-01-01", None]))
    with pytest.raises(ValueError, match="NaT"):
        split_by_date(frame)


# ---------------------------------------------------------------- results
@pytest.fixture
def results_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(results, "RESULTS_DIR", tmp_path)
    monkeypatch.setenv(ENV_VAR, "full")
    return tmp_path


@pytest.mark.parametrize("value", [float("nan"), float("inf"), np.float32("-inf")])
def test_non_finite_metric_is_refused_with_its_key_path(results_dir, value):
    with pytest.raises(ValueError, match=r"models\['lstm'\]\['test'\]\['accuracy'\]"):
        results.save_results("demo", {"lstm": {"test": {"accuracy": value}}})
    with pytest.raises(ValueError, match=r"baselines\['mean'\]"):
        results.save_results("demo", {"lstm": {"params": 1}}, baselines={"mean": {"rmse": value}})
    assert not (results_dir / "demo.json").exists()


def test_non_finite_extra_is_stored_as_null_and_the_file_is_strict_json(results_dir):
    path = results.save_results("demo", {"lstm": {"params": 1}}, clipping={"no_clipping": {"final_mse": math.nan}})
    stored = json.loads(path.read_text(), parse_constant=lambda name: pytest.fail(f"invalid JSON constant {name}"))
    assert stored["clipping"]["no_clipping"]["final_mse"] is None


@pytest.mark.parametrize("lesson", ["demo\n", " demo", "de mo", "Demo", "", None, 5, "1demo"])
def test_lesson_names(results_dir, lesson):
    with pytest.raises(ValueError, match="lesson"):
        results.save_results(lesson, {"lstm": {"params": 1}})
    with pytest.raises(ValueError, match="lesson"):
        results.load_results(lesson)


@pytest.mark.parametrize("field", ["mode", "lesson", "machine", "wall_seconds"])
def test_reserved_extra_fields(results_dir, field):
    with pytest.raises(BAD, match=field):  # Python itself refuses a second "lesson"
        results.save_results("demo", {"lstm": {"params": 1}}, **{field: "x"})


@pytest.mark.parametrize(("models", "baselines", "match"), [
    ({"lstm": 0.9}, None, r"models\['lstm'\]"),
    ({5: {"params": 1}}, None, "models keys"),
    ({"lstm": {"params": 1}}, ["mean"], "baselines"),
    ({"lstm": {"by_lag": {5: 0.9}}}, None, "key 5"),
    ({"lstm": {"when": pd.Timestamp("2020-01-01")}}, None, r"models\['lstm'\]\['when'\]"),
    ({"lstm": {"tags": {"a"}}}, None, "tags"),
    ([("lstm", {})], None, "models"),
])
def test_values_json_cannot_store(results_dir, models, baselines, match):
    with pytest.raises(BAD, match=match):
        results.save_results("demo", models, baselines=baselines)


def test_numpy_arrays_and_scalars_are_stored_as_lists_and_numbers(results_dir):
    path = results.save_results("demo", {"lstm": {"curve": np.array([0.1234567, 1.0]), "n": np.int64(3)}})
    assert json.loads(path.read_text())["models"]["lstm"] == {"curve": [0.123457, 1.0], "n": 3}


def test_broken_results_file_is_named(results_dir):
    (results_dir / "demo.json").write_text('{"lesson": "demo", ')
    with pytest.raises(ValueError, match=r"demo\.json is not valid JSON"):
        results.load_results("demo")
    with pytest.raises(ValueError, match=r"demo\.json is not valid JSON"):
        report.collect_results("full", results_dir)


def test_results_file_of_another_lesson(results_dir):
    (results_dir / "demo.json").write_text(json.dumps({"lesson": "other", "models": {}}))
    with pytest.raises(ValueError, match="not the results of lesson 'demo'"):
        results.load_results("demo")


def test_collect_results_needs_an_existing_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="results_dir"):
        report.collect_results("full", tmp_path / "nowhere")
    with pytest.raises(TypeError, match="results_dir"):
        report.collect_results("full", 42)
    assert report.collect_results("fast", tmp_path) == {}  # no fast run yet


def test_collect_results_refuses_two_files_for_one_lesson(tmp_path):
    for name in ("a", "b"):
        (tmp_path / f"{name}.json").write_text(json.dumps({"lesson": "sentiment"}))
    with pytest.raises(ValueError, match="both hold results of lesson 'sentiment'"):
        report.collect_results("full", tmp_path)


# ---------------------------------------------------------------- reports
SENTIMENT = {"lesson": "sentiment", "models": {"lstm": {"params": 10, "test": {"accuracy": 0.88}}}, "baselines": {}}


def test_report_refuses_unknown_tasks_and_missing_lessons():
    with pytest.raises(ValueError, match="task lessons"):
        report.combined_task_table({"sentiment": SENTIMENT}, "sentimnet")
    with pytest.raises(ValueError, match="run its notebook"):
        report.combined_task_table({}, "sentiment")
    with pytest.raises(ValueError, match="task lessons"):
        report.plot_task({"sentiment": SENTIMENT}, None)


def test_misspelt_metric_names_the_ones_there_are():
    with pytest.raises(ValueError, match=r"test\.acuracy.*test\.accuracy"):
        report.task_table(SENTIMENT, "test.acuracy")


@pytest.mark.parametrize(("payload", "match"), [
    (None, "payload"),
    ({"lesson": "x", "models": ["lstm"]}, "models"),
    ({"lesson": "x", "models": {"lstm": None}}, r"models\['lstm'\]"),
])
def test_malformed_payloads(payload, match):
    with pytest.raises(TypeError, match=match):
        report.task_table(payload, "test.accuracy")


def test_malformed_results_for_the_reference_table():
    with pytest.raises(TypeError, match="results"):
        report.reference_table_markdown(None)
    with pytest.raises(TypeError, match="sentiment"):
        report.reference_table_markdown({"sentiment": "lstm 0.88"})
    with pytest.raises(TypeError, match="memory_span"):
        report.reference_table_markdown({"memory_span": {"models": None}})
    with pytest.raises(TypeError, match="table"):
        report.frame_markdown({"a": 1})


# ---------------------------------------------------------------- plots
@pytest.mark.parametrize(("history", "match"), [
    (None, "history"),
    ({"loss": 5}, "loss"),
    ({"loss": []}, "loss"),
    ({"loss": ["a", "b"]}, "loss"),
    ({"loss": [None, 1.0]}, "loss"),
    ({"loss": [1.0, 2.0], "val_loss": [1.0]}, "val_loss"),
])
def test_malformed_histories(history, match):
    with pytest.raises(BAD, match=match):
        plot_history(history)


def test_plot_arguments():
    with pytest.raises(ValueError, match="metric"):
        plot_history({"loss": [1.0]}, metric=["loss"])
    with pytest.raises(TypeError, match="ax"):
        plot_history({"loss": [1.0]}, ax="left")
    with pytest.raises(ValueError, match="histories"):
        plot_histories([{"loss": [1.0]}])
    with pytest.raises(ValueError, match="accuracy.*'gru'"):
        plot_histories({"gru": {"loss": [1.0]}}, metric="accuracy")
    with pytest.raises(TypeError, match=r"values\['b'\]"):
        plot_bars({"a": 1.0, "b": None}, ylabel="x")
    with pytest.raises(ValueError, match="values"):
        plot_bars([1.0, 2.0], ylabel="x")
    with pytest.raises(ValueError, match="fmt"):
        plot_bars({"a": 1.5}, ylabel="x", fmt="{:d}")
    with pytest.raises(ValueError, match="reference"):
        plot_bars({"a": 1.5}, ylabel="x", reference=1.0)
    with pytest.raises(TypeError, match="ylabel"):
        plot_bars({"a": 1.5}, ylabel=None)


def test_highlight_may_be_one_name():
    ax = plot_bars({"ab": 1.0, "b": 2.0}, ylabel="x", highlight="ab")
    colors = [bar.get_facecolor() for bar in ax.patches]
    assert colors[0] != colors[1]


# ---------------------------------------------------------------- windows and scaling
@pytest.mark.parametrize(("series", "match"), [
    (np.array([1.0, np.inf, 2.0, 3.0, 4.0]), "infinite"),
    (np.array([1.0, -np.inf, 2.0, 3.0, 4.0]), "infinite"),
    (np.array([1.0, 1e300, 2.0, 3.0, 4.0]), "too large for float32"),
    (np.arange(100.0)[None, :], "transposed"),
    (np.arange(300.0).reshape(3, 100), "transposed"),
    (pd.DataFrame({"day": pd.date_range("2020", periods=10), "x": np.arange(10.0)}), "'day'"),
    (pd.Series(pd.date_range("2020", periods=10)), "datetime"),
    (np.array(["1", "2", "3", "4"]), "numbers"),
    (np.arange(10.0) + 1j, "complex"),
    (None, "series"),
    ("1234", "series"),
    (np.zeros((0, 2)), "empty"),
    ([[1.0, 2.0], [3.0]], "series"),
])
def test_windows_refuse_wrong_series(series, match):
    with pytest.raises(BAD, match=match):
        make_windows(series, window=2)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"target_column": True}, "target_column"),
    ({"target_column": 1.0}, "target_column"),
    ({"target_column": "close"}, "target_column"),
    ({"target_column": -1}, "target_column"),
    ({"target_column": None}, "target_column"),
    ({"shuffle": "no"}, "shuffle"),
    ({"seed": -1}, "seed"),
    ({"seed": 1.5}, "seed"),
    ({"window": 2.0}, "window"),
    ({"window": True}, "window"),
    ({"batch_size": None}, "batch_size"),
])
def test_windows_refuse_wrong_arguments(kwargs, match):
    with pytest.raises(BAD, match=match):
        make_windows(np.arange(20.0), **({"window": 3} | kwargs))


def test_windows_take_a_column_name_of_a_dataframe():
    frame = pd.DataFrame({"a": np.arange(20.0), "b": 100 + np.arange(20.0)})
    by_name = dataset_to_arrays(make_windows(frame, window=3, target_column="b"))
    by_position = dataset_to_arrays(make_windows(frame, window=3, target_column=1))
    np.testing.assert_array_equal(by_name[1], by_position[1])
    with pytest.raises(ValueError, match="'c' is not a column"):
        make_windows(frame, window=3, target_column="c")


def test_windows_of_valid_numeric_input_are_unchanged():
    ints = dataset_to_arrays(make_windows(np.arange(10), window=3, target_column=np.int64(0), seed=np.int64(1)))
    floats = dataset_to_arrays(make_windows(np.arange(10, dtype="float32"), window=3))
    np.testing.assert_array_equal(ints[0], floats[0])
    assert floats[0].dtype == np.float32


def test_dataset_to_arrays_refuses_what_it_cannot_stack():
    import tensorflow as tf

    empty = make_windows(np.arange(10.0), window=3).take(0)
    with pytest.raises(ValueError, match="empty"):
        dataset_to_arrays(empty)
    with pytest.raises(TypeError, match="dataset"):
        dataset_to_arrays((np.zeros((4, 3, 1)), np.zeros(4)))
    with pytest.raises(ValueError, match="batch"):
        dataset_to_arrays(make_windows(np.arange(10.0), window=3).unbatch())
    with pytest.raises(ValueError, match="pairs"):
        dataset_to_arrays(tf.data.Dataset.from_tensor_slices(np.zeros((4, 2))).batch(2))
    with pytest.raises(ValueError, match="infinite"):
        dataset_to_arrays(make_windows(np.arange(10.0), window=3).repeat())


def test_scale_with_train_refuses_wrong_scalers_and_degenerate_training_data():
    from sklearn.preprocessing import MinMaxScaler

    with pytest.raises(TypeError, match=r"MinMaxScaler\(\)"):
        scale_with_train(np.arange(5.0), scaler=MinMaxScaler)
    with pytest.raises(TypeError, match="scaler"):
        scale_with_train(np.arange(5.0), scaler="minmax")
    with pytest.raises(ValueError, match="at least 2"):
        scale_with_train(np.array([3.0]), np.arange(5.0))
    with pytest.raises(ValueError, match="constant"):
        scale_with_train(np.full(5, 2.0), np.arange(5.0))
    with pytest.raises(ValueError, match=r"others\[0\].*infinite"):
        scale_with_train(np.arange(5.0), np.array([1.0, np.inf]))
    with pytest.raises(ValueError, match=r"others\[1\].*feature"):
        scale_with_train(np.arange(5.0), np.arange(3.0), np.zeros((3, 2)))
    with pytest.raises(TypeError, match="train"):
        scale_with_train(pd.Series(pd.date_range("2020", periods=5)))


def test_scale_with_train_still_scales_valid_input():
    scaler, train, test = scale_with_train([1.0, 2.0, 3.0], np.array([4.0]))
    np.testing.assert_allclose(train, [-1.2247449, 0.0, 1.2247449], rtol=1e-6)
    assert test.shape == (1,) and test.dtype == np.float32


# ---------------------------------------------------------------- synthetic tasks
def test_recall_task_vocabulary_must_fit_int32():
    with pytest.raises(ValueError, match="vocab_size"):
        recall_task(4, lag=3, vocab_size=2**31 + 1)
    x, _ = recall_task(200, lag=3, vocab_size=2**31, seed=0)
    assert x.min() >= 0


@pytest.mark.parametrize("seed", [-1, 1.5, "0", True])
def test_synthetic_tasks_refuse_bad_seeds(seed):
    with pytest.raises(BAD, match="seed"):
        recall_task(4, lag=3, seed=seed)
    with pytest.raises(BAD, match="seed"):
        adding_problem(4, 10, seed=seed)


def test_synthetic_tasks_accept_numpy_integers():
    np.testing.assert_array_equal(recall_task(np.int64(4), np.int32(3), seed=np.int64(2))[0],
                                  recall_task(4, 3, seed=2)[0])


# ---------------------------------------------------------------- text
@pytest.fixture(scope="module")
def encoder():
    from utils.text import ReviewEncoder

    return ReviewEncoder(["a good film", "a bad film"], vocab_size=10, max_len=4)


@pytest.mark.parametrize(("texts", "match"), [
    ("a single review", "single str"),
    (b"bytes", "single bytes"),
    (["fine", None], r"train_texts\[1\]"),
    (["fine", 1], r"train_texts\[1\]"),
    (["fine", float("nan")], r"train_texts\[1\]"),
    (None, "train_texts"),
    (5, "train_texts"),
])
def test_encoder_training_texts(texts, match):
    from utils.text import ReviewEncoder

    with pytest.raises(TypeError, match=match):
        ReviewEncoder(texts)


@pytest.mark.parametrize(("texts", "match"), [
    ([""], r"no words: its 1 text\(s\) \(''\)"),
    (["   ", "!!!"], r"no words: its 2 text\(s\) \('   ', '!!!'\)"),
    (pd.Series(["", "...", "?!", " -- "]), r"its 4 text\(s\) \('', '...', '\?!' and 1 more\)"),
    (np.array(["", "!"]), r"its 2 text\(s\) \('', '!'\)"),
    ([], r"train_texts is empty \(\[\] \(list\)\)"),
    (pd.Series([], dtype=object), "train_texts is empty"),
])
def test_encoder_refuses_training_texts_without_words(texts, match):
    from utils.text import ReviewEncoder

    with pytest.raises(ValueError, match=match) as error:
        ReviewEncoder(texts)
    assert "at least one training text with at least one word" in str(error.value)


@pytest.mark.parametrize("texts", ["a single review", ["fine", None], ["fine", 1]])
def test_encoder_type_errors_are_value_errors_too(texts):
    """A bare string or a non-text item is a TypeError, and a ValueError for code that catches those."""
    from utils.text import ReviewEncoder

    with pytest.raises(ValueError, match="train_texts"):
        ReviewEncoder(texts)


@pytest.mark.parametrize("texts", [["", "a good film"], ["...", "Hi!"], pd.Series(["  ", "ok"]), ("word",),
                                   np.array(["ça va"])])
def test_encoder_needs_only_one_text_with_a_word(texts):
    from utils.text import ReviewEncoder

    encoder = ReviewEncoder(texts, vocab_size=10, max_len=3)
    assert len(encoder.vocabulary) > 2
    assert encoder(["", "unseen"]).tolist() == [[0, 0, 0], [1, 0, 0]]


@pytest.mark.parametrize(("kwargs", "match"), [({"max_len": True}, "max_len"), ({"vocab_size": 3.5}, "vocab_size"),
                                               ({"padding": None}, "padding"), ({"truncating": ["pre"]}, "truncating")])
def test_encoder_settings(kwargs, match):
    from utils.text import ReviewEncoder

    with pytest.raises(ValueError, match=match):
        ReviewEncoder(["x y"], **kwargs)


def test_encoding_refuses_non_texts(encoder):
    with pytest.raises(TypeError, match="text"):
        encoder.ids(None)
    with pytest.raises(TypeError, match="text"):
        encoder.ids(["a", "good"])
    with pytest.raises(TypeError, match="texts"):
        encoder(None)
    with pytest.raises(TypeError, match=r"texts\[1\]"):
        encoder(["a good film", None])
    assert encoder([]).shape == (0, 4)
    np.testing.assert_array_equal(encoder("a good film"), encoder(["a good film"]))
    np.testing.assert_array_equal(encoder(pd.Series(["a good film"])), encoder(np.array(["a good film"])))


# ---------------------------------------------------------------- measurement
@pytest.mark.parametrize("interval", [math.nan, math.inf, -1.0, 0, threading.TIMEOUT_MAX * 2])
def test_measure_interval_values(interval):
    with pytest.raises(ValueError, match="interval"):
        Measure(interval=interval)


@pytest.mark.parametrize("interval", ["0.1", None, True])
def test_measure_interval_types(interval):
    with pytest.raises(TypeError, match="interval"):
        Measure(interval=interval)


def test_benchmark_arguments():
    from utils.benchmark import benchmark_in_subprocess

    with pytest.raises(ValueError, match="cell"):
        benchmark_in_subprocess(["lstm"], 10, 4)
    with pytest.raises(ValueError, match="units"):
        benchmark_in_subprocess("lstm", 10, 4.0)
    with pytest.raises(BAD, match="timeout"):
        benchmark_in_subprocess("lstm", 10, 4, timeout=0)
