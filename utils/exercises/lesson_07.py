"""Exercises 07.1–07.3 of lesson 07, the S&P 500: volume as a second feature, 60-day windows, and the forecast's lag."""

from collections.abc import Mapping

from utils.checks import describe
from utils.exercises.core import (
    SP500_SPLIT_DAYS,
    Wrong,
    exercise,
    read_integer,
    read_mapping,
    read_shape,
    read_word,
)


def _persistence_errors(window):
    """Persistence's squared error per scored test day for a look-back of ``window`` days (points²)."""
    from utils.forecasting import sp500_periods

    test = sp500_periods()[2]["test"].to_numpy()
    return (test[window - 1:-1] - test[window:]) ** 2


def _persistence_verdicts(errors_answer, verdicts_answer, window):
    """Check {cell: squared errors [seeds, days]} and {cell: verdict} against lesson 07's rule (every cell against
    persistence on the same days, Holm over the cells); the lines for the ✅ message."""
    import numpy as np

    from utils.forecasting import VERDICTS, persistence_verdicts

    if not isinstance(errors_answer, Mapping) or not errors_answer:
        raise Wrong(f'answer["squared_errors"] should be a dict {{cell: squared error per test day, one row per '
                    f"seed}}, got {describe(errors_answer)}")
    if not isinstance(verdicts_answer, Mapping):
        raise Wrong(f'answer["verdicts"] should be a dict {{cell: verdict}}, got {describe(verdicts_answer)}')
    base = _persistence_errors(window)
    errors = {}
    for cell, value in errors_answer.items():
        try:
            array = np.asarray(value, dtype="float64")
        except (TypeError, ValueError):
            raise Wrong(f"the squared errors of {cell} should be numbers, [seeds, days]; got {describe(value)}") \
                from None
        if array.ndim == 1:
            array = array[None, :]
        if array.ndim != 2 or array.shape[1] != len(base):
            raise Wrong(f"the squared errors of {cell} have shape {array.shape}: one row per seed and one column per "
                        f"scored test day ({len(base)})")
        if not np.isfinite(array).all() or (array < 0).any():
            raise Wrong(f"the squared errors of {cell} must be finite and >= 0: (forecast - truth) ** 2 per day")
        if cell not in verdicts_answer:
            raise Wrong(f'answer["verdicts"] has no verdict for {cell!r}')
        errors[str(cell)] = array
    lines = []
    for cell, (comparison, verdict) in persistence_verdicts(errors, base).items():
        said = verdicts_answer[cell]
        if isinstance(said, str) and said.strip().lower() in ("no difference", "tie"):
            raise Wrong(f"{said!r} for {cell} reads the gap as a tie; the rule's words are 'beats persistence', "
                        "'worse than persistence', 'equivalent to persistence' (inside the margin) or 'not decided'")
        said = read_word(said, VERDICTS, f"the verdict for {cell}")
        if said != verdict:
            raise Wrong(f"{comparison.describe(1)}, so the verdict for {cell} is {verdict!r}, not {said!r}")
        lines.append(f"{cell} {verdict}")
    return lines


def _errors_example(days):
    return (f'{{"squared_errors": {{"lstm": [[...{days} values, seed 1...], [...seed 2...]]}}, '
            '"verdicts": {"lstm": "not decided"}}')


