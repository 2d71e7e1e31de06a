"""Exercises 03.1–03.4 of lesson 03, memory span: the initial keep gates, a shortcut with no memory, a longer
curriculum, and a chrono LSTM's take-off.
"""

import math
from collections.abc import Mapping
from functools import lru_cache

import numpy as np

from utils.checks import describe
from utils.exercises.core import (
    Wrong,
    exercise,
    read_boolean,
    read_choice,
    read_mapping,
    read_number,
    read_numbers,
    read_share,
    read_word,
)


@exercise(
    "03.1",
    question="Read the initial keep gate of a fresh `keras.layers.LSTM(32)` (forget gate) and `keras.layers.GRU(32)` "
             "(update gate) from their biases. If a trace of the first token were multiplied by that gate at "
             "every step, after how many steps would it fall below 1%?",
    verifies='both step counts, as {"lstm": ..., "gru": ...} (whole steps, or the exact value to ±0.5)',
    hint="Build each layer with layer.build((None, None, 8)); the LSTM's forget-gate bias is bias[32:64], the "
         "GRU's update-gate bias is bias[0, :32]. The gate is sigmoid(bias); solve gate**k < 0.01 for k: "
         "k = log(0.01) / log(gate).",
    wrong=[({"lstm": 4, "gru": 2}, "forget gate"), ({"lstm": 7, "gru": 15}, "swapped"), ({"lstm": 15}, "no key"),
           ({"lstm": 100, "gru": 100}, "log(0.01)")],
)
def _check_03_1(answer):
    parts = read_mapping(answer, ["lstm", "gru"], '{"lstm": 12, "gru": 34}')
    lstm, gru = read_number(parts["lstm"], 'answer["lstm"]', 0.0), read_number(parts["gru"], 'answer["gru"]', 0.0)
    exact = {"lstm": math.log(0.01) / math.log(1 / (1 + math.exp(-1.0))), "gru": math.log(0.01) / math.log(0.5)}

    def right(value, key):
        return abs(value - exact[key]) <= 0.5 or value == math.ceil(exact[key])

    if right(lstm, "lstm") and right(gru, "gru"):
        return (f"LSTM {exact['lstm']:.1f} steps (0.73 per step), GRU {exact['gru']:.1f} (0.5 per step): at T = 20 the "
                "first token's trace in the gated cells is gone before training finds a reason to keep it — the "
                "from-scratch pitfall of section 3 (the SimpleRNN escapes it: on small inputs its orthogonal "
                "recurrent matrix keeps nearly everything). A chrono gate of 0.99 keeps it for about 460 steps.")
    if right(lstm, "gru") and right(gru, "lstm"):
        raise Wrong("swapped: the LSTM's forget gate starts at sigmoid(1) = 0.73 and keeps more per step than the "
                    "GRU's update gate at sigmoid(0) = 0.5")
    for key, value, other in (("lstm", lstm, gru), ("gru", gru, lstm)):
        if right(value, key) and not right(other, "gru" if key == "lstm" else "lstm"):
            wrong_key = "gru" if key == "lstm" else "lstm"
            gate = "update gate, sigmoid(0) = 0.5" if wrong_key == "gru" else "forget gate, sigmoid(1) = 0.73"
            raise Wrong(f"your {key.upper()} count is right; the {wrong_key.upper()}'s is not: its keep gate is the "
                        f"{gate}, and k = log(0.01) / log(gate), rounded up to a whole step")
    if lstm < 6 or gru < 3:
        raise Wrong(f"lstm {lstm:g}, gru {gru:g}: too few steps. The keep gate is the forget gate (LSTM) or the "
                    "update gate (GRU), 0.73 and 0.5; a trace falls below 1% when gate**k < 0.01")
    raise Wrong(f"lstm {lstm:g}, gru {gru:g}: solve gate**k < 0.01, k = log(0.01) / log(gate), with the gate "
                "values read from the biases")


@lru_cache(maxsize=4)
def _mode_guess_accuracy(lag, n=1024, seed=2000, vocab=8):
    from utils.sequences import recall_task

    x, y = recall_task(n, lag, vocab, seed=seed)
    guess = np.array([np.bincount(row, minlength=vocab).argmax() for row in x])
    return float(np.mean(guess == y))


