"""Bad input on the newer utils modules: a clear error naming what to fix, never a silent wrong answer.

As tests/test_bad_input.py does for the older modules: wrong types, str where a bool is meant, NaN and inf, empty
and wrongly shaped arrays, unknown names, damaged or missing stored files; and the other way round, NumPy scalars
and TensorFlow tensors accepted wherever numbers or arrays are.
"""

import math
import shutil
from pathlib import Path

import keras
import numpy as np
import pytest
import tensorflow as tf

from utils import predictions, report, results
from utils.adding_task import train_adding
from utils.calibration import calibration_markdown, calibration_table, decision_rate
from utils.chars import char_model, char_sequences
from utils.checks import ArgumentTypeError, flag, numeric_array, positive_int, real_number, scalar
from utils.claims import DECIDERS, Evidence, claims_of_lesson, decide_all
from utils.compression import choose_ppmd_order
from utils.counting import anbn_batch
from utils.edge import LiteRTStep, export_litert, keras_step, one_step_model, sequence_nats
from utils.forecasting import loss_comparison, persistence_comparison, return_forecast
from utils.latency import latency_summary
from utils.memory_task import accuracy, best_relabelling
from utils.ngram import kneser_ney_nats, kneser_ney_tables, ngram_nats, ngram_tables
from utils.predictions import load_predictions, save_predictions
from utils.probabilistic import gaussian_nll
from utils.runmode import ENV_VAR
from utils.sampling import next_id, next_probabilities
from utils.sequences import adding_problem
from utils.torch_equations import torch_gru_forward, torch_parameter_count, torch_rnn_forward
from utils.transformer import (
    KVCacheDecoder,
    TransformerBlock,
    causal_char_lm,
    recompute_step,
    recurrent_step,
    streaming_costs,
)
from utils.tuning import equal_grid_search
from utils.units import unit_correlations
from utils.verdicts import (
    claim,
    combine,
    compare,
    compare_change,
    compare_counts,
    correct,
    newey_west_variance,
    ordering,
)

BAD = (ValueError, TypeError)
NOT_BOOLS = ["no", "False", 1, 0, 1.0, None]


# ---------------------------------------------------------------- utils.checks: the shared helpers
@pytest.mark.parametrize("value", [tf.constant([1.0, 2.0]), tf.constant([1.0, 2.0], tf.float64),
                                   tf.constant([1, 2]), keras.Variable([1.0, 2.0])])
def test_numeric_array_takes_tensors(value):
    np.testing.assert_array_equal(numeric_array(value, "x"), [1.0, 2.0])


def test_numeric_array_still_refuses_what_a_tensor_cannot_hold_as_numbers():
    with pytest.raises(ValueError, match="x contains NaN"):
        numeric_array(tf.constant([1.0, math.nan]), "x")
    with pytest.raises(TypeError, match="x has dtype object; it must hold real numbers"):
        numeric_array(tf.constant(["a", "b"]), "x")


def test_scalar_unwraps_zero_d_arrays_and_tensors_only():
    assert scalar(tf.constant(3)) == 3 and isinstance(scalar(tf.constant(3)), int)
    assert scalar(np.array(0.5)) == 0.5 and scalar(np.float32(0.5)) == np.float32(0.5)
    vector = np.array([1, 2])
    assert scalar(vector) is vector and scalar("x") == "x" and scalar([1]) == [1]


def test_flag_takes_real_bools_only():
    assert flag(True, "f") is True and flag(np.False_, "f") is False
    for value in NOT_BOOLS:
        with pytest.raises(ArgumentTypeError, match="f must be True or False"):
            flag(value, "f")


def test_real_number_and_positive_int():
    assert real_number(np.float32(0.5), "r") == 0.5 and real_number(tf.constant(2.0), "r") == 2.0
    for bad, error in ((math.nan, ValueError), (math.inf, ValueError), ("1", TypeError), (True, TypeError)):
        with pytest.raises(error, match="r must be a"):
            real_number(bad, "r")
    assert positive_int(np.array(5), "n") == 5 and positive_int(tf.constant(5), "n") == 5


# ---------------------------------------------------------------- utils.tuning
def _score(cell, lr):
    return {0.1: 0.5, 0.2: 0.4, 9.0: math.nan, 8.0: math.inf}[lr]


