"""Lesson 02: claim C12 decided from the stored results by the noise rule, and exercise 02.2's targeted messages.

The C12 cases use synthetic results in the layout lesson 02 stores (``results/lstm_gru_cells.json`` and the
per-review outcomes in ``results/predictions/lstm_gru_cells.npz``), one case per outcome of the claim.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from utils.claims import DECIDERS, Evidence, decide_c12
from utils.exercises import EXERCISES
from utils.verdicts import VERDICTS

ROOT = Path(__file__).resolve().parents[1]
N_REVIEWS = 2491
OK_ACCURACY = [0.860, 0.870, 0.865]  # lr 0.001, three seeds
OK_SATURATION = [0.0001, 0.0002, 0.0]
SATURATED = [0.95, 0.94, 0.96]


def evidence(bad_accuracy, bad_saturation, ok_accuracy=OK_ACCURACY, ok_saturation=OK_SATURATION, items=True,
             seed=0):
    """Evidence in lesson 02's layout; per-review outcomes drawn to match each seed's accuracy."""
    models = {"lstm": {"test_accuracy_seeds": ok_accuracy, "saturated_share_seeds": ok_saturation,
                       "saturated_share_before_training": {"input": 0.0, "forget": 0.0, "output": 0.0}},
              "lstm_lr_0_05": {"test_accuracy_seeds": bad_accuracy, "saturated_share_seeds": bad_saturation}}
    predictions = {"lstm_gru_cells": {}}  # none stored: the files on disk are not read
    if items:
        rng = np.random.default_rng(seed)
        predictions["lstm_gru_cells"] = {
            key: (rng.random((len(acc), N_REVIEWS)) < np.asarray(acc)[:, None]).astype(float)
            for key, acc in (("lstm", ok_accuracy), ("lstm_lr_0_05", bad_accuracy))}
    return Evidence("full", results={"lstm_gru_cells": {"models": models}}, predictions=predictions)


def verdicts(record):
    return [part["verdict"] for part in record["parts"]]


def test_c12_holds_when_the_saturated_run_fails_outright():
    record = decide_c12(evidence([0.51, 0.52, 0.515], SATURATED))
    assert verdicts(record) == ["holds", "holds", "holds"]
    assert record["verdict"] == "holds"
    assert "2,491 paired items" in record["parts"][0]["evidence"]  # the reviews are paired
    assert "Holm" not in record["parts"][0]["evidence"]  # each part its own family (verdicts.FAMILY_RULE)
    assert record["parts"][2].get("context") and "Holm" not in record["parts"][2]["evidence"]
    assert "lr 0.05 more saturated" in record["parts"][1]["evidence"]
    assert "lr 0.05 below 0.6" in record["parts"][2]["evidence"]


def test_c12_holds_when_the_saturated_run_is_damaged_but_still_works():
    """Failing outright is not in the claim's wording: it is shown as context and does not move the verdict."""
    record = decide_c12(evidence([0.79, 0.80, 0.795], SATURATED))
    assert verdicts(record) == ["holds", "holds", "does not hold"]
    assert record["verdict"] == "holds"
    assert record["parts"][2]["context"] and "context, not in the claim" in record["parts"][2]["part"]
    assert "lr 0.05 above 0.6" in record["parts"][2]["evidence"]


def test_c12_takes_each_arm_s_outcomes_for_its_own_side():
    """The failure-line comparison counts the sampling noise of the lr 0.05 run's own reviews, not lr 0.001's."""
    from utils.verdicts import compare

    bad = [0.79, 0.80, 0.795]
    ev = evidence(bad, SATURATED, ok_accuracy=[1.0, 1.0, 1.0])  # lr 0.001 right on every review: no spread
    items = ev._predictions["lstm_gru_cells"]["lstm_lr_0_05"]
    expected = compare(bad, 0.6, names=("lr 0.05", "failure line"), exact=(False, True), margin="accuracy",
                       items=(items, np.full(items.shape[1], 0.6)))
    evidence_text = decide_c12(ev)["parts"][2]["evidence"]
    assert f"[{expected.low:+.3f}, {expected.high:+.3f}]" in evidence_text


def test_c12_does_not_hold_when_the_damaged_run_is_not_more_saturated():
    record = decide_c12(evidence([0.79, 0.80, 0.795], [0.0001, 0.0003, 0.0]))
    assert verdicts(record)[:2] == ["holds", "does not hold"]  # damaged, but equivalent shares (margin 0.05)
    assert record["verdict"] == "does not hold"


def test_c12_does_not_hold_when_saturation_comes_without_damage():
    # equal accuracies within the margin (no per-review outcomes: seeds alone), yet far more saturation
    record = decide_c12(evidence([0.864, 0.866, 0.865], SATURATED, ok_accuracy=[0.865, 0.864, 0.866], items=False))
    assert verdicts(record)[:2] == ["does not hold", "holds"]
    assert record["verdict"] == "does not hold"
    assert "equivalent within" in record["parts"][0]["evidence"]


