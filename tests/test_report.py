import json

import pytest

from utils.report import collect_results, frame_markdown, reference_table_markdown, task_table

SENTIMENT = {
    "lesson": "sentiment",
    "mode": "full",
    "models": {"lstm": {"params": 10, "train_seconds": 5.0, "test": {"accuracy": 0.88}},
               "gru": {"params": 8, "train_seconds": 4.0, "test": {"accuracy": 0.87}}},
    "baselines": {"tfidf_logreg": {"test": {"accuracy": 0.89}}},
}


def test_collect_results_reads_only_lesson_files(tmp_path):
    (tmp_path / "sentiment.json").write_text(json.dumps(SENTIMENT))
    (tmp_path / "run_log.json").write_text(json.dumps({"notebooks": []}))
    (tmp_path / "fast").mkdir()
    (tmp_path / "fast" / "sentiment.json").write_text(json.dumps(SENTIMENT | {"mode": "fast"}))
    assert list(collect_results("full", tmp_path)) == ["sentiment"]
    assert collect_results("fast", tmp_path)["sentiment"]["mode"] == "fast"
    with pytest.raises(ValueError, match="mode"):
        collect_results("slow", tmp_path)


def test_task_table_and_markdown():
    table = task_table(SENTIMENT, "test.accuracy")
    assert list(table.index) == ["lstm", "gru", "tfidf_logreg"]
    assert table.loc["tfidf_logreg", "kind"] == "baseline"
    assert table.loc["gru", "test.accuracy"] == 0.87
    assert frame_markdown(table).count("\n") == 4
    with pytest.raises(ValueError, match="no models"):
        task_table({"lesson": "x"}, "test.accuracy")


def test_reference_table_lists_missing_tasks():
    text = reference_table_markdown({"sentiment": SENTIMENT})
    assert "| IMDB sentiment | test accuracy | lstm | 0.880 |" in text
    assert "not run yet" in text


def test_memory_span_rows_per_regime():
    from utils.report import reference_table_markdown

    results = {"memory_span": {"lesson": "memory_span", "seeds": [0, 1, 2], "train_seconds": {"curriculum": 12.0},
                               "models": {"lstm": {"params": 10, "median_longest_lag_solved": {"curriculum": 500.0}},
                                          "gru": {"params": 8, "median_longest_lag_solved": {"from_scratch": 0.0}}}}}
    table = reference_table_markdown(results)
    row = "| memory span, curriculum T = 5 … 1,000 | median longest T with ≥ 90% accuracy (3 seeds) | lstm | 500 |"
    assert row in table
    assert "| memory span, trained from scratch at each T |" in table and "| gru | 0 |" in table


def test_reference_table_adds_lesson_10s_edge_and_counting_rows_and_only_its_transformer():
    from utils.report import reference_table_markdown

    results = {"text_generation": {"lesson": "text_generation", "models": {
                   "gru": {"params": 9, "train_seconds": 60.0, "test": {"loss_nats_per_char": 1.7}}}},
               "streaming_edge_counting": {"lesson": "streaming_edge_counting", "models": {
                   "gru": {"params": 90, "test": {"loss_nats_per_char": 1.93}},  # a short edge run: not a row
                   "transformer_chars": {"params": 117, "test": {"loss_nats_per_char": 2.0}}},
                   "edge": {"latency_us": {"gru": {"int8": {"p50_us": 10.44}}}},
                   "counting": {"train_max": 20, "largest_n": {"lstm": [60, 63, 23, 60], "gru": [23, 24, 22]}}}}
    table = reference_table_markdown(results)
    assert "| Shakespeare, character level | test loss (nats/char) | transformer_chars | 2.000 | – | 117 |" in table
    assert table.count("| gru | 1.930") == 0 and "| gru | 1.700 | 60 | 9 |" in table
    assert "| one character on the edge (LiteRT int8, batch 1) | p50 µs per step | gru | 10.4 | – | 90 |" in table
    assert "| counting aⁿbⁿ, trained on n ≤ 20 | median largest n counted right (4 seeds) | lstm | 60 |" in table
    assert "(3 seeds) | gru | 23 |" in table