@pytest.mark.parametrize("first", [9.0, 8.0])
def test_a_diverged_trial_is_recorded_and_never_chosen(first):
    search = equal_grid_search(["gru"], {"lr": [first, 0.1, 0.2]}, _score)
    assert search["best"]["gru"] == {"lr": 0.2} and search["best_score"]["gru"] == 0.4
    assert [t["lr"] for t in search["diverged"]] == [first]
    assert not math.isfinite(search["trials"][0]["score"])
    higher = equal_grid_search(["gru"], {"lr": [first, 0.1, 0.2]}, _score, higher_is_better=True)
    assert higher["best"]["gru"] == {"lr": 0.1}  # inf is not "the highest score" either


def test_a_cell_whose_every_trial_diverged_stops_the_search():
    with pytest.raises(ValueError, match="every trial of cell 'lstm' diverged"):
        equal_grid_search(["gru", "lstm"], {"lr": [9.0, 8.0]}, lambda cell, lr: 0.5 if cell == "gru" else math.nan)


@pytest.mark.parametrize("returned, match", [(None, "got None"), ([0.5, 0.8], "first entry"), ("0.5", "'0.5'"),
                                             (np.array([0.5, 0.8]), "got array")])
def test_evaluate_must_return_one_number(returned, match):
    with pytest.raises(TypeError, match=rf"evaluate\('gru', \*\*{{'lr': 0.1}}\) must return one number.*{match}"):
        equal_grid_search(["gru"], {"lr": [0.1]}, lambda cell, lr: returned)


@pytest.mark.parametrize("returned", [tf.constant(0.5), np.float32(0.5), np.array(0.5)])
def test_evaluate_may_return_a_numpy_or_tensorflow_scalar(returned):
    assert equal_grid_search(["gru"], {"lr": [0.1]}, lambda cell, lr: returned)["best_score"]["gru"] == 0.5


@pytest.mark.parametrize("higher_is_better", NOT_BOOLS)
def test_higher_is_better_must_be_a_bool(higher_is_better):
    with pytest.raises(TypeError, match="higher_is_better must be True or False"):
        equal_grid_search(["gru"], {"lr": [0.1, 0.2]}, _score, higher_is_better=higher_is_better)


@pytest.mark.parametrize("cells, grid, match", [
    (5, {"lr": [0.1]}, "cells must be a list"), (["gru", "gru"], {"lr": [0.1]}, "more than once"),
    ([""], {"lr": [0.1]}, "cells"), (["gru"], {"cell": [0.1]}, "other than 'cell'"),
    (["gru"], {1: [0.1]}, "setting names"), (["gru"], {"lr": 0.1}, r"grid\['lr'\]")])
def test_bad_cells_and_grids_are_named(cells, grid, match):
    with pytest.raises(BAD, match=match):
        equal_grid_search(cells, grid, _score)


def test_a_dict_of_cells_is_its_keys_as_lesson_10_passes_it():
    search = equal_grid_search({"transformer": None}, {"lr": [0.1, 0.2]}, _score)
    assert search["best"] == {"transformer": {"lr": 0.2}} and search["diverged"] == []


# ---------------------------------------------------------------- utils.results and utils.predictions: stored files
@pytest.fixture
def stored(tmp_path, monkeypatch):
    for module in (results, predictions, report):
        monkeypatch.setattr(module, "RESULTS_DIR", tmp_path / "results")
    monkeypatch.setenv(ENV_VAR, "full")
    return tmp_path / "results"


@pytest.mark.parametrize("precision", ["int8", "int32", "uint8", "bool", "floaty", np.int16, None])
def test_predictions_precision_must_be_a_float_type(stored, precision):
    with pytest.raises(ValueError, match="precision must be one of"):
        save_predictions("demo", {"lstm": [0.4, 1.7]}, item="sequence", precision=precision)


def test_predictions_keep_fractional_losses_and_take_tensors(stored):
    save_predictions("demo", {"lstm": tf.constant([0.4, 1.7], tf.float64)}, item="sequence", precision="float64")
    np.testing.assert_array_equal(load_predictions("demo")["lstm"], [0.4, 1.7])
    with pytest.raises(TypeError, match="item must name"):
        save_predictions("demo", {"lstm": [0.4]}, item=5)


def _write_npz(path, **arrays):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        np.savez_compressed(handle, **arrays)