def test_c12_is_not_decided_without_damage_or_saturation():
    record = decide_c12(evidence([0.864, 0.866, 0.865], [0.0001, 0.0002, 0.0], ok_accuracy=[0.865, 0.864, 0.866],
                                 items=False))
    assert verdicts(record)[:2] == ["does not hold", "does not hold"]
    assert record["verdict"] == "not decided"


def test_c12_is_not_decided_from_one_seed_a_side():
    """Fast mode trains each learning rate once: no seed variance, so nothing is decided, never a tie."""
    record = decide_c12(evidence([0.62], [0.06], ok_accuracy=[0.55], ok_saturation=[0.0]))
    assert verdicts(record) == ["not decided"] * 3 and record["verdict"] == "not decided"
    assert all("measured once" in part["evidence"] for part in record["parts"])


def test_c12_is_not_decided_when_the_seeds_disagree():
    # one lr 0.05 seed collapsed to chance, the others did not: too wide to say whether it failed outright
    record = decide_c12(evidence([0.50, 0.80, 0.79], SATURATED))
    assert verdicts(record)[2] == "not decided"
    assert record["verdict"] in ("not decided", "partly holds", "holds")
    assert record["verdict"] == "not decided" or verdicts(record)[:2] == ["holds", "holds"]


def test_c12_reads_older_results_without_crashing():
    old = {"lstm_gru_cells": {"models": {"lstm": {"validation": {"accuracy": 0.859}},
                                         "lstm_lr_0_05": {"validation": {"accuracy": 0.791}}},
                              "c12": {"verdict": "partly holds", "evidence": "one seed each"}}}
    record = decide_c12(Evidence("full", results=old, predictions={}))
    assert record["verdict"] == "not decided"
    assert "run lesson 02 again" in record["parts"][0]["evidence"]


@pytest.mark.parametrize("broken", [{"test_accuracy_seeds": "0.8"}, {"test_accuracy_seeds": [None]},
                                    {"saturated_share_seeds": {}}, "not a dict"])
def test_c12_malformed_results_are_not_decided(broken):
    ev = evidence([0.79, 0.80, 0.795], SATURATED, items=False)
    model = ev.results["lstm_gru_cells"]["models"]["lstm_lr_0_05"]
    if isinstance(broken, dict):
        model.update(broken)
    else:
        ev.results["lstm_gru_cells"]["models"]["lstm_lr_0_05"] = broken
    record = decide_c12(ev)
    assert record["verdict"] == "not decided"


def test_c12_missing_results_and_mismatched_outcomes():
    assert decide_c12(Evidence("full", results={}, predictions={}))["verdict"] == "not decided"
    # outcomes of another number of seeds than the results list are left out, not a crash
    ev = evidence([0.79, 0.80, 0.795], SATURATED)
    ev._predictions["lstm_gru_cells"]["lstm"] = ev._predictions["lstm_gru_cells"]["lstm"][:2]
    record = decide_c12(ev)
    assert "paired items" not in record["parts"][0]["evidence"]
    assert record["verdict"] in VERDICTS
    assert DECIDERS["C12"] is decide_c12


def test_lesson_02_stores_what_decide_c12_reads():
    cells = json.loads((ROOT / "notebooks" / "02_lstm_and_gru_cells.ipynb").read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    for needed in ('"test_accuracy_seeds"', '"saturated_share_seeds"', '"saturated_share_before_training"',
                   'save_predictions("lstm_gru_cells"', '"lstm_lr_0_05"', "decide_c12(Evidence(run_mode()))"):
        assert needed in code, f"lesson 02 no longer stores or prints {needed}"


# ---------------------------------------------------------------- exercise 02.2
def test_02_2_a_swapped_update_gate_gets_its_own_message():
    from utils.exercises.lesson_02 import _gru_swapped_update

    ok, message = EXERCISES["02.2"].evaluate(_gru_swapped_update)
    assert not ok
    assert "update gate weighs the other way" in message and "h = z * h + (1 - z) * candidate" in message
    assert "reset gate multiplies" not in message  # not the generic message about the other gate


def test_02_2_the_reference_solution_is_not_mistaken_for_the_swapped_one():
    from utils.lesson_functions import sigmoid

    def reset_before(x, kernel, recurrent_kernel, bias):
        units = recurrent_kernel.shape[0]
        h = np.zeros((x.shape[0], units), dtype=x.dtype)
        states = []
        for t in range(x.shape[1]):
            from_input = x[:, t] @ kernel + bias
            z = sigmoid(from_input[:, :units] + h @ recurrent_kernel[:, :units])
            r = sigmoid(from_input[:, units:2 * units] + h @ recurrent_kernel[:, units:2 * units])
            h = z * h + (1 - z) * np.tanh(from_input[:, 2 * units:] + (r * h) @ recurrent_kernel[:, 2 * units:])
            states.append(h)
        return np.stack(states, axis=1)

    ok, message = EXERCISES["02.2"].evaluate(reset_before)
    assert ok, message


def test_02_2_other_wrong_answers_keep_the_reset_gate_message():
    from utils.exercises.lesson_02 import _gru_reset_after_one_bias

    ok, message = EXERCISES["02.2"].evaluate(_gru_reset_after_one_bias)
    assert not ok and "reset gate multiplies h before the product" in message
    assert "update gate" not in message