@exercise(
    "03.2",
    question="From scratch at T = 20 the default LSTM scored a little above chance. Measure a shortcut with no "
             "memory of the order: guess the most frequent token of the whole sequence (ties: the smallest, "
             "`np.bincount(row).argmax()`) on `recall_task(1024, 20, 8, seed=2000)`. What accuracy does it reach, "
             "and is the LSTM's score consistent with no memory of the first token?",
    verifies="your accuracy against the one computed from the same sequences (to ±0.005), and the conclusion",
    hint="x, y = recall_task(1024, lag=20, vocab_size=8, seed=2000); guess = [np.bincount(row, minlength=8).argmax() "
         "for row in x]; accuracy = np.mean(guess == y). The first token is in the sequence, so it is the most "
         "frequent one more often than 1 time in 8.",
    wrong=[({"accuracy": 0.125, "consistent_with_lstm": False}, "chance"),
           ({"accuracy": 28.7, "consistent_with_lstm": True}, "percentage"),
           ({"accuracy": 0.2871, "consistent_with_lstm": False}, "reaches")],
)
def _check_03_2(answer):
    parts = read_mapping(answer, ["accuracy", "consistent_with_lstm"],
                         '{"accuracy": 0.2, "consistent_with_lstm": True}')
    accuracy = read_share(parts["accuracy"], 'answer["accuracy"]')
    consistent = read_boolean(parts["consistent_with_lstm"], 'answer["consistent_with_lstm"]')
    expected = _mode_guess_accuracy(20)
    if abs(accuracy - 0.125) < 0.002:
        raise Wrong("0.125 is chance, 1/8; the shortcut counts tokens and guesses the most frequent one")
    if abs(accuracy - expected) > 0.005:
        nearby = "; break ties by the smallest token" if abs(accuracy - expected) < 0.03 else ""
        raise Wrong(f"{accuracy:.3f} is not what the shortcut gets on recall_task(1024, 20, 8, seed=2000){nearby}")
    if not consistent:
        raise Wrong(f"the shortcut reaches {expected:.3f} without remembering which token came first, at least as "
                    "much as the LSTM's 12–25%: so that score needs no memory of the first token")
    return (f"{expected:.3f}: counting tokens beats chance without any memory of the order, so the default LSTM's "
            "12–25% at T = 20 is consistent with no memory of the first token at all. Scores just above chance "
            "deserve such a baseline.")


LAGS = (0, 5, 20, 50, 100)


@exercise(
    "03.3",
    question="Give the four-token curriculum more steps at the first distance (e.g. 5,000 at T = 5, then "
             "`MULTI_STEPS` per distance). For each of the LSTM and the GRU, what is the longest distance each seed "
             "solves (at least two seeds each), and do they now hold four tokens as far as one (every distance up to "
             "T = 100)?",
    verifies="that each cell has at least two seeds, that the distances are among 0, 5, 20, 50, 100, and that "
             "your verdict follows from them: a cell holds four tokens as far as one when its median seed solves "
             "T = 100",
    hint="Add a steps argument for the first distance to run_curriculum (or train_at the first distance with 5,000 "
         "steps before the loop), then utils.memory_regimes.longest_solved(table, key) gives each seed's distance. "
         "The median over seeds decides.",
    wrong=[({"lstm": [100, 100, 100], "gru": [5, 5, 20], "as_far_as_one": "both"}, "median"),
           ({"lstm": [100, 100, 30], "gru": [5, 5, 20], "as_far_as_one": "lstm only"}, "30"),
           ({"lstm": 100, "gru": 5, "as_far_as_one": "lstm only"}, "list"),
           ({"lstm": [100], "gru": [5], "as_far_as_one": "lstm only"}, "one seed")],
)
def _check_03_3(answer):
    parts = read_mapping(answer, ["lstm", "gru", "as_far_as_one"],
                         '{"lstm": [100, 20, 100], "gru": [5, 5, 20], "as_far_as_one": "lstm only"}')
    medians = {}
    for key in ("lstm", "gru"):
        values = read_numbers(parts[key], f'answer["{key}"]', 1, 0, 1000)
        if len(values) < 2:
            raise Wrong(f'answer["{key}"] holds one seed: one seed says nothing about how often a cell gets there; '
                        "run at least two seeds per cell")
        odd = [v for v in values if v not in LAGS]
        if odd:
            raise Wrong(f'answer["{key}"] holds {odd[0]:g}, not a distance of the curriculum; give each seed\'s '
                        "longest solved distance among 5, 20, 50, 100, or 0 when it solved none")
        medians[key] = float(np.median(values))
    holds = [key for key in ("lstm", "gru") if medians[key] >= 100]
    verdict = {0: "neither", 2: "both"}.get(len(holds)) or f"{holds[0]} only"
    said = read_word(parts["as_far_as_one"], ("both", "lstm only", "gru only", "neither"), 'answer["as_far_as_one"]')
    if said != verdict:
        raise Wrong(f"median longest distance: lstm {medians['lstm']:g}, gru {medians['gru']:g}; by the rule (median "
                    f"seed solves T = 100) that is {verdict!r}, not {said!r}")
    return (f"median longest distance: LSTM {medians['lstm']:g}, GRU {medians['gru']:g} -> {verdict}. Whether the "
            "gated cells were unable to store four tokens, or only slow to learn it, is what the extra steps tell "
            "apart.")