@pytest.mark.parametrize("damage", [
    lambda p: p.write_bytes(p.read_bytes()[:200]),                                    # truncated
    lambda p: p.write_bytes(b""),                                                     # empty
    lambda p: p.write_text("lstm,0.4,1.7\n"),                                         # text
    lambda p: _write_npz(p, lstm=np.ones(3)),                                         # no metadata
    lambda p: _write_npz(p, __meta__=np.array("not json"), lstm=np.ones(3)),          # metadata not JSON
    lambda p: _write_npz(p, __meta__=np.array('{"models": []}'), lstm=np.ones(3)),    # metadata without the items
    lambda p: _write_npz(p, __meta__=np.array('{"item": "x"}'), lstm=np.array(["a"])),  # outcomes of text
])
def test_damaged_predictions_name_the_file_and_how_to_restore_it(stored, damage):
    path = save_predictions("demo", {"lstm": np.linspace(0, 1, 50)}, item="sequence")
    damage(path)
    with pytest.raises(ValueError, match=r"predictions/demo\.npz is damaged.*git checkout -- .*predictions/demo\.npz"):
        load_predictions("demo")


def test_damaged_fast_mode_predictions_say_to_run_the_lesson_again(stored, monkeypatch):
    monkeypatch.setenv(ENV_VAR, "fast")
    path = save_predictions("demo", {"lstm": [0.4, 1.7]}, item="sequence")
    path.write_bytes(b"")
    with pytest.raises(ValueError, match=r"fast/predictions/demo\.npz is damaged.*run that lesson's notebook again"):
        load_predictions("demo", mode="fast")


def test_missing_committed_files_say_how_to_restore_them(stored):
    stored.mkdir()
    with pytest.raises(FileNotFoundError, match=r"run that lesson's notebook first, or restore the committed file: "
                                                r"git checkout -- .*predictions/demo\.npz"):
        load_predictions("demo")
    with pytest.raises(FileNotFoundError, match=r"git checkout -- .*demo\.json"):
        results.load_results("demo")
    (stored / "demo.json").write_text('{"lesson": "demo", "models": ')
    with pytest.raises(ValueError, match=r"demo\.json is not valid JSON.*git checkout -- .*demo\.json"):
        results.load_results("demo")


# ---------------------------------------------------------------- utils.claims
@pytest.mark.parametrize("lesson", ["11", 11, "abc", -1, "4.0", "B7"])
def test_claims_of_an_unknown_lesson(lesson):
    with pytest.raises(ValueError, match="there is no lesson"):
        claims_of_lesson(lesson)


@pytest.mark.parametrize("lesson", [4.0, None, True, "", ["04"]])
def test_claims_of_lesson_of_the_wrong_type(lesson):
    with pytest.raises(TypeError, match="lesson must be a lesson number"):
        claims_of_lesson(lesson)


def test_claims_of_lesson_takes_numpy_integers_and_appendices():
    assert claims_of_lesson(np.int64(4)) == claims_of_lesson(" 04 ") == ["C1", "C11", "C14"]
    assert claims_of_lesson("a1") == claims_of_lesson("00") == []


def test_evidence_and_decide_all_refuse_the_wrong_types():
    with pytest.raises(TypeError, match="evidence must be None"):
        decide_all("full", evidence={})  # an empty dict used to be read as "no evidence given": all of results/
    with pytest.raises(TypeError, match="results must be None"):
        Evidence("full", results=[{"lesson": "sentiment"}])
    with pytest.raises(TypeError, match="predictions must be None"):
        Evidence("full", results={}, predictions="sentiment.npz")
    with pytest.raises(ValueError, match="mode"):
        Evidence(["full"])


def _bench(cells):
    return {"choosing_a_cell": {"models": {f"{cell}_len10_u32": {"params": n, "train_samples_per_second_repeats":
                                                                 [100.0 * n, 101.0 * n, 99.0 * n]}
                                           for cell, n in cells.items()}}}


def test_a_benchmark_without_its_gru_leaves_its_claims_not_decided_and_names_the_key():
    full = decide_all(evidence=Evidence("full", results=_bench({"simple_rnn": 10, "gru": 20, "lstm": 30}),
                                        predictions={}))
    assert full["C7"]["verdict"] == "holds"
    decided = decide_all(evidence=Evidence("full", results=_bench({"simple_rnn": 10, "lstm": 30}), predictions={}))
    for cid in ("C6", "C7", "C11"):
        (part,) = decided[cid]["parts"]
        assert decided[cid]["verdict"] == part["verdict"] == "not decided"
        assert part["evidence"].startswith("results/choosing_a_cell.json: key 'gru' missing"), part["evidence"]
        assert "git checkout -- results/choosing_a_cell.json" in part["evidence"]
    assert decided["C1"]["parts"][0]["evidence"] == "no results of lesson 04 in this mode"  # the others as before


