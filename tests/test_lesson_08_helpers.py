"""Lesson 08's plumbing, on tiny made-up inputs (nothing is trained): the benchmark grid and its tables, the task and
claim tables, the per-seed lines and records, the attention weights' plot and summary, the guide's baseline block
and comparison line, and the check of Keras' layers against PyTorch's equations."""

import keras
import matplotlib.pyplot as plt
import numpy as np
import pytest

from utils.attention import (
    AttentionPooling,
    attention_spread,
    attention_weights_model,
    plot_attention_examples,
    spread_text,
)
from utils.benchmark import (
    benchmark_grid,
    inference_order,
    memory_table,
    plot_speeds,
    speed_table,
    speeds_at_width,
    stored_configurations,
    training_memory,
    training_speed_ratios,
)
from utils.guide import against_baselines, baseline_text, comparison_guide_line, outcome_sentence
from utils.report import (
    claim_parts_text,
    claims_table,
    plot_tasks,
    seed_runs_line,
    seed_runs_record,
    task_tables_text,
)
from utils.sentiment import sentiment_classifier
from utils.torch_equations import keras_against_torch, padding_check
from utils.verdicts import compare

SPEED = {"simple_rnn": 3000.0, "gru": 1500.0, "lstm": 1000.0}  # samples/s at length 1
SPREAD = (1.0, 0.93, 0.97)  # each repeat's share of the fastest


def fake_benchmark(cell, seq_len, units, batch_size=64, features=32, batches=5, repeats=1, train=True):
    """What benchmark_cell returns, made up: speeds fall with length, training memory grows with the gates."""
    calls.append((cell, seq_len, units, train))
    peak = 800.0 + (0.0 if not train else {"simple_rnn": 100.0, "gru": 400.0, "lstm": 350.0}[cell] + len(calls) % 3)
    if not train:
        return {"cell": cell, "seq_len": seq_len, "units": units, "process_peak_mb": peak}
    train_speed = [SPEED[cell] / seq_len * share for share in SPREAD[:repeats]]
    infer_speed = [2 * s for s in train_speed]
    return {"cell": cell, "seq_len": seq_len, "units": units, "params": units * 10, "trained": train,
            "train_samples_per_second": float(np.median(train_speed)),
            "inference_samples_per_second": float(np.median(infer_speed)),
            "train_samples_per_second_repeats": train_speed, "inference_samples_per_second_repeats": infer_speed,
            "process_peak_mb": peak}


calls = []


@pytest.fixture
def bench():
    calls.clear()
    return benchmark_grid(fake_benchmark, [10, 100], [8, 16], batches=2, repeats=3)


# ---------------------------------------------------------------- utils.benchmark
def test_the_grid_runs_cells_then_lengths_then_widths_and_adds_the_range(bench):
    assert calls[:4] == [("simple_rnn", 10, 8, True), ("simple_rnn", 10, 16, True), ("simple_rnn", 100, 8, True),
                         ("simple_rnn", 100, 16, True)]
    assert len(bench) == 12 and list(bench["cell"].unique()) == ["simple_rnn", "lstm", "gru"]
    row = bench.iloc[0]
    assert row["train_range"] == pytest.approx(max(row["train_samples_per_second_repeats"])
                                               - min(row["train_samples_per_second_repeats"]))
    table = speed_table(bench)
    assert list(table.columns) == ["params", "train_samples_per_second", "train_range",
                                   "inference_samples_per_second"]
    assert table.loc[("gru", 10, 8), "train_samples_per_second"] == pytest.approx(145.5)


def test_ratios_use_the_fastest_repeats_and_the_stored_keys_name_each_configuration(bench):
    ratios = training_speed_ratios(bench)
    np.testing.assert_allclose(ratios["simple_rnn / gru"], 2.0)
    np.testing.assert_allclose(ratios["gru / lstm"], 1.5)
    stored = stored_configurations(bench)
    assert len(stored) == 12 and set(stored["lstm_len100_u16"]) == {
        "params", "train_samples_per_second", "inference_samples_per_second", "train_samples_per_second_repeats",
        "inference_samples_per_second_repeats", "process_peak_mb"}


