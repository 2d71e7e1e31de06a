"""The plumbing of lesson 07 (the S&P 500): metric tables, training over cells × targets × seeds, the walk-forward
loop, the scoring of volatility and interval forecasts, the records of the results file, and the lesson's plots.

What the lesson teaches stays in the notebook (the target set-up, the baselines, the model, the Gaussian head's loss,
the two mistakes, the comparisons); these functions only repeat and tabulate it:

    scores = forecast_scores(forecast, truth, previous, true_return)       # RMSE, MAE (points), direction
    runs = train_seed_runs(CELLS, ("return", "price"), SEEDS, train, to_points, score, validation_truth)
    table = ratio_table(scores | runs.mean_scores())                        # + RMSE / persistence's
    records, fold_errors, seconds = walk_forward(log_return, closes, test_index, folds, 20, CELLS, SEEDS, 40)

Closes are index points; returns daily log returns. Arrays of one forecast per seed are ``[seeds, days]``.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from utils.checks import ArgumentTypeError, describe, numeric_array, positive_int, seed_list


def _days(value, name, n=None):
    """``value`` as a float64 ``[days]`` array (of ``n`` days if given)."""
    array = numeric_array(value, name)
    if array.ndim != 1 or len(array) == 0:
        raise ValueError(f"{name} must be one value per day, [days], got shape {array.shape}")
    if n is not None and len(array) != n:
        raise ValueError(f"{name} covers {len(array)} days, the truth {n}: score every forecast on the same days")
    return array


def _mapping(value, name, what):
    if not isinstance(value, dict) or not value:
        raise ArgumentTypeError(f"{name} must be a non-empty dict {{{what}}}, got {describe(value)}")
    return value


def forecast_scores(forecast, truth, previous, true_return) -> dict:
    """RMSE and MAE in index points and the directional accuracy of one next-day close forecast.

    ``forecast``, ``truth`` (the scored days' closes), ``previous`` (the close of the day before each, persistence's
    forecast) and ``true_return`` (each scored day's log return) are ``[days]``. The directional accuracy is the share
    of days whose predicted move (forecast - previous, a zero move counted as "up") has the sign of the true return.
    """
    from sklearn.metrics import mean_absolute_error, root_mean_squared_error

    truth = _days(truth, "truth")
    forecast = _days(forecast, "forecast", len(truth))
    previous, true_return = _days(previous, "previous", len(truth)), _days(true_return, "true_return", len(truth))
    return {"rmse_points": root_mean_squared_error(truth, forecast),
            "mae_points": mean_absolute_error(truth, forecast),
            "direction_accuracy": float(np.mean((forecast - previous >= 0) == (true_return > 0)))}


def run_summary(records) -> dict:
    """``{"params", "train_seconds" (mean), "epochs" (per run)}`` of the records ``fit_forecaster`` returned."""
    if isinstance(records, dict) or not isinstance(records, list | tuple) or not records:
        raise ArgumentTypeError(f"records must be a non-empty list of fit_forecaster records, got {describe(records)}")
    missing = [key for key in ("params", "train_seconds", "epochs") if key not in records[0]]
    if missing:
        raise ValueError(f"records must come from fit_forecaster (params, train_seconds, epochs); missing {missing}")
    return {"params": records[0]["params"], "train_seconds": float(np.mean([r["train_seconds"] for r in records])),
            "epochs": [r["epochs"] for r in records]}


@dataclass(eq=False)
class SeedRuns:
    """Every model of :func:`train_seed_runs`, by name (``"lstm"``, ``"lstm_price"``, ...).

    ``forecasts``: test closes ``[seeds, days]``; ``seed_scores``: a :func:`forecast_scores` dict per seed;
    ``validation_rmse``: the mean over seeds of the validation RMSE in points; ``info``: :func:`run_summary`;
    ``models``: the first seed's model.
    """

    forecasts: dict = field(default_factory=dict)
    seed_scores: dict = field(default_factory=dict)
    validation_rmse: dict = field(default_factory=dict)
    info: dict = field(default_factory=dict)
    models: dict = field(default_factory=dict)

    def mean_scores(self) -> dict:
        """``{name: {metric: mean over seeds}}``."""
        return {name: {metric: float(np.mean([s[metric] for s in runs])) for metric in runs[0]}
                for name, runs in self.seed_scores.items()}


def train_seed_runs(cells, targets, seeds, train, to_points, score, validation_truth, *, out=print) -> SeedRuns:
    """Train every cell on every target once per seed, and score each run's test forecast.

    ``train(cell, target, seed)`` returns ``(model, record)`` (``fit_forecaster``); ``to_points(model, target,
    period)`` the model's closes for the scored days of ``"test"`` or ``"validation"``; ``score(forecast)`` a
    :func:`forecast_scores` dict; ``validation_truth`` the validation closes those forecasts are scored against. A
    model on the first target is named after its cell, on another target ``f"{cell}_{target}"``. Prints one line per
    model (epochs, seconds, test RMSE per seed) unless ``out`` is None. Returns a :class:`SeedRuns`.
    """
    from sklearn.metrics import root_mean_squared_error

    cells = _mapping(cells, "cells", "name: Keras layer class")
    if isinstance(targets, str) or not isinstance(targets, list | tuple) or not targets:
        raise ArgumentTypeError(f"targets must be a non-empty tuple of target names, got {describe(targets)}")
    seeds = seed_list(seeds)
    for label, function in (("train", train), ("to_points", to_points), ("score", score)):
        if not callable(function):
            raise ArgumentTypeError(f"{label} must be a function, got {describe(function)}")
    validation_truth = _days(validation_truth, "validation_truth")
    runs = SeedRuns()
    for key, cell in cells.items():
        for target in targets:
            name = key if target == targets[0] else f"{key}_{target}"
            forecasts, scores, val_rmse, records = [], [], [], []
            for seed in seeds:
                model, record = train(cell, target, seed)
                forecast = np.asarray(to_points(model, target, "test"), dtype="float64")
                scores.append(score(forecast))
                val_rmse.append(root_mean_squared_error(validation_truth, to_points(model, target, "validation")))
                forecasts.append(forecast)
                records.append(record)
                if seed == seeds[0]:
                    runs.models[name] = model
            runs.forecasts[name], runs.seed_scores[name] = np.stack(forecasts), scores
            runs.validation_rmse[name], runs.info[name] = float(np.mean(val_rmse)), run_summary(records)
            if out is not None:
                info = runs.info[name]
                out(f"{name:<17} epochs {info['epochs']}, {info['train_seconds']:5.1f} s per seed, test RMSE "
                    + " / ".join(f"{s['rmse_points']:.2f}" for s in scores) + " points")
    return runs


def ratio_table(scores, reference="persistence") -> pd.DataFrame:
    """The scores as a table (one row per forecast) with ``rmse_ratio_to_persistence``, the RMSE over the
    reference's (below 1: a lower error on the same days)."""
    scores = _mapping(scores, "scores", "name: {rmse_points: ...}")
    if reference not in scores or "rmse_points" not in scores[reference]:
        raise ValueError(f"scores must hold the reference {reference!r} with its rmse_points; got {list(scores)}")
    table = pd.DataFrame(scores).T
    table["rmse_ratio_to_persistence"] = table["rmse_points"] / table.loc[reference, "rmse_points"]
    return table


def plot_forecasts(days, truth, forecasts, zoom=slice(60, 81)):
    """The truth and each forecast of ``forecasts`` ({name: closes}) over the whole period, then over ``zoom``."""
    import matplotlib.pyplot as plt

    truth = _days(truth, "truth")
    if len(days) != len(truth):
        raise ValueError(f"days ({len(days)}) and truth ({len(truth)}) must have one entry per scored day")
    forecasts = {name: _days(f, f"forecasts[{name!r}]", len(truth))
                 for name, f in _mapping(forecasts, "forecasts", "name: closes").items()}
    fig, axes = plt.subplots(2, 1, figsize=(11, 7))
    for ax, part, title in ((axes[0], slice(None), "test period"), (axes[1], zoom, "one month")):
        ax.plot(days[part], truth[part], color="k", lw=2, label="truth")
        for name, forecast in forecasts.items():
            ax.plot(days[part], forecast[part], lw=1, label=name)
        ax.set(ylabel="close (index points)", title=f"Next-day forecasts, {title}")
        ax.grid(alpha=0.3)
        ax.legend(ncol=5, fontsize="small")
    axes[1].tick_params(axis="x", labelrotation=30)
    plt.tight_layout()
    plt.show()


def horizon_rmse(closes, window, predicted_returns) -> pd.DataFrame:
    """Test RMSE in points per horizon of multi-day return forecasts, persistence first.

    ``closes``: the test period's closes ``[days]``; ``predicted_returns``: ``{name: [windows, horizon]}`` log
    returns, one row per window of ``window`` days (``window_arrays(..., n_ahead=horizon)``). The forecast for day
    t + h is today's close times e^(sum of the first h returns); persistence forecasts today's close for every h.
    """
    closes = _days(closes, "closes")
    window = positive_int(window, "window")
    predicted = {name: numeric_array(p, f"predicted_returns[{name!r}]")
                 for name, p in _mapping(predicted_returns, "predicted_returns", "name: returns").items()}
    first = next(iter(predicted.values()))
    if first.ndim != 2 or any(p.shape != first.shape for p in predicted.values()):
        raise ValueError(f"every predicted_returns entry must be [windows, horizon] of one shape, got "
                         f"{ {n: p.shape for n, p in predicted.items()} }")
    horizon = first.shape[1]
    last = np.arange(window - 1, len(closes) - horizon)  # the day each forecast is made
    if len(last) != len(first):
        raise ValueError(f"{len(first)} forecasts, but {len(closes)} closes with window {window} and horizon "
                         f"{horizon} give {len(last)}")
    future = np.stack([closes[last + h] for h in range(1, horizon + 1)], axis=1)
    rmse = {"persistence": np.sqrt(np.mean((future - closes[last][:, None]) ** 2, axis=0))}
    for name, p in predicted.items():
        rmse[name] = np.sqrt(np.mean((future - closes[last][:, None] * np.exp(np.cumsum(p, axis=1))) ** 2, axis=0))
    return pd.DataFrame(rmse, index=pd.Index(range(1, horizon + 1), name="days ahead"))


def half_year_ratios(truth, previous, forecasts, days) -> pd.DataFrame:
    """RMSE over persistence's in each half-year of ``days`` (rows, in order) for each forecast (columns).

    ``truth``, ``previous`` (persistence's forecast) and each forecast of ``forecasts`` ({name: closes}) hold one
    value per day of ``days`` (dates); the half-years are those of :func:`utils.forecasting.half_year_labels`.
    """
    from sklearn.metrics import root_mean_squared_error

    from utils.forecasting import half_year_labels

    truth = _days(truth, "truth")
    previous = _days(previous, "previous", len(truth))
    labels = half_year_labels(days)
    if labels.shape != truth.shape:
        raise ValueError(f"days must give the date of each of the {len(truth)} days, got {len(labels)} dates")
    table = {}
    for name, forecast in _mapping(forecasts, "forecasts", "name: closes").items():
        forecast = _days(forecast, f"forecasts[{name!r}]", len(truth))
        table[name] = {half: root_mean_squared_error(truth[labels == half], forecast[labels == half])
                       / root_mean_squared_error(truth[labels == half], previous[labels == half])
                       for half in dict.fromkeys(labels)}
    return pd.DataFrame(table)


def _span(index):
    return [str(index[0].date()), str(index[-1].date())]


def walk_forward(log_return, close, test_index, n_folds, window, cells, seeds, epochs, *, out=print):
    """Retrain before every half-year of the test period and forecast its days (an expanding window).

    For each of the first ``n_folds`` half-years of ``test_index`` (:func:`utils.forecasting.half_year_labels`,
    "2016 H1", ...): train on every
    return before a year ahead of its first day, stop early on that last year, refit the scaler on the training part,
    and forecast each day of the fold from the ``window`` returns before it; every cell of ``cells``, once per seed,
    through ``fit_forecaster`` with ``epochs``. ``log_return`` and ``close`` (index points) are dated Series; the
    closes are read on the return's days.
    Returns ``(records, errors, seconds)``: one dict per fold (its periods, persistence's RMSE, each cell's RMSE over
    persistence's per seed), ``{fold: {"persistence": [days], cell: [seeds, days]}}`` squared errors in points²,
    and the wall seconds.
    """
    from sklearn.metrics import root_mean_squared_error

    from utils.forecasting import fit_forecaster, half_year_labels, window_arrays
    from utils.measure import Measure
    from utils.sequences import scale_with_train

    if not isinstance(log_return, pd.Series) or not isinstance(close, pd.Series):
        raise ArgumentTypeError("log_return and close must be dated pandas Series, got "
                                f"{describe(log_return)} and {describe(close)}")
    missing = log_return.index.difference(close.index)
    if len(missing):
        raise ValueError(f"close has no value on {len(missing)} of the return's days (first {missing[0]})")
    closes = close.loc[log_return.index]
    fold_of = half_year_labels(test_index)
    halves = list(dict.fromkeys(fold_of))
    n_folds = positive_int(n_folds, "n_folds")
    if n_folds > len(halves):
        raise ValueError(f"n_folds must be at most the test period's {len(halves)} half-years, got {n_folds}")
    folds = halves[:n_folds]
    window, epochs = positive_int(window, "window"), positive_int(epochs, "epochs")
    cells, seeds = _mapping(cells, "cells", "name: Keras layer class"), seed_list(seeds)
    records, errors = [], {}
    with Measure() as run:
        for fold in folds:
            days = test_index[fold_of == fold]
            start = log_return.index.get_loc(days[0])
            stop_from = days[0] - pd.DateOffset(years=1)
            train_part = log_return[log_return.index < stop_from]
            val_part = log_return[(log_return.index >= stop_from) & (log_return.index < days[0])]
            test_part = log_return.iloc[start - window:start + len(days)]  # the known returns + the fold
            scaler, *scaled = scale_with_train(train_part.to_numpy(), val_part.to_numpy(), test_part.to_numpy())
            data = [window_arrays(s, window) for s in scaled]
            truth = closes.iloc[start:start + len(days)].to_numpy()
            previous = closes.iloc[start - 1:start - 1 + len(days)].to_numpy()
            persistence_rmse = root_mean_squared_error(truth, previous)
            record = {"name": fold, "train": _span(train_part.index), "validation": _span(val_part.index),
                      "test": _span(days), "days": len(days), "persistence_rmse_points": persistence_rmse,
                      "rmse_ratio_to_persistence": {}}
            errors[fold] = {"persistence": (previous - truth) ** 2}
            for key, cell in cells.items():
                forecasts = []
                for seed in seeds:
                    model, _ = fit_forecaster(cell, *data[:2], epochs=epochs, seed=seed)
                    predicted = scaler.inverse_transform(model.predict(data[2][0], verbose=0))[:, 0]
                    forecasts.append(previous * np.exp(predicted))
                errors[fold][key] = (np.array(forecasts) - truth) ** 2
                record["rmse_ratio_to_persistence"][key] = [
                    root_mean_squared_error(truth, f) / persistence_rmse for f in forecasts]
            records.append(record)
            if out is not None:
                out(f"{fold}: trained on {record['train'][0]} … {record['train'][1]}, {len(days)} days; "
                    "RMSE / persistence " + ", ".join(f"{k} " + "/".join(f"{r:.3f}" for r in v)
                                                      for k, v in record["rmse_ratio_to_persistence"].items()))
    return records, errors, run.seconds


def plot_walk_forward(records, breakdown=None):
    """Each cell's RMSE over persistence's per fold (median and seed range); with ``breakdown`` (the
    :func:`half_year_ratios` of models trained once), those as hollow markers next to them."""
    import matplotlib.pyplot as plt

    if not isinstance(records, list) or not records or "rmse_ratio_to_persistence" not in records[0]:
        raise ArgumentTypeError(f"records must be the fold records of walk_forward, got {describe(records)}")
    cells = list(records[0]["rmse_ratio_to_persistence"])
    fig, ax = plt.subplots(figsize=(9, 3.8))
    x = np.arange(len(records))
    for i, key in enumerate(cells):
        ratios = np.array([fold["rmse_ratio_to_persistence"][key] for fold in records])
        mid = np.median(ratios, axis=1)
        shift = x + (i - (len(cells) - 1) / 2) * 0.12
        line = ax.errorbar(shift, mid, yerr=[mid - ratios.min(axis=1), ratios.max(axis=1) - mid], fmt="o",
                           capsize=3, label=f"{key}, retrained (median, seed range)")
        if breakdown is not None and key in breakdown:
            once = breakdown[key].reindex([fold["name"] for fold in records]).to_numpy()
            ax.plot(shift, once, "o", mfc="none", color=line[0].get_color(),
                    label=f"{key}, trained once (first seed)")
    ax.axhline(1, color="k", ls=":", label="persistence")
    ax.set_xticks(x, [fold["name"] for fold in records])
    ax.set(ylabel="RMSE / persistence", title="Per half-year, persistence = 1")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small", ncol=2)
    plt.show()


def walk_forward_days(errors) -> dict:
    """The walk-forward's squared errors per day, every fold's days in order, and ``"fold"``: each day's fold
    number (the arrays ``save_predictions`` stores)."""
    errors = _mapping(errors, "errors", "fold: {model: squared errors}")
    folds = list(errors)
    days = {key: np.concatenate([errors[f][key] for f in folds], axis=-1) for key in errors[folds[0]]}
    days["fold"] = np.concatenate([np.full(len(errors[f]["persistence"]), i) for i, f in enumerate(folds)])
    return days


def gaussian_forecast(model, inputs, scaler):
    """A Gaussian head's forecast of each window's next log return, ``(mean, std)`` in return units.

    The model's two outputs are the scaled mean and a raw variance; the variance is softplus(raw) + 1e-3 (as in the
    lesson's loss), and both are unscaled with ``scaler`` (a fitted ``StandardScaler``).
    """
    if not callable(getattr(model, "predict", None)):
        raise ArgumentTypeError(f"model must be a trained Keras model, got {describe(model)}")
    if not hasattr(scaler, "scale_"):
        raise ArgumentTypeError(f"scaler must be a fitted StandardScaler, got {describe(scaler)}")
    out = model.predict(inputs, verbose=0).astype("float64")
    if out.ndim != 2 or out.shape[1] != 2:
        raise ValueError(f"the model must output (mean, raw variance) per window, got shape {out.shape}")
    mean = scaler.inverse_transform(out[:, :1])[:, 0]
    std = np.sqrt(np.logaddexp(0.0, out[:, 1]) + 1e-3) * scaler.scale_[0]  # softplus, unscaled
    return mean, std


def per_day_losses(loss, forecasts, truth) -> dict:
    """``{name: loss(forecast, truth)}`` per day: ``[days]`` for a forecast ``[days]``, ``[seeds, days]`` for one
    row per seed (``loss`` is e.g. :func:`utils.volatility.qlike`)."""
    if not callable(loss):
        raise ArgumentTypeError(f"loss must be a function (forecast, truth) -> losses per day, got {describe(loss)}")
    return {name: loss(v, truth) if np.ndim(v) == 1 else np.stack([loss(row, truth) for row in v])
            for name, v in _mapping(forecasts, "forecasts", "name: forecast").items()}


def print_volatility_table(qlike_loss, variance, realised, *, out=print):
    """Per forecast: its mean QLIKE, per seed where there are seeds, and the mean of realised / forecast variance
    (1: the right level on average)."""
    realised = _days(realised, "realised")
    out(f"\n{'':<11} mean QLIKE (per seed)     mean r² / σ² (1: right level on average)")
    for name, loss in _mapping(qlike_loss, "qlike_loss", "name: losses").items():
        per_seed = " / ".join(f"{v:.3f}" for v in loss.mean(axis=1)) if loss.ndim == 2 else ""
        out(f"  {name:<11} {loss.mean():.3f}  {per_seed:<22} {np.mean(realised / variance[name]):.2f}")


def plot_volatility(days, true_return, variance, labels):
    """The day's |return| as grey bars and each forecast σ of ``labels`` ({name in variance: label}), in percent;
    a forecast with seeds shows its first seed."""
    import matplotlib.pyplot as plt

    true_return = _days(true_return, "true_return")
    fig, ax = plt.subplots(figsize=(11, 3.8))
    ax.bar(days, 100 * np.abs(true_return), color="0.8", width=1.5, label="|return| of the day")
    for name, label in _mapping(labels, "labels", "name: label").items():
        if name not in variance:
            raise ValueError(f"labels names {name!r}, which is not a variance forecast ({list(variance)})")
        forecast = variance[name][0] if np.ndim(variance[name]) == 2 else variance[name]
        ax.plot(days, 100 * np.sqrt(forecast), lw=1.2, label=f"{label}: forecast σ")
    ax.set(ylabel="daily log return, %", title="Volatility forecasts on the test period, 2016–2018")
    ax.legend(fontsize="small", ncol=2)
    ax.grid(alpha=0.3)
    plt.show()


def interval_scores(distributions, truth, levels, seeded) -> dict:
    """CRPS, log score and interval coverage of Gaussian forecasts.

    ``distributions``: ``{name: [(mean, std) per seed]}`` in return units; ``seeded``: the names whose runs are
    seeds (their CRPS is kept ``[seeds, days]``; the others' ``[days]``). Returns ``{"crps": {name: ...},
    "nll": {name: mean}, "coverage": {(name, level): [share per run]}, "coverage_p": {(name, level): [binomial
    test's p per run]}}``.
    """
    from utils.probabilistic import coverage_test, gaussian_crps, gaussian_nll, interval_hits

    truth = _days(truth, "truth")
    crps, coverage, coverage_p, nll = {}, {}, {}, {}
    for name, runs in _mapping(distributions, "distributions", "name: [(mean, std) per seed]").items():
        crps[name] = np.stack([gaussian_crps(m, s, truth) for m, s in runs])  # [seed, day]
        crps[name] = crps[name] if name in seeded else crps[name][0]
        nll[name] = float(np.mean([gaussian_nll(m, s, truth).mean() for m, s in runs]))
        for level in levels:
            hits = [interval_hits(m, s, truth, level) for m, s in runs]
            coverage[name, level] = [float(h.mean()) for h in hits]
            coverage_p[name, level] = [float(coverage_test(h, level)) for h in hits]
    return {"crps": crps, "nll": nll, "coverage": coverage, "coverage_p": coverage_p}


def print_interval_table(scores, levels, *, out=print):
    """The :func:`interval_scores` as two tables: coverage, CRPS (%) and NLL; the coverage tests' p per seed."""
    if not isinstance(scores, dict) or not {"crps", "nll", "coverage", "coverage_p"} <= set(scores):
        raise ArgumentTypeError(f"scores must come from interval_scores, got {describe(scores)}")
    names, (low, high) = list(scores["crps"]), levels
    out(f"{'':<11} {'80% covers':>18} {'95% covers':>18} {'CRPS, %':>8} {'NLL':>7}   (per seed)")
    for name in names:
        cover = [" / ".join(f"{v:.2f}" for v in scores["coverage"][name, level]) for level in (low, high)]
        out(f"{name:<11} {cover[0]:>18} {cover[1]:>18} {100 * scores['crps'][name].mean():8.4f} "
            f"{scores['nll'][name]:7.3f}")
    out("\ncoverage tests, p-value per seed (below 0.05: the share is off):")
    out(pd.DataFrame({f"{int(100 * level)}%": {
        name: " / ".join(f"{p:.3f}" for p in scores["coverage_p"][name, level]) for name in names}
        for level in levels}))


def coverage_diagnosis(true_return, z, student_t, levels) -> pd.DataFrame:
    """Share of test days inside GARCH's central intervals: as forecast (from its standardised shocks ``z``), with the
    level corrected after the fact (z rescaled to a mean z² of 1), and refitted with Student-t shocks
    (``student_t = (mean, std, degrees of freedom)``). Rows: the three; columns: the levels."""
    from utils.probabilistic import interval_hits

    z = _days(z, "z")
    true_return = _days(true_return, "true_return", len(z))
    t_mean, t_std, nu = student_t
    rescaled = z / np.sqrt(np.mean(z ** 2))
    return pd.DataFrame({f"{int(100 * level)}%": {
        "GARCH, normal (as above)": interval_hits(0, 1, z, level).mean(),
        "GARCH, normal, level corrected": interval_hits(0, 1, rescaled, level).mean(),
        "GARCH, Student-t shocks": interval_hits(t_mean, t_std, true_return, level, df=nu).mean()}
        for level in levels})


def mistakes_table(rmse, persistence_rmse) -> pd.DataFrame:
    """``{row: RMSE in points}`` as a table with persistence's RMSE on the same days and the ratio to it."""
    rmse = _mapping(rmse, "rmse", "row: RMSE in points")
    table = pd.DataFrame(rmse, index=["rmse_points"]).T
    table["persistence_rmse_points"] = persistence_rmse  # every row is scored on the same test days
    table["rmse_ratio_to_persistence"] = table["rmse_points"] / persistence_rmse
    return table


def _per_seed_means(losses):
    return {name: np.atleast_2d(v).mean(axis=1).tolist() for name, v in losses.items()}


def volatility_record(garch_params, head_info, qlike_loss, tests, against_constant, variance, realised) -> dict:
    """Section 7 for the results file: QLIKE per seed, the verdicts against GARCH and against the constant."""
    realised = _days(realised, "realised")
    return {"target": "next-day squared log return", "score": "QLIKE", "reference": "garch_1_1",
            "garch_params": {k: float(v) for k, v in garch_params.items()}, "models": head_info,
            "qlike": _per_seed_means(qlike_loss), "outcomes": {n: c.outcome for n, c in tests.items()},
            "tests": {n: c.describe(3) for n, c in tests.items()},
            "against_constant": {n: c.describe(3) for n, c in against_constant.items()},
            "mean_realised_over_forecast": {n: float(np.mean(realised / v)) for n, v in variance.items()}}


def probabilistic_record(levels, scores, tests) -> dict:
    """Section 8 for the results file: log score, CRPS per seed, coverage and its tests, the CRPS verdicts."""
    if not isinstance(scores, dict) or not {"crps", "nll", "coverage", "coverage_p"} <= set(scores):
        raise ArgumentTypeError(f"scores must come from interval_scores, got {describe(scores)}")
    return {"levels": list(levels), "score": "CRPS (log-return units)", "nll": scores["nll"],
            "crps": _per_seed_means(scores["crps"]),
            "coverage": {f"{n}_{int(100 * lv)}": v for (n, lv), v in scores["coverage"].items()},
            "coverage_p": {f"{n}_{int(100 * lv)}": v for (n, lv), v in scores["coverage_p"].items()},
            "outcomes": {n: c.outcome for n, c in tests.items()},
            "tests": {n: c.describe(6) for n, c in tests.items()}}


def model_records(runs, scores, persistence_rmse, mse_seeds) -> dict:
    """Section 3's models for the results file: parameters, seconds, epochs, mean test scores, RMSE over
    persistence's and mean squared error per seed, and the validation RMSE."""
    if not isinstance(runs, SeedRuns):
        raise ArgumentTypeError(f"runs must be the SeedRuns of train_seed_runs, got {describe(runs)}")
    return {name: runs.info[name] | {
        "test": scores[name],
        "seed_rmse_ratio_to_persistence": [s["rmse_points"] / persistence_rmse for s in runs.seed_scores[name]],
        "seed_mse_points2": mse_seeds[name], "validation_rmse_points": runs.validation_rmse[name]}
        for name in runs.info}


def print_verdicts(verdicts, title, digits, *, out=print):
    """``title``, then one line per model of ``verdicts`` (``utils.forecasting.persistence_verdicts``): its verdict
    and the comparison with ``digits`` decimals."""
    verdicts = _mapping(verdicts, "verdicts", "name: (comparison, verdict)")
    out(title)
    for comparison, word in verdicts.values():
        out(f"  {word:<26} {comparison.describe(digits)}")


def print_tests(title, tests, digits, *, out=print):
    """``title`` and each comparison of ``tests`` ({name: comparison}) on its own line."""
    out(title)
    out("\n".join("  " + c.describe(digits) for c in _mapping(tests, "tests", "name: comparison").values()))


def forecast_spread(seed_forecasts, previous, true_return, names, *, out=print) -> dict:
    """The standard deviation of the daily log return: actual, and forecast by each model of ``names`` (mean over
    seeds). Prints the first seed's as well."""
    true_return = _days(true_return, "true_return")
    previous = _days(previous, "previous", len(true_return))
    spread = {"actual": float(true_return.std())} | {name: float(np.mean(
        [np.log(f / previous).std() for f in seed_forecasts[name]])) for name in names}
    if out is not None:
        out(f"std of the daily log return: actual {true_return.std():.5f}; forecast (first seed) "
            + ", ".join(f"{n} {np.log(seed_forecasts[n][0] / previous).std():.5f}" for n in names))
    return spread


def print_horizons(multi, *, out=print):
    """The :func:`horizon_rmse` table, the largest gap to persistence, and persistence's one-day RMSE × √horizon
    (what a random walk's error would grow to)."""
    if not isinstance(multi, pd.DataFrame) or "persistence" not in multi:
        raise ArgumentTypeError(f"multi must be the DataFrame of horizon_rmse, got {describe(multi)}")
    out("test RMSE in points by horizon:")
    out(multi.round(1).to_string())
    gap = (multi.drop(columns="persistence").sub(multi["persistence"], axis=0)).abs().to_numpy().max()
    out(f"largest gap to persistence at any horizon: {gap:.2f} points; persistence after 1 day × √{len(multi)}: "
        f"{multi['persistence'].iloc[0] * np.sqrt(len(multi)):.1f}")


def fold_verdicts(errors, *, out=print):
    """Every cell against persistence in every fold of :func:`walk_forward`'s ``errors``, corrected together.

    Returns ``(tests, outcomes)``: the comparisons (fold by fold, cell by cell) and ``{cell: ["beats" | "worse" |
    "equivalent" | "not decided" per fold]}``; prints one line per cell.
    """
    from utils.forecasting import persistence_comparison
    from utils.verdicts import correct

    errors = _mapping(errors, "errors", "fold: {model: squared errors}")
    cells = [key for key in next(iter(errors.values())) if key != "persistence"]
    tests = correct([persistence_comparison(key, errors[fold][key], errors[fold]["persistence"])
                     for fold in errors for key in cells])
    words = {"A better": "beats", "B better": "worse", "equivalent": "equivalent", "not decided": "not decided"}
    outcomes = {key: [words[c.outcome] for c in tests if c.name_a == key] for key in cells}
    for key in cells:
        out(f"{key:<10} against persistence per fold (Holm over {len(tests)}): "
            + ", ".join(f"{fold} {o}" for fold, o in zip(errors, outcomes[key])))
    return tests, outcomes


def print_claim_table(scores, names, *, out=print):
    """One line per model of ``names``: RMSE in points, its ratio to persistence's, and the directional accuracy."""
    scores = _mapping(scores, "scores", "name: scores")
    for name in names:
        s = scores[name]
        out(f"{name:<17} RMSE {s['rmse_points']:8.2f} points  ({s['rmse_ratio_to_persistence']:.3f} x persistence)"
            f"  direction {s['direction_accuracy']:.1%}")


def multi_step_returns(cells, windows, scaler, epochs, seed=42) -> dict:
    """Train each cell once on multi-day windows and forecast the test windows' next returns.

    ``windows``: ``{"train" | "validation" | "test": (inputs, targets [windows, horizon])}`` of scaled returns
    (``window_arrays(..., n_ahead=horizon)``); each model is ``cell(32) -> Dense(horizon)`` of ``fit_forecaster``.
    Returns ``{cell: log returns [test windows, horizon]}``, unscaled with ``scaler``.
    """
    from utils.forecasting import fit_forecaster

    cells = _mapping(cells, "cells", "name: Keras layer class")
    if not isinstance(windows, dict) or not {"train", "validation", "test"} <= set(windows):
        raise ValueError(f"windows must be a dict with 'train', 'validation' and 'test' pairs, got {describe(windows)}")
    horizon = np.shape(windows["train"][1])
    if len(horizon) != 2:
        raise ValueError(f"the targets must be [windows, horizon] (window_arrays(..., n_ahead=h)), got shape {horizon}")
    predicted = {}
    for key, cell in cells.items():
        model, _ = fit_forecaster(cell, windows["train"], windows["validation"], epochs=epochs, seed=seed)
        scaled = model.predict(windows["test"][0], verbose=0).reshape(-1, 1)
        predicted[key] = scaler.inverse_transform(scaled).reshape(-1, horizon[1])
    return predicted


def results_record(*, runs, scores, baselines, ridge_alpha, seeds, verdicts, c3, mse_seeds, persistence_mse,
                   test_days, selected, multi, breakdown, walk_forward, walk_seconds, fold_tests, fold_outcomes,
                   mistakes, volatility, probabilistic, noise_rule, setup, forecast_std, return_verdicts,
                   diagnosis) -> dict:
    """Everything lesson 07 keeps in ``results/stock_forecasting.json``, by key (``save_results(..., **record)``).

    ``runs``: :class:`SeedRuns`; ``scores``: ``{name: scores with rmse_ratio_to_persistence}``; ``verdicts`` and
    ``return_verdicts``: ``persistence_verdicts`` in points² and in log returns; ``c3``: the LSTM-vs-SimpleRNN
    comparison; ``mse_seeds``: ``{model: mean squared error per seed}``; ``persistence_mse``: persistence's mean
    squared error on the same days; ``volatility`` and ``probabilistic``: the
    records of :func:`volatility_record` and :func:`probabilistic_record`; ``setup``: the training set-up with its
    ``"window"``. The rest are the objects of the same name in the lesson.
    """
    if not isinstance(setup, dict) or "window" not in setup:
        raise ValueError(f"setup must be a dict with the window, got {describe(setup)}")
    if not isinstance(scores, dict) or "persistence" not in scores:
        raise ValueError(f"scores must hold persistence, the reference of every ratio; got {describe(scores)}")
    if not isinstance(runs, SeedRuns):
        raise ArgumentTypeError(f"runs must be the SeedRuns of train_seed_runs, got {describe(runs)}")
    return {
        "models": model_records(runs, scores, scores["persistence"]["rmse_points"], mse_seeds),
        "baselines": {name: {"params": setup["window"] + 1 if name in ("ridge_20", "autoreg_20") else 0,
                             "test": scores[name]} for name in baselines},
        "ridge_alpha": ridge_alpha,
        "against_persistence_tests": {name: c.describe(1) for name, (c, _) in verdicts.items()},
        "seeds": seeds,
        "test_period": {"first": str(test_days[0].date()), "last": str(test_days[-1].date()), "days": len(test_days)},
        "against_persistence": {name: word for name, (_, word) in verdicts.items()},
        "selected_model": {"name": selected, "selected_by": "validation", "test": scores[selected]},
        "c3_lstm_vs_simple_rnn": {"lstm": mse_seeds["lstm"], "simple_rnn": mse_seeds["simple_rnn"],
                                  "score": "mean squared error, points2", "persistence_mse": persistence_mse,
                                  "outcome": c3.outcome, "describe": c3.describe(1)},
        "multi_step_rmse_points": {name: multi[name].round(3).tolist() for name in multi},
        "per_half_year_breakdown": {"retrained": False, "rmse_ratio": breakdown.round(4).to_dict()},
        "walk_forward": {"retrained": True, "window": "expanding", "seeds": seeds, "folds": walk_forward,
                         "outcomes": fold_outcomes, "tests": [c.describe(1) for c in fold_tests],
                         "train_seconds": walk_seconds},
        "leakage": mistakes.to_dict(orient="index"),
        "volatility": volatility,
        "probabilistic": probabilistic,
        "noise_rule": noise_rule,
        "setup": setup,
        "forecast_std": forecast_std,
        "return_space_tests": {name: c.describe(7) for name, (c, _) in return_verdicts.items()},
        "coverage_diagnosis": diagnosis.to_dict(),
    }