def test_a_lesson_without_one_model_or_with_text_for_numbers_is_not_decided():
    partial = {"text_generation": {"models": {"simple_rnn": {"test": {"loss_nats_per_char": 1.8}}},
                                   "baselines": {"uniform": {"test": {"loss_nats_per_char": 4.2}}}},
               "gradients": {"models": {k: {"per_step_factor_seeds": ["0.9", 0.8]}
                                        for k in ("simple_rnn", "lstm", "gru")}}}
    decided = decide_all(evidence=Evidence("full", results=partial, predictions={}))
    assert decided["C2"]["parts"][0]["evidence"].startswith("results/text_generation.json: key 'lstm' missing")
    evidence = decided["C9"]["parts"][0]["evidence"]
    assert evidence.startswith("results/gradients.json: damaged (ArgumentTypeError: lstm must hold numbers only")
    assert decided["C9"]["verdict"] == "not decided"


def test_damaged_per_item_outcomes_given_in_memory_are_named():
    seeds = {k: {"test_accuracy_seeds": [0.85, 0.86, 0.87]} for k in ("simple_rnn", "lstm", "gru")}
    ev = Evidence("full", results={"sentiment": {"models": seeds}}, predictions={"sentiment": "oops"})
    record = decide_all(evidence=ev)["C1"]
    assert record["verdict"] == "not decided" and "per-item outcomes of lesson 'sentiment'" in \
        record["parts"][0]["evidence"]


def test_damaged_files_on_disk_leave_only_their_claims_not_decided(stored):
    shutil.copytree(Path(__file__).resolve().parents[1] / "results", stored)
    intact = {cid: DECIDERS[cid](Evidence("full")) for cid in ("C2", "C7", "C17")}
    npz = stored / "predictions" / "sentiment.npz"
    npz.write_bytes(npz.read_bytes()[:1000])  # truncated
    (stored / "gradients.json").write_text('{"lesson": "gradients", "models": ')  # cut short
    decided = decide_all("full")  # no crash: every claim gets a record
    for cid in ("C1", "C14"):
        assert decided[cid]["verdict"] == "not decided"
        assert decided[cid]["parts"][0]["evidence"].startswith("results/predictions/sentiment.npz is damaged")
        assert "git checkout -- results/predictions/sentiment.npz" in decided[cid]["parts"][0]["evidence"]
    for cid in ("C9", "C10"):
        assert decided[cid]["verdict"] == "not decided"
        assert "gradients.json is not valid JSON" in decided[cid]["parts"][0]["evidence"]
        assert "git checkout -- results/gradients.json" in decided[cid]["parts"][0]["evidence"]
    assert {cid: decided[cid] for cid in intact} == intact
    with pytest.raises(ValueError, match=r"gradients\.json is not valid JSON"):
        report.collect_results("full")  # the report, which lists every file, still refuses a damaged one


# ---------------------------------------------------------------- utils.verdicts
def test_correct_refuses_comparisons_of_different_levels():
    a = compare([0.80, 0.81, 0.82], [0.70, 0.71, 0.72], level=0.9)
    b = compare([0.80, 0.81, 0.82], [0.70, 0.71, 0.69])
    with pytest.raises(ValueError, match=r"different confidence levels \[0.9, 0.95\]"):
        correct([b, a])
    assert [c.family for c in correct([b, b])] == [2, 2]
    for bad in (None, a, 5):
        with pytest.raises(TypeError, match="correct takes a list of Comparison"):
            correct(bad)


@pytest.mark.parametrize("option", ["series", "higher_is_better"])
@pytest.mark.parametrize("value", NOT_BOOLS)
def test_compare_flags_must_be_bools(option, value):
    with pytest.raises(TypeError, match=f"{option} must be True or False"):
        compare([0.80, 0.81, 0.82], [0.70, 0.71, 0.72], **{option: value})