def test_speeds_at_one_width_and_the_inference_order(bench):
    speeds = speeds_at_width(bench, 16)
    assert list(speeds.index.get_level_values(0).unique()) == [10, 100]
    np.testing.assert_allclose(speeds["inference / training"], 2.0)
    order = inference_order(bench, 16, [10, 100])
    assert [key for key, _ in order] == [(10, "simple_rnn", "gru"), (10, "gru", "lstm"), (100, "simple_rnn", "gru"),
                                         (100, "gru", "lstm")]
    assert all(c.family == 4 for _, c in order)
    assert order[0][1].verdict == "simple_rnn better"  # twice as fast in every repeat


def test_training_memory_subtracts_the_mean_build_only_peak():
    calls.clear()
    runs = training_memory(fake_benchmark, 50, 8, repeats=2, cells=["simple_rnn", "gru"])
    assert [c[0] for c in calls] == ["simple_rnn"] * 4 + ["gru"] * 4
    assert [c[3] for c in calls[:4]] == [False, False, True, True]  # build-only first, then training
    assert runs["gru"]["train_mb"] == [t - 800.0 for t in runs["gru"]["train_peak_mb"]]
    table = memory_table(runs)
    assert list(table.index) == ["simple_rnn", "gru"]
    assert table.loc["simple_rnn", "build-only peak MB"] == 800.0


def test_the_benchmark_plot_has_two_panels(bench):
    fig = plot_speeds(bench, 8)
    assert len(fig.axes) == 2 and fig.axes[0].get_title() == "Training, 8 units"
    plt.close(fig)


def test_benchmark_helpers_say_what_they_expected(bench):
    with pytest.raises(TypeError, match="benchmark must be a function"):
        benchmark_grid("fast", [10], [8], batches=2, repeats=3)
    with pytest.raises(ValueError, match=r"lengths\[1\] must be a positive integer"):
        benchmark_grid(fake_benchmark, [10, 0], [8], batches=2, repeats=3)
    with pytest.raises(ValueError, match="cells must be one or more of"):
        benchmark_grid(fake_benchmark, [10], [8], batches=2, repeats=3, cells=["rnn"])
    with pytest.raises(TypeError, match="benchmark_grid"):
        speed_table([1, 2])
    with pytest.raises(ValueError, match="no configuration of width 64"):
        speeds_at_width(bench, 64)
    with pytest.raises(ValueError, match=r"\(1000, 'simple_rnn'\)"):
        inference_order(bench, 8, [1000])
    with pytest.raises(ValueError, match="lacks the column"):
        training_speed_ratios(bench.drop(columns="train_samples_per_second_repeats"))
    with pytest.raises(ValueError, match="non-empty lists"):
        memory_table({"gru": {"train_mb": []}})
    with pytest.raises(ValueError, match="repeats must be a positive integer"):
        training_memory(fake_benchmark, 50, 8, repeats=0)


# ---------------------------------------------------------------- utils.report
SENTIMENT = {"lesson": "sentiment",
             "models": {"lstm": {"params": 10, "train_seconds": 5.0, "test": {"accuracy": 0.88}}},
             "baselines": {"tfidf_logreg": {"test": {"accuracy": 0.89}}},
             "comparisons": {"lstm_vs_tfidf_logreg": "lstm 0.880 vs tfidf_logreg 0.890 -> tfidf_logreg better"}}


def test_task_tables_name_what_is_missing_and_format_the_numbers():
    text = task_tables_text({"sentiment": SENTIMENT})
    assert text.startswith("results found: sentiment")
    assert "IMDB sentiment (higher is better)" in text and "0.880" in text
    assert "S&P 500 next-day close: no results yet" in text
    assert "none — run the lessons first" in task_tables_text({})
    with pytest.raises(TypeError, match="results must be a dict"):
        task_tables_text(["sentiment"])


