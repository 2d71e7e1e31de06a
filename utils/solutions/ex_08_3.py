"""Exercise 08.3: is average pooling better than the last state? The noise rule, paired on the test reviews.

In lesson 08's notebook `accuracies` and `outcomes` are section 3's. Run on its own, this reads the same numbers from
the lesson's stored results of the current run mode (results/choosing_a_cell.json and its per-review outcomes in
results/predictions/; run lesson 08 first).
"""
from utils.verdicts import compare

if "accuracies" not in globals() or "outcomes" not in globals():
    from utils import run_mode
    from utils.predictions import load_predictions
    from utils.results import load_results

    stored = load_results("choosing_a_cell", run_mode())["models"]
    accuracies = {key: stored[key]["test_accuracy_seeds"] for key in ("lstm_average", "lstm_last_state")}
    outcomes = load_predictions("choosing_a_cell", run_mode())  # {model: [seeds, reviews] of 1/0}

# One question on its own, so no Holm correction: A is average pooling, B the last state.
c = compare(accuracies["lstm_average"], accuracies["lstm_last_state"], names=("lstm_average", "lstm_last_state"),
            items=(outcomes["lstm_average"], outcomes["lstm_last_state"]), margin="accuracy")
print(c.describe())

answer = {"accuracies": accuracies, "outcomes": outcomes, "gap": c.difference, "interval": (c.low, c.high),
          "outcome": c.outcome}