def test_compare_takes_numpy_bools_tensors_and_zero_d_arrays():
    plain = compare([0.80, 0.81, 0.82], [0.70, 0.71, 0.72], higher_is_better=True, exact=(False, False))
    assert compare(tf.constant([0.80, 0.81, 0.82], tf.float64), np.array([0.70, 0.71, 0.72]),
                   higher_is_better=np.True_, exact=(np.False_, False)) == plain
    assert compare(np.array(0.8), 0.7).mean_a == 0.8
    with pytest.raises(ValueError, match="a must be one number or a 1-D list"):
        compare(np.zeros((2, 3)), [0.7, 0.71], names=("a", "b"))


@pytest.mark.parametrize("kwargs, match", [({"runs": 3}, "runs"), ({"runs": ""}, "runs"),
                                           ({"noise_kind": 5}, "noise_kind")])
def test_compare_descriptions_must_be_words(kwargs, match):
    with pytest.raises(TypeError, match=match):
        compare([0.80, 0.81], [0.70, 0.71], **kwargs)
    if "runs" in kwargs:
        with pytest.raises(TypeError, match="runs"):
            compare_counts((3, 5), (1, 5), **kwargs)


def test_compare_change_names_a_missing_side():
    with pytest.raises(TypeError, match="before must be per-item outcomes"):
        compare_change(np.ones((2, 3)), None)
    with pytest.raises(TypeError, match="after must be per-item outcomes"):
        compare_change(None, np.ones((2, 3)))


@pytest.mark.parametrize("verdicts, error", [("holds", TypeError), (None, TypeError), ([["holds"]], ValueError),
                                             ([np.zeros(2)], ValueError)])
def test_combine_takes_a_list_of_verdict_words(verdicts, error):
    with pytest.raises(error, match="verdict"):
        combine(verdicts)


@pytest.mark.parametrize("verdict", [["holds"], {"holds": 1}, np.array(["holds"]), None])
def test_claim_refuses_a_verdict_that_is_not_a_word(verdict):
    with pytest.raises(ValueError, match="verdict must be one of"):
        claim("x", verdict, "y", "08")


def test_ordering_names_missing_items():
    values = {"a": [1.0, 1.1, 1.2], "b": [0.0, 0.1, 0.2]}
    with pytest.raises(ValueError, match=r"items has no per-item outcomes of \['b'\]"):
        ordering(values, ["a", "b"], items={"a": np.ones((3, 5))})
    with pytest.raises(TypeError, match="items must be None or a dict"):
        ordering(values, ["a", "b"], items=[np.ones((3, 5))] * 2)


@pytest.mark.parametrize("d, error", [([1.0, math.nan, 2.0], ValueError), ([1.0], ValueError), ([], ValueError),
                                      ("abc", TypeError), (np.ones((3, 3)), ValueError)])
def test_newey_west_variance_refuses_what_is_not_a_series(d, error):
    with pytest.raises(error, match="d "):
        newey_west_variance(d)


# ---------------------------------------------------------------- utils.calibration
@pytest.mark.parametrize("gap, error", [(math.nan, ValueError), (math.inf, ValueError), ("0.1", TypeError),
                                        (2.0, ValueError), (None, TypeError)])
def test_decision_rate_gap_must_be_a_finite_advantage(gap, error):
    with pytest.raises(error, match="gap must be"):
        decision_rate("3 vs 3 seeds", gap=gap, trials=2)


def test_decision_rate_takes_numpy_and_tensor_gaps_and_checks_its_seed():
    rate = decision_rate("3 vs 3 seeds", gap=0.0, trials=3, seed=1)
    assert decision_rate("3 vs 3 seeds", gap=np.float32(0.0), trials=3, seed=np.int64(1)) == rate
    assert decision_rate("3 vs 3 seeds", gap=tf.constant(0.0), trials=3, seed=1) == rate
    for seed in (-1, "a", 1.5):
        with pytest.raises(BAD, match="seed"):
            decision_rate("3 vs 3 seeds", trials=2, seed=seed)
    with pytest.raises(ValueError, match="seed must be a non-negative integer"):
        calibration_table(trials=1, seed=None)  # its power runs use seed + 1


@pytest.mark.parametrize("rows, error, match", [("rows", TypeError, "rows must be the list"),
                                                ([{"design": "x"}], ValueError, r"rows\[0\].*lacks"),
                                                ([None], ValueError, r"rows\[0\]")])
