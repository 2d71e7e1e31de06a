"""Exercises 01.1–01.2 of lesson 01, a SimpleRNN from scratch: the forget bias's reach, and gradient clipping."""

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


@exercise(
    "01.1",
    question="Measure the per-step factor (`per_step_factor` of `jacobian_norms`) of an LSTM built with "
             "`unit_forget_bias=False`, for the same initialisation seeds as the default LSTM. Which fades faster?",
    verifies="that your factors are plausible (between 0 and 2, at least two initialisations each), that "
             "your verdict follows from them by the noise rule, and that they agree with what the forget bias "
             "does",
    hint="Build seeded LSTMs with keras.layers.LSTM(UNITS, unit_forget_bias=False) and reuse jacobian_norms and "
         "per_step_factor. Without the bias of 1 the forget gate starts at sigmoid(0) = 0.5 instead of "
         "sigmoid(1) = 0.73. Compare the two lists with utils.verdicts.compare (a smaller factor fades faster).",
    wrong=[({"default": [0.82, 0.83], "no_forget_bias": [0.60, 0.61], "fades_faster": "default"}, "smaller"),
           ({"default": [0.82], "no_forget_bias": [0.60], "fades_faster": "no_forget_bias"}, "at least 2"),
           ({"default": [0.60, 0.61], "no_forget_bias": [0.82, 0.83], "fades_faster": "default"}, "unit_forget_bias"),
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
    c = compare(default, no_bias, names=("default", "no_forget_bias"), higher_is_better=False,
                runs="initialisations")
    verdict = "not decided" if c.better is None else c.better
    if said != verdict:
        raise Wrong(f"your numbers say {c.describe()}, so by the noise rule the one that fades faster is "
                    f"{verdict!r} (a smaller factor per step fades faster), not {said!r}")
    if c.better == "default":
        raise Wrong(f"{c.describe()}: the default LSTM fading faster contradicts what the bias does (forget gate "
                    "0.73 instead of 0.5); did you pass unit_forget_bias=False to the second one only?")
    if c.better is None:
        raise Wrong(f"{c.describe()}: the rule cannot tell them apart; with the same seeds and inputs the gap "
                    "should be large — check that both lists use the same fit (50 most recent steps)")
    return (f"{c.describe()}. Without the forget bias the LSTM keeps about {c.mean_b:.2f} of the gradient per step "
            f"instead of {c.mean_a:.2f}: the bias of 1 is what gives an untrained LSTM its longer reach.")


ADDING_BEST_CONSTANT = 1 / 6  # variance of the sum of two uniform numbers: the MSE of the best constant


CLIPPING_CHOICES = {"a": "clipnorm rescales each weight's gradient as a whole, keeping that weight's direction; "
                         "clipvalue caps every element on its own, which can turn it",
                    "b": "clipvalue does not bound the size of an update",
                    "c": "clipvalue works only with Adam"}


@exercise(
    "01.2",
    question="Train the adding-problem model with `clipvalue=0.5` instead of `clipnorm=1.0`. Does training stay "
             "finite, does it learn (mean MSE of the last 100 steps below half the best constant's 0.167), and "
             "what is the difference between the two kinds of clipping?",
    verifies="that your record is consistent (a finite run has a final MSE, a diverged one has none; 'learned' "
             "matches the MSE) and the choice about what the two clippings do",
    hint="Call train_adding(x_add, y_add, TRAIN_STEPS, BATCH, clipvalue=0.5) (utils.adding_task), then read its "
         "losses as the lesson's summary does. For the choice: Keras' clipnorm rescales each weight's gradient "
         "to norm 1 at most, separately (global_clipnorm would rescale all of them together); clipvalue caps "
         "every element on its own.",
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
        raise Wrong("difference 'b': clipvalue does bound every update (each element at most 0.5 times the "
                    "learning rate); what it changes is the direction of the gradient")
    if choice == "c":
        raise Wrong("difference 'c': both clippings work with any Keras optimizer, SGD included")
    outcome = ("stayed finite" if finite else "diverged") + (" and learned" if learned else ", without learning")
    return (f"your run {outcome}. Clipping each element bounds the step but bends its direction towards the "
            "corners of a box; clipnorm shrinks each weight's gradient and keeps that weight's direction (only "
            "global_clipnorm keeps the direction of the whole gradient).")
