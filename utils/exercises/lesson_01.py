"""Exercises 01.1–01.2 of lesson 01, a SimpleRNN from scratch: the forget bias's reach, and gradient clipping."""

import functools

import numpy as np

from utils.exercises.core import (
    Wrong,
    compare,
    exercise,
    read_boolean,
    read_choice,
    read_mapping,
    read_number,
    read_numbers,
    read_word,
)

SEED_0_TOLERANCE = 1e-3  # relative: the same computation on another machine differs far less than this


@functools.cache
def seed_0_factors():
    """Seed 0's per-step factor of the default LSTM and of ``LSTM(32, unit_forget_bias=False)``, as lesson 01 measures.

    The lesson's input ``x_long`` (16 sequences of 100 steps, 8 features, N(0, 1), ``default_rng(1)``), its
    ``seeded`` (``keras.utils.set_random_seed(0)``, then the layer), ``jacobian_norms`` and ``per_step_factor``.
    -> ``{"default": factor, "no_forget_bias": factor}``. Python's and NumPy's random state are put back afterwards.
    """
    import random

    import keras
    import tensorflow as tf

    from utils.lesson_functions import jacobian_norms, per_step_factor

    x_long = tf.constant(np.random.default_rng(1).normal(size=(16, 100, 8)).astype("float32"))
    saved = random.getstate(), np.random.get_state()
    try:
        factors = {}
        for name, forget_bias in (("default", True), ("no_forget_bias", False)):
            keras.utils.set_random_seed(0)
            layer = keras.layers.LSTM(32, unit_forget_bias=forget_bias)
            factors[name] = per_step_factor(jacobian_norms(layer, x_long))
    finally:
        random.setstate(saved[0])
        np.random.set_state(saved[1])
    return factors


def _fades_faster(c):
    """c.describe() with its outcome in this exercise's words: compare's "better" is the smaller factor here."""
    said = f"{c.better} fades faster" if c.better else c.verdict
    return c.describe().rsplit(" -> ", 1)[0] + " -> " + said


def _close(value, expected):
    return abs(value - expected) <= SEED_0_TOLERANCE * abs(expected)


@exercise(
    "01.1",
    question="Measure the per-step factor, `per_step_factor(jacobian_norms(layer, x_long))`, of an LSTM built with "
             "`unit_forget_bias=False` and of the default LSTM, for the same initialisation seeds starting with seed 0 "
             "(build each as `seeded` does; seeds 0 to 4, or at least 0 and 1). Which fades faster?",
    verifies="seed 0's values, measured again, and a verdict that follows from your numbers by the noise rule",
    hint="Build the layers as the lesson's seeded() does — keras.utils.set_random_seed(seed), then "
         "keras.layers.LSTM(UNITS, unit_forget_bias=False) or keras.layers.LSTM(UNITS) — and reuse jacobian_norms "
         "and per_step_factor on x_long, the N(0, 1) inputs. Without the bias of 1 the forget gate starts at "
         "sigmoid(0) = 0.5 instead of sigmoid(1) = 0.73. Compare the two lists with utils.verdicts.compare "
         "(a smaller factor fades faster).",
    wrong=[({"default": [0.8263, 0.8194], "no_forget_bias": [0.6087, 0.6002], "fades_faster": "default"}, "smaller"),
           ({"default": [0.82], "no_forget_bias": [0.60], "fades_faster": "no_forget_bias"}, "at least 2"),
           ({"default": [0.6087, 0.6002], "no_forget_bias": [0.8263, 0.8194], "fades_faster": "default"},
            "unit_forget_bias"),
           ({"default": [0.82, 0.83], "no_forget_bias": [0.60, 0.61], "fades_faster": "no_forget_bias"}, "seed 0"),
           ({"default": [0.8263, 0.83], "no_forget_bias": [0.55, 0.56], "fades_faster": "no_forget_bias"},
            "no_forget_bias"),
           ({"default": [0.82, 0.83], "no_forget_bias": [0.60, 0.61], "fades_faster": "lstm"}, "one of")],
)
def _check_01_1(answer):
    parts = read_mapping(answer, ["default", "no_forget_bias", "fades_faster"],
                         '{"default": [0.82, 0.83], "no_forget_bias": [...], "fades_faster": "no_forget_bias"}')
    default = read_numbers(parts["default"], 'answer["default"]', 2, 0.0, 2.0)
    no_bias = read_numbers(parts["no_forget_bias"], 'answer["no_forget_bias"]', 2, 0.0, 2.0)
    if isinstance(parts["fades_faster"], str) and parts["fades_faster"].strip().lower() in ("no difference", "tie"):
        raise Wrong("'no difference' reads a gap the rule cannot decide as a tie; answer 'default', "
                    "'no_forget_bias' or 'not decided'")
    said = read_word(parts["fades_faster"], ("default", "no_forget_bias", "not decided"), 'answer["fades_faster"]')
    expected = seed_0_factors()
    yours = {"default": default[0], "no_forget_bias": no_bias[0]}
    if _close(yours["default"], expected["no_forget_bias"]) and _close(yours["no_forget_bias"], expected["default"]):
        raise Wrong(f"your first values are swapped: seed 0 gives {expected['default']:.4f} for the default LSTM "
                    f"and {expected['no_forget_bias']:.4f} with unit_forget_bias=False, not the other way round")
    off = [name for name in yours if not _close(yours[name], expected[name])]
    if off:
        layers = {"default": "keras.layers.LSTM(32)", "no_forget_bias": "keras.layers.LSTM(32, unit_forget_bias=False)"}
        raise Wrong("the check measured seed 0 again: " + "; ".join(
            f"{layers[name]} keeps {expected[name]:.4f} per step, your first {name} value is {yours[name]:.4f}"
            for name in off) + ". Build each layer right after keras.utils.set_random_seed(0), as seeded() does, "
            "and measure it on x_long (the lesson's N(0, 1) inputs) with jacobian_norms and per_step_factor; "
            "the first value of each list is seed 0's")
    c = compare(default, no_bias, names=("default", "no_forget_bias"), higher_is_better=False,
                runs="initialisations")  # "better" = the smaller factor = fades faster
    verdict = "not decided" if c.better is None else c.better
    if said != verdict:
        raise Wrong(f"your numbers say {_fades_faster(c)}, so by the noise rule the one that fades faster is "
                    f"{verdict!r} (a smaller factor per step fades faster), not {said!r}")
    if c.better == "default":
        raise Wrong(f"{_fades_faster(c)}: the default LSTM fading faster contradicts what the bias does (forget gate "
                    "0.73 instead of 0.5); did you pass unit_forget_bias=False to the second one only?")
    if c.better is None:
        raise Wrong(f"{_fades_faster(c)}: the rule cannot tell them apart; with the same seeds and inputs the gap "
                    "should be large — check that both lists use the same fit (50 most recent steps)")
    return (f"the check measured seed 0 again and got your first values (default {expected['default']:.4f}, "
            f"no_forget_bias {expected['no_forget_bias']:.4f}). {_fades_faster(c)}. Without the forget bias the "
            f"LSTM keeps about {c.mean_b:.2f} of the gradient per step instead of {c.mean_a:.2f}: the bias of 1 is "
            "what gives an untrained LSTM its longer reach (with these N(0, 1) inputs).")