def test_calibration_markdown_names_the_bad_row(rows, error, match):
    with pytest.raises(error, match=match):
        calibration_markdown(rows)


# ---------------------------------------------------------------- utils.forecasting
def test_loss_comparison_takes_negative_losses_such_as_log_scores():
    rng = np.random.default_rng(0)
    reference = rng.normal(-1.5, 0.3, 200)  # a Gaussian log score is below zero on calm days
    model = reference[None] + rng.normal(-0.05, 0.05, (3, 200))
    c = loss_comparison("garch", model, reference, reference="ewma")
    assert c == compare(model.mean(axis=1).tolist(), float(reference.mean()), names=("garch", "ewma"),
                        higher_is_better=False, exact=(False, True), series=True, items=(model, reference))
    assert loss_comparison("garch", tf.constant(model), tf.constant(reference), reference="ewma") == c
    with pytest.raises(ValueError, match="squared errors are >= 0"):
        persistence_comparison("lstm", model, reference)


def test_return_forecast_refuses_what_is_not_a_model():
    rng = np.random.default_rng(0)
    features = {name: rng.normal(0, 0.01, 40) for name in ("train", "validation", "test")}
    setup = return_forecast(features, 100 * np.exp(np.cumsum(features["test"])), window=5)
    with pytest.raises(TypeError, match="model must be a trained Keras model"):
        setup.rmse_ratio(None)


# ---------------------------------------------------------------- utils.sampling
def test_next_id_reads_a_model_s_tensor_logits():
    logits = tf.constant([[[0.1, 2.0, -1.0, 0.5]]])  # [batch, time, vocab], as model(x) returns them
    drawn = next_id(logits[0, -1], np.random.default_rng(0), temperature=tf.constant(0.5), top_k=np.array(3))
    assert drawn == next_id(logits.numpy()[0, -1], np.random.default_rng(0), temperature=0.5, top_k=3)
    np.testing.assert_allclose(next_probabilities(logits[0, -1], top_p=np.float32(0.9)),
                               next_probabilities([0.1, 2.0, -1.0, 0.5], top_p=0.9))


# ---------------------------------------------------------------- utils.memory_task
@pytest.mark.parametrize("predicted, true, vocab, error, match", [
    ([-1, 0], [0, 1], 8, ValueError, r"predicted must hold token ids in 0 … 7, got values from -1"),  # wrapped round
    ([0, 1], [0, 9], 8, ValueError, r"true must hold token ids in 0 … 7"),
    ([0.0, 1.0], [0, 1], 8, TypeError, "predicted must hold integer token ids"),
    ([0, 1], [0, 1], "8", ValueError, "vocab must be a positive integer"),
    ([0, 1], [0, 1], 0, ValueError, "vocab")])
def test_best_relabelling_refuses_ids_outside_the_vocabulary(predicted, true, vocab, error, match):
    with pytest.raises(error, match=match):
        best_relabelling(predicted, true, vocab=vocab)


def test_best_relabelling_takes_tensors():
    assert best_relabelling(tf.constant([[3, 3], [5, 5]]), np.array([[0, 0], [1, 1]])) == 1.0


def test_accuracy_names_a_model_that_is_not_one():
    with pytest.raises(TypeError, match="model must be a compiled Keras model"):
        accuracy("lstm", lag=5, seed=0)


# ---------------------------------------------------------------- utils.adding_task: non-finite inputs never train
@pytest.fixture(scope="module")
def adding():
    return adding_problem(8, length=5, seed=0)


@pytest.mark.parametrize("where, value, match", [("x", math.nan, "x contains NaN"), ("x", math.inf, "x contains inf"),
                                                 ("y", math.nan, "y contains NaN"), ("y", -math.inf, "y contains inf")])
def test_train_adding_refuses_non_finite_inputs(adding, where, value, match):
    x, y = (a.copy() for a in adding)
    if where == "x":
        x[0, 0, 0] = value
    else:
        y[1] = value
    with pytest.raises(ValueError, match=match):
        train_adding(x, y, steps=1, batch_size=4)


def test_train_adding_refuses_text(adding):
    x, y = adding
    with pytest.raises(TypeError, match="x has dtype"):
        train_adding(x.astype(str), y, steps=1, batch_size=4)