TAKEOFF_CHOICES = {"a": "the chrono gates keep the first token, but it is written faintly (the input gate starts "
                        "nearly closed) among 200 distractors from the same vocabulary: training must first find "
                        "which of the 201 inputs the label depends on",
                   "b": "the learning rate is too small at the start",
                   "c": "an LSTM cannot hold a token for 200 steps"}


@exercise(
    "03.4",
    question="Train a chrono-initialised LSTM from scratch at T = 200 for 3,000 steps, two seeds, recording the "
             "stopping-set accuracy every 100 steps (several minutes on 2 CPU cores). When does each seed take off "
             "(first reach twice chance, 0.25), and why does it sit at chance until then?",
    verifies="that each curve holds accuracies (0 to 1), and that each take-off step is where its own curve first "
             "reaches 0.25 (None if it never does); and the choice of why it waits",
    hint="model = build(chrono(keras.layers.LSTM, 200), seed); then 30 times: fit on 100 fresh batches, "
         "x, y = recall_task(100 * BATCH, 200, VOCAB, seed=...) with a new seed each time, and record "
         "accuracy(model, 200, seed=1_000 + seed, n=256). The take-off step of a curve is 100 * (the position of "
         "its first value >= 0.25, counting from 1).",
    options=TAKEOFF_CHOICES,
    wrong=[({"curves": [[0.12, 0.13, 0.5]], "takeoff_steps": [100], "why": "a"}, "300"),
           ({"curves": [[0.12, 0.13, 0.14]], "takeoff_steps": [300], "why": "a"}, "None"),
           ({"curves": [[0.12, 0.5]], "takeoff_steps": [200], "why": "b"}, "learning rate")],
)
def _check_03_4(answer):
    parts = read_mapping(answer, ["curves", "takeoff_steps", "why"],
                         '{"curves": [[0.12, 0.13, ...], [...]], "takeoff_steps": [1200, None], "why": "a"}')
    curves, steps = parts["curves"], parts["takeoff_steps"]
    if isinstance(curves, str | Mapping) or not hasattr(curves, "__iter__"):
        raise Wrong(f"curves should be a list with one list of accuracies per seed, got {describe(curves)}")
    curves = [read_numbers(c, "a curve", 1, 0.0, 1.0) for c in curves]
    if isinstance(steps, str | Mapping) or not hasattr(steps, "__iter__"):
        raise Wrong(f"takeoff_steps should be a list with one step (or None) per seed, got {describe(steps)}")
    steps = list(steps)
    if not curves or len(steps) != len(curves):
        raise Wrong(f"{len(curves)} curve(s) but {len(steps)} take-off step(s): give one of each per seed")
    for i, (curve, step) in enumerate(zip(curves, steps)):
        first = next((k for k, a in enumerate(curve) if a >= 0.25), None)
        expected = None if first is None else 100 * (first + 1)
        if step != expected:
            raise Wrong(f"seed {i + 1}: its curve first reaches 0.25 " + (
                "never, so its take-off step is None" if expected is None else
                f"at check {first + 1}, after {expected} steps, so its take-off step is {expected}") +
                f", not {step!r}")
    why = read_choice(parts["why"], TAKEOFF_CHOICES, "why")
    if why == "b":
        raise Wrong("why 'b': the learning rate is the same throughout (Adam, 3e-3); the wait is the time training "
                    "needs to find the one input that matters among 201")
    if why == "c":
        raise Wrong("why 'c': the curriculum showed LSTMs holding a token over 1,000 steps; from scratch they must "
                    "first find which input the label depends on")
    shown = ", ".join("never" if s is None else f"{s} steps" for s in steps)
    return (f"take-off: {shown}. The trace itself survives: chrono gates of up to 0.995 per step keep "
            "0.995**200 = 0.37 of it. The long flat start is a search — picking a faint first token out of 200 "
            "distractors that look just like it; a curriculum, which starts where the token is easy to find, "
            "shortens it.")