ADDING_BEST_CONSTANT = 1 / 6  # variance of the sum of two uniform numbers: the MSE of the best constant


CLIPPING_CHOICES = {"a": "clipnorm rescales each weight's gradient as a whole, keeping that weight's direction; "
                         "clipvalue caps every element on its own, which can change its direction",
                    "b": "clipvalue does not bound the size of an update",
                    "c": "clipvalue works only with Adam"}


@exercise(
    "01.2",
    question="Train the adding-problem model with `clipvalue=0.5` instead of `clipnorm=1.0`. Does training stay "
             "finite, does it learn (final MSE below half the best constant's), and how do the two clippings differ?",
    verifies="that your record is consistent (a diverged run has no final MSE; 'learned' matches the MSE) and the "
             "choice",
    hint="Call run = train_adding(x_add, y_add, TRAIN_STEPS, BATCH, clipvalue=0.5) (utils.adding_task), then read "
         "it with clipping_summary(*run), as the lesson does. For the choice: Keras' clipnorm rescales each "
         "weight's gradient to norm 1 at most, separately (global_clipnorm would rescale all of them "
         "together); clipvalue caps every element on its own.",
    options=CLIPPING_CHOICES,
    wrong=[({"stays_finite": True, "final_mse": None, "learned": False, "difference": "a"}, "final_mse"),
           ({"stays_finite": True, "final_mse": 0.16, "learned": True, "difference": "a"}, "half"),
           ({"stays_finite": True, "final_mse": 0.16, "learned": False, "difference": "b"}, "bound")],
)
def _check_01_2(answer):
    example = '{"stays_finite": True, "final_mse": 0.16, "learned": False, "difference": "a"}'
    parts = read_mapping(answer, ["stays_finite", "final_mse", "learned", "difference"], example)
    finite, learned = read_boolean(parts["stays_finite"], "stays_finite"), read_boolean(parts["learned"], "learned")
    if finite and parts["final_mse"] is None:
        raise Wrong("a run that stayed finite has a final MSE: give the mean of its last 100 losses as final_mse")
    if not finite and parts["final_mse"] is not None:
        raise Wrong("a diverged run has no final MSE (its losses are inf or nan): set final_mse to None")
    if finite:
        mse = read_number(parts["final_mse"], "final_mse", 0.0)
        if learned != (mse < ADDING_BEST_CONSTANT / 2):
            raise Wrong(f"final_mse {mse:.3f} and learned={learned} disagree: 'learned' means below half the best "
                        f"constant's MSE, {ADDING_BEST_CONSTANT / 2:.3f}")
    elif learned:
        raise Wrong("a diverged run has not learned: learned should be False")
    choice = read_choice(parts["difference"], CLIPPING_CHOICES, "difference")
    if choice == "b":
        raise Wrong("difference 'b': clipvalue does bound every update: each element of each gradient is at most "
                    "0.5, so SGD's step from it is at most 0.5 times the learning rate (momentum 0.9 adds up past "
                    "clipped steps, up to ten of them); what clipvalue changes is the direction of the gradient")
    if choice == "c":
        raise Wrong("difference 'c': both clippings work with any Keras optimizer, SGD included")
    outcome = ("stayed finite" if finite else "diverged") + (" and learned" if learned else ", without learning")
    return (f"your run {outcome}. Clipping each element bounds the step but bends its direction towards the "
            "corners of a box; clipnorm shrinks each weight's gradient and keeps that weight's direction (only "
            "global_clipnorm keeps the direction of the whole gradient).")