# ---------------------------------------------------------------- utils.chars
def test_char_sequences_refuses_negative_ids_and_bad_seeds():
    ids = np.arange(1, 20)
    with pytest.raises(ValueError, match="ids must be token ids >= 0"):
        char_sequences(np.array([-1, 2, 3, 4]), seq_len=2, batch_size=1, shuffle=False)
    for seed in ("a", -1, 1.5):
        with pytest.raises(ValueError, match="seed must be None or a non-negative integer"):
            char_sequences(ids, seq_len=2, batch_size=1, shuffle=True, seed=seed)
    with pytest.raises(TypeError, match="shuffle must be True or False"):
        char_sequences(ids, seq_len=2, batch_size=1, shuffle="no")
    batches = char_sequences(tf.constant(ids), seq_len=2, batch_size=2, shuffle=np.True_, seed=np.int64(1))
    assert next(iter(batches))[0].shape == (2, 2)


def test_char_model_takes_a_numpy_learning_rate():
    model = char_model("gru", vocab_size=5, units=2, learning_rate=np.float32(0.01), embedding_dim=2)
    assert float(model.optimizer.learning_rate) == pytest.approx(0.01)
    with pytest.raises(ValueError, match="learning_rate"):
        char_model("gru", vocab_size=5, units=2, learning_rate=math.nan)


# ---------------------------------------------------------------- utils.transformer
@pytest.fixture(scope="module")
def tiny_lm():
    keras.utils.set_random_seed(0)
    return causal_char_lm(5, d_model=4, heads=2, layers=1, max_len=8)


def test_transformer_block_causal_flag():
    with pytest.raises(TypeError, match="causal must be True or False"):
        TransformerBlock(2, 4, causal="no")
    assert TransformerBlock(2, 4, causal=np.True_).causal is True


def test_decoder_takes_a_tensor_token_and_checks_seeds(tiny_lm):
    decoder = KVCacheDecoder(tiny_lm)
    plain, _ = decoder.step(1, decoder.empty())
    tensor, _ = decoder.step(tf.constant(1), decoder.empty())
    np.testing.assert_array_equal(plain.numpy(), tensor.numpy())
    with pytest.raises(BAD, match="seed"):
        decoder.at_context(2, seed="x")


@pytest.mark.parametrize("ids", [[-1, 2], [2, 5], [[9]]])
def test_recompute_step_refuses_ids_outside_the_vocabulary(tiny_lm, ids):
    with pytest.raises(ValueError, match="ids must be token ids >= 0 and below the vocabulary size 5"):
        recompute_step(tiny_lm)(ids)


def test_recurrent_step_checks_its_input_and_state():
    step = recurrent_step(keras.layers.GRUCell(3), input_dim=2)
    state = step.initial_state()
    with pytest.raises(ValueError, match="x contains NaN"):
        step(np.full((1, 2), np.nan), state)
    with pytest.raises(ValueError, match=r"x must be one input step \[1, 2\]"):
        step(np.zeros((2, 2)), state)
    with pytest.raises(TypeError, match="state must be a list of 1 array"):
        step(np.zeros((1, 2)), None)
    with pytest.raises(ValueError, match=r"state\[0\] must have shape \(1, 3\)"):
        step(np.zeros((1, 2)), [np.zeros((1, 4))])
    output, new_state = step(tf.zeros((1, 2)), state)
    assert output.shape == (1, 3) and len(new_state) == 1
    with pytest.raises(ValueError, match="seed"):
        streaming_costs({"gru": step}, contexts=[1], repeats=2, warmup=0, seed=-1)


# ---------------------------------------------------------------- utils.edge
def test_edge_flags_files_and_states(tmp_path):
    model = one_step_model("gru", vocab_size=5, units=2, embedding_dim=2)
    with pytest.raises(TypeError, match="quantize must be True or False"):
        export_litert(model, tmp_path / "m.tflite", quantize="no")
    step = keras_step(model)
    logits, _ = step(tf.constant(1), step.zero_state())  # the argmax of a tensor is a token too
    assert logits.shape == (5,)
    with pytest.raises(ValueError, match=r"state\[0\] contains NaN"):
        sequence_nats(step, [1, 2, 3], state=[np.full((1, 2), np.nan)])
    text = tmp_path / "text.tflite"
    text.write_text("not a model")
    with pytest.raises(ValueError, match="runtime must be None"):  # not blamed on the file
        LiteRTStep(text, runtime="tflite")
    with pytest.raises(ValueError, match=r"text\.tflite' is not a LiteRT model file"):
        LiteRTStep(text)


