import json

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from utils import results  # noqa: E402
from utils.measure import Measure, rss_bytes  # noqa: E402
from utils.plots import plot_bars, plot_history  # noqa: E402
from utils.runmode import ENV_VAR  # noqa: E402


@pytest.fixture
def results_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(results, "RESULTS_DIR", tmp_path)
    return tmp_path


def test_full_mode_writes_the_committed_file(results_dir, monkeypatch):
    monkeypatch.setenv(ENV_VAR, "full")
    path = results.save_results("demo", {"lstm": {"params": 10, "test": {"accuracy": np.float32(0.5)}}})
    assert path == results_dir / "demo.json"
    stored = json.loads(path.read_text())
    assert stored["mode"] == "full" and stored["lesson"] == "demo"
    assert stored["models"]["lstm"]["test"]["accuracy"] == 0.5
    assert {"cpu", "cores", "gpu", "tensorflow", "keras"} <= set(stored["machine"])
    assert results.load_results("demo") == stored


def test_fast_mode_never_overwrites_full_results(results_dir, monkeypatch):
    monkeypatch.setenv(ENV_VAR, "full")
    results.save_results("demo", {"gru": {"params": 1}})
    monkeypatch.setenv(ENV_VAR, "fast")
    path = results.save_results("demo", {"gru": {"params": 2}})
    assert path == results_dir / "fast" / "demo.json"
    assert results.load_results("demo")["models"]["gru"]["params"] == 1
    assert results.load_results("demo", mode="fast")["models"]["gru"]["params"] == 2


def test_results_bad_input(results_dir):
    with pytest.raises(ValueError, match="lesson"):
        results.save_results("../evil", {"a": {}})
    with pytest.raises(ValueError, match="models"):
        results.save_results("demo", {})
    with pytest.raises(FileNotFoundError, match="run that lesson"):
        results.load_results("never_ran")
    with pytest.raises(ValueError, match="mode"):
        results.load_results("demo", mode="slow")


def test_measure_sees_an_allocation():
    assert rss_bytes() > 0
    with Measure() as m:
        block = np.ones(64 * 2**20 // 8)  # 64 MiB
        block.sum()
    assert m.seconds > 0
    assert m.added_mb > 32
    with pytest.raises(ValueError, match="interval"):
        Measure(interval=0)


def test_plots_draw_and_refuse_bad_input():
    ax = plot_history({"loss": [3, 2, 1], "val_loss": [3, 2.5, 2]})
    assert len(ax.lines) == 2
    with pytest.raises(ValueError, match="accuracy"):
        plot_history({"loss": [1]}, metric="accuracy")
    ax = plot_bars({"a": 1.0, "b": 2.0}, ylabel="x")
    assert len(ax.patches) == 2
    with pytest.raises(ValueError, match="values"):
        plot_bars({}, ylabel="x")


def test_benchmark_repeats_and_build_only_memory():
    from utils.benchmark import benchmark_cell, benchmark_in_subprocess

    result = benchmark_cell("gru", 5, 4, batch_size=8, features=3, batches=2, repeats=3)
    assert len(result["train_samples_per_second_repeats"]) == 3 and result["train_samples_per_second"] > 0
    assert result["process_peak_mb"] > 0 and result["trained"] is True
    built = benchmark_in_subprocess("gru", 5, 4, batch_size=8, features=3, batches=2, train=False)
    assert built["trained"] is False and built["process_peak_mb"] > 0 and "train_samples_per_second" not in built
    with pytest.raises(TypeError, match="train"):
        benchmark_cell("gru", 5, 4, train="yes")
    with pytest.raises(ValueError, match="repeats"):
        benchmark_cell("gru", 5, 4, repeats=0)