def test_task_charts_one_panel_per_task_with_results():
    fig = plot_tasks({"sentiment": SENTIMENT})
    assert len(fig.axes) == 1
    plt.close(fig)
    assert plot_tasks({}) is None


DECIDED = {"C1": {"verdict": "partly holds", "lessons": ["04", "08"],
                  "parts": [{"part": "a", "verdict": "holds", "evidence": "x -> A better"},
                            {"part": "b", "verdict": "not decided", "evidence": "y"},
                            {"part": "c", "verdict": "holds", "evidence": "z", "context": True}]}}


def test_claims_table_counts_the_parts_and_parts_text_shows_the_evidence():
    table = claims_table(DECIDED)
    assert table.loc["C1", "verdict"] == "partly holds" and table.loc["C1", "lessons"] == "04, 08"
    assert table.loc["C1", "its parts"] == "1 holds, 1 not decided, 1 holds (context)"
    assert claim_parts_text(DECIDED["C1"]).splitlines()[:2] == ["a: holds", "  x -> A better"]
    with pytest.raises(TypeError, match="decide_all"):
        claims_table({})
    with pytest.raises(TypeError, match="claim's record"):
        claim_parts_text({"verdict": "holds"})


def _runs(accuracies):
    return [(None, None, {"params": 7, "test": {"accuracy": a}, "epochs": 3, "best_epoch": 2, "train_seconds": 10.0})
            for a in accuracies]


def test_seed_lines_and_records():
    line = seed_runs_line("lstm_average", _runs([0.81, 0.8234]))
    assert line == "lstm_average     test accuracy 0.810 / 0.823; epochs run [3, 3], best epoch [2, 2]; 10 s per seed"
    record = seed_runs_record({"lstm_average": _runs([0.81, 0.83])}, [0, 1])["lstm_average"]
    assert record["test_accuracy_seeds"] == [0.81, 0.83] and record["test"]["accuracy"] == pytest.approx(0.82)
    assert record["params"] == 7 and record["seeds"] == [0, 1] and record["train_seconds"] == 10.0
    with pytest.raises(ValueError, match="one seed per run"):
        seed_runs_record({"lstm": _runs([0.8])}, [0, 1])
    with pytest.raises(ValueError, match=r"runs of 'lstm'\[0\]"):
        seed_runs_line("lstm", [(None, None, {"test": {}})])
    with pytest.raises(TypeError, match="train_classifier"):
        seed_runs_line("lstm", "runs")


# ---------------------------------------------------------------- utils.attention
IDS = np.array([[3, 4, 5, 0], [6, 7, 8, 9], [2, 0, 0, 0]])


def test_attention_spread_of_uniform_and_peaked_weights():
    uniform = np.array([[1 / 3] * 3 + [0], [0.25] * 4, [1, 0, 0, 0]], dtype="float32")
    summary = attention_spread(uniform, IDS)
    assert summary["reviews"] == 2  # the one-word review is left out
    np.testing.assert_allclose(summary["peak_over_uniform_quartiles"], 1.0, rtol=1e-6)
    np.testing.assert_allclose(summary["entropy_over_log_n_quartiles"], 1.0, rtol=1e-6)
    assert spread_text(summary).endswith("this layer pools much like an average")
    peaked = np.array([[0.98, 0.01, 0.01, 0], [0.97, 0.01, 0.01, 0.01], [1, 0, 0, 0]])
    assert "depart from uniform" in spread_text(attention_spread(peaked, IDS))
    with pytest.raises(ValueError, match="shape of ids"):
        attention_spread(uniform[:, :3], IDS)
    with pytest.raises(ValueError, match="word ids"):
        attention_spread(uniform, IDS - 5)
    with pytest.raises(TypeError, match="attention_spread"):
        spread_text({"reviews": 2})