# ---------------------------------------------------------------- the numerical helpers take tensors too
def test_counting_latency_units_and_probabilistic_take_tensors():
    batch = anbn_batch(tf.constant([1, 2]))
    np.testing.assert_array_equal(batch.inputs, anbn_batch([1, 2]).inputs)
    assert latency_summary(tf.constant([1e-6, 3e-6]))["calls"] == 2
    states = np.random.default_rng(0).normal(size=(10, 3))
    features = {"position": np.arange(10.0)}
    assert unit_correlations(tf.constant(states), features).equals(unit_correlations(states, features))
    np.testing.assert_allclose(gaussian_nll(0.0, tf.constant(1.0), tf.constant([0.1, 0.2])),
                               gaussian_nll(0.0, 1.0, [0.1, 0.2]))


@pytest.mark.parametrize("states", [np.zeros((1, 3)), np.zeros((0, 3)), np.zeros((5, 0))])
def test_unit_correlations_need_two_characters_and_a_unit(states):
    with pytest.raises(ValueError, match="at least two characters and one unit"):
        unit_correlations(states, {"f": np.zeros(len(states))})


# ---------------------------------------------------------------- utils.torch_equations
def _rnn_weights():
    return np.zeros((1, 2)), np.zeros((1, 1)), np.zeros(1), np.zeros(1)


@pytest.mark.parametrize("x, error, match", [("abc", TypeError, "x must be an array"),
                                             (np.full((1, 2, 2), np.nan), ValueError, "x contains NaN"),
                                             (np.zeros((1, 0, 2)), ValueError, "at least one of each")])
def test_torch_forward_functions_check_their_input(x, error, match):
    with pytest.raises(error, match=match):
        torch_rnn_forward(x, *_rnn_weights())
    with pytest.raises(error, match=match):
        torch_gru_forward(x, np.zeros((3, 2)), np.zeros((3, 1)), np.zeros(3), np.zeros(3))


def test_torch_gru_forward_takes_lists_as_arrays_and_refuses_nan():
    rng = np.random.default_rng(0)
    weights = (rng.normal(size=(6, 3)), rng.normal(size=(6, 2)), rng.normal(size=6), rng.normal(size=6))
    x = rng.normal(size=(2, 4, 3))
    np.testing.assert_array_equal(torch_gru_forward(x, *weights),
                                  torch_gru_forward(x.tolist(), *(w.tolist() for w in weights)))
    with pytest.raises(ValueError, match="weight_hh contains NaN"):
        torch_gru_forward(x, weights[0], np.full((6, 2), np.nan), *weights[2:])
    with pytest.raises(TypeError, match=r"ported\['weight_ih'\]"):
        torch_parameter_count({"weight_ih": "abc", "weight_hh": 1, "bias_ih": 1, "bias_hh": 1})


# ---------------------------------------------------------------- utils.ngram, compression, benchmark
def test_ngram_flags_and_tables():
    tables = kneser_ney_tables("abcabcab", 3)
    kwargs = {"discounts": 0.5, "vocabulary": "abc"}
    np.testing.assert_array_equal(kneser_ney_nats("abc", tables, 2, per_char=np.True_, **kwargs),
                                  kneser_ney_nats("abc", tables, 2, per_char=True, **kwargs))
    with pytest.raises(TypeError, match="per_char must be True or False"):
        kneser_ney_nats("abc", tables, 2, per_char="no", **kwargs)
    with pytest.raises(ValueError, match="tables must be ngram_tables"):
        ngram_nats("abc", {1: 5, 2: 5}, 3, unigram_p=dict.fromkeys("abc", 0.3), discount=0.5)
    assert len(ngram_nats("abc", ngram_tables("abcabc", 3), 3, unigram_p=dict.fromkeys("abc", 0.3),
                          discount=0.5)) == 3


def test_choose_ppmd_order_names_validation_text():
    with pytest.raises(TypeError, match="validation_text must be a non-empty string"):
        choose_ppmd_order("abc", 5, orders=[3])


def test_benchmark_train_flag():
    from utils.benchmark import benchmark_cell

    with pytest.raises(TypeError, match="train must be True or False"):
        benchmark_cell("gru", 2, 2, train="no")