@exercise(
    "07.1",
    question="Add the day's log volume, scaled on the training period, as a second input next to the return and "
             "train the three cells as in section 3. What shape do the test windows have, and is any cell now "
             "decided better than persistence?",
    verifies="the shape of the test inputs, and that each verdict follows from your own squared errors by section "
             "3's rule",
    hint="Stack [return, log volume] per period into an array [days, 2] (align volume on the return's days), scale "
         "both columns with scale_with_train, make_windows(..., target_column=0). The model's Input becomes "
         "(WINDOW, 2). Verdicts: utils.forecasting.persistence_verdicts({cell: squared errors [seeds, days]}, "
         "persistence's squared errors [days]), the rule of section 3.",
    wrong=[({"input_shape": (734, 20, 1), "squared_errors": {"lstm": [[1.0] * 734]},
             "verdicts": {"lstm": "not decided"}}, "feature"),
           ({"input_shape": (734, 20, 2), "squared_errors": {"lstm": [[1.0] * 733]},
             "verdicts": {"lstm": "not decided"}}, "scored test day"),
           ({"input_shape": (734, 20, 2), "squared_errors": {"lstm": [[0.0] * 734, [0.0] * 734]},
             "verdicts": {"lstm": "not decided"}}, "beats persistence"),
           ({"input_shape": (754, 20, 2), "squared_errors": {"lstm": [[1.0] * 734]},
             "verdicts": {"lstm": "not decided"}}, "windows")],
)
def _check_07_1(answer):
    parts = read_mapping(answer, ["input_shape", "squared_errors", "verdicts"],
                         '{"input_shape": (1, 2, 3), ' + _errors_example(734)[1:])
    shape = read_shape(parts["input_shape"], "input_shape")
    test_days = SP500_SPLIT_DAYS[2]
    if shape != (test_days - 20, 20, 2):
        if len(shape) == 3 and shape[2] == 1:
            raise Wrong(f"input_shape {shape} has one feature per day; with the volume there are two")
        if len(shape) == 3 and shape[0] != test_days - 20:
            raise Wrong(f"input_shape {shape}: the test period's {test_days} days give {test_days - 20} windows of 20")
        raise Wrong(f"input_shape {shape} is not the shape of the test windows, [windows, 20, 2]")
    lines = _persistence_verdicts(parts["squared_errors"], parts["verdicts"], 20)
    return (f"{shape}; " + "; ".join(lines) + ". Compare with section 3's verdicts: did the volume change any of "
            "them?")


@exercise(
    "07.2",
    question="Set `WINDOW = 60` and re-run sections 1–3. How many test days are scored now, and what is each "
             "return model's verdict against persistence?",
    verifies="the number of scored test days, and that each verdict follows from your own squared errors by "
             "section 3's rule",
    hint="Every forecast needs a full window inside the test period, so the first WINDOW days are not scored. "
         "The verdicts come from utils.forecasting.persistence_verdicts({cell: squared errors [seeds, days]}, "
         "persistence's squared errors on the same days), the rule of section 3.",
    wrong=[({"scored_days": 734, "squared_errors": {"lstm": [[1.0] * 694]}, "verdicts": {"lstm": "not decided"}},
            "60"),
           ({"scored_days": 694, "squared_errors": {"lstm": [[0.0] * 694, [0.0] * 694]},
             "verdicts": {"lstm": "not decided"}}, "beats"),
           ({"scored_days": 694, "squared_errors": {"lstm": [[1.0] * 694]}, "verdicts": {"lstm": "no difference"}},
            "tie"),
           ({"scored_days": 694, "squared_errors": [1.0], "verdicts": {"lstm": "not decided"}}, "dict")],
)
def _check_07_2(answer):
    example = '{"scored_days": 123, ' + _errors_example(694)[1:]
    parts = read_mapping(answer, ["scored_days", "squared_errors", "verdicts"], example)
    days = read_integer(parts["scored_days"], "scored_days")
    test_days = SP500_SPLIT_DAYS[2]
    if days != test_days - 60:
        raise Wrong(f"{days} scored days: the test period has {test_days} days and the first WINDOW = 60 of them only "
                    "fill the first window" + (" (734 is the count for WINDOW = 20)" if days == test_days - 20 else ""))
    lines = _persistence_verdicts(parts["squared_errors"], parts["verdicts"], 60)
    return (f"{days} scored days; " + "; ".join(lines) + ". Note that persistence is re-scored on the same, "
            "shorter set of days.")


@exercise(
    "07.3",
    question="Shift the LSTM's test forecast (return target) against the truth: for which lag k in 0…5 is the "
             "RMSE between `forecast[k:]` and `truth[:len(truth) - k]` smallest?",
    verifies="the lag, exactly",
    hint="forecast = forecasts['lstm']; for k in range(6) compute root_mean_squared_error(truth[:len(truth) - k], "
         "forecast[k:]) (k = 0 is the plain RMSE). A forecast that is 'today's close, almost unchanged' matches "
         "the truth of the day before.",
    wrong=[(0, "one day back"), (2, "one day"), ("1", "whole number")],
)
def _check_07_3(answer):
    lag = read_integer(answer, "the lag")
    if lag == 1:
        return ("lag 1: the forecast for day t is closest to the close of day t - 1 — the model mostly repeats "
                "today's close. A forecast that lags the truth by a day is persistence in disguise.")
    if lag == 0:
        raise Wrong("lag 0 is the plain RMSE; the forecast matches the truth better one day back: compare "
                    "forecast[1:] with truth[:-1]")
    raise Wrong(f"lag {lag}: the forecast is today's close times e^(small return), so it sits one day behind the "
                "truth; recompute the RMSE for each k")