def test_attention_examples_draw_one_panel_per_review(capsys):
    keras.utils.set_random_seed(0)
    model = sentiment_classifier(keras.layers.LSTM(4, return_sequences=True), AttentionPooling(name="attention"),
                                 vocab_size=12, embedding_dim=4)
    vocabulary = [""] + [f"w{i}" for i in range(1, 12)]
    fig = plot_attention_examples(model, attention_weights_model(model), IDS, [1, 0, 1], vocabulary, [0, 1])
    assert len(fig.axes) == 2 and fig.axes[0].get_title().startswith("test review 0: label positive")
    assert capsys.readouterr().out.startswith("review 0 (3 words, 1/n = 0.333): largest weights on")
    plt.close(fig)
    with pytest.raises(ValueError, match="indices of reviews"):
        plot_attention_examples(model, None, IDS, [1, 0, 1], vocabulary, [5])
    with pytest.raises(ValueError, match="a word for every id"):
        plot_attention_examples(model, None, IDS, [1, 0, 1], vocabulary[:5], [0])


# ---------------------------------------------------------------- utils.guide
def test_a_comparison_in_words_and_as_a_guide_line():
    c = compare([0.80, 0.81, 0.79], [0.70, 0.71, 0.69], names=("lstm_attention", "lstm_average"), margin="accuracy")
    assert outcome_sentence(c) == "lstm_attention is decidedly more accurate than lstm_average"
    line = comparison_guide_line("Attention?", c, "attention", "average pooling", "section 3")
    assert line == ("Attention?\n    attention is decidedly more accurate than average pooling "
                    "[section 3: lstm_attention better]")
    with pytest.raises(TypeError, match="Comparison"):
        outcome_sentence("A better")


def test_the_baseline_block_reads_stored_comparisons_only():
    results = {"sentiment": SENTIMENT,
               "stock_forecasting": {"models": {"gru": {}}, "against_persistence": {"gru": "not decided",
                                                                                    "ghost": "holds"}}}
    assert against_baselines(results, "sentiment") == {"lstm": "tfidf_logreg better (tfidf_logreg)"}
    assert against_baselines(results, "text_generation") == {}
    text = baseline_text(results)
    assert "sentiment: lstm: tfidf_logreg better (tfidf_logreg)\n  -> decidedly ahead of the baseline: none" in text
    assert "text_generation: no stored comparisons" in text
    assert "stock_forecasting: gru: not decided (against persistence)" in text and "ghost" not in text
    with pytest.raises(TypeError, match="lesson names"):
        baseline_text(results, "sentiment")


# ---------------------------------------------------------------- utils.torch_equations
def test_keras_layers_against_torch_and_the_padding_check():
    keras.utils.set_random_seed(0)
    x = np.random.default_rng(0).normal(size=(2, 6, 3)).astype("float32")
    found = keras_against_torch(x, units=4)
    assert list(found) == ["simple_rnn", "lstm", "gru"]
    assert all(r["max_difference"] < 1e-5 for r in found.values())
    assert found["lstm"]["torch_params"] - found["lstm"]["keras_params"] == 16  # the second bias, 4 gates x 4
    assert found["gru"]["torch_params"] == found["gru"]["keras_params"]
    moved, same = padding_check(found["gru"]["layer"], x, real_steps=3)
    assert moved > 0 and same is True
    with pytest.raises(ValueError, match="real_steps must be below"):
        padding_check(found["gru"]["layer"], x, real_steps=6)
    with pytest.raises(TypeError, match="SimpleRNN, LSTM or GRU"):
        padding_check("gru", x, real_steps=3)
    with pytest.raises(ValueError, match=r"\[batch, time, features\]"):
        keras_against_torch(np.zeros((2, 3)))

