"""Deciders of the claims about text and forecasting: C2 (Shakespeare perplexity) and C3 (S&P 500 RMSE)."""

import math

from utils.claims.core import CELL_KEYS, _ahead, _missing, _part, _record
from utils.verdicts import MARGINS, combine, compare, correct


def decide_c2(ev):
    models = ev.get("text_generation", "models")
    uniform = ev.get("text_generation", "baselines", "uniform", "test", "loss_nats_per_char")
    if not models or uniform is None:
        return _missing("C2", "06")
    ppl = {k: math.exp(models[k]["test"]["loss_nats_per_char"]) for k in ("simple_rnn", "lstm")}
    bound = math.exp(uniform)
    parts = [_part(f"{k} perplexity about {claimed}", "does not hold" if ppl[k] < bound < claimed else "not decided",
                   f"per-character perplexity {ppl[k]:.2f}; a uniform guess over the {bound:.0f} characters scores "
                   f"{bound:.0f}, so {claimed} is no per-character figure of a model that learned anything")
             for k, claimed in (("simple_rnn", 146), ("lstm", 98))]
    return _record("C2", parts)


def decide_c3(ev):
    """C3 from lesson 07: the LSTM's error below the SimpleRNN's, by about the claimed 22% in RMSE.

    Current results store per-seed mean squared errors (points²) with per-day squared errors in the predictions
    file: compared paired by day with an autocorrelation-robust variance, the margin 1% of persistence's MSE, and the
    claimed size read as an MSE reduction of 1 - (9.7 / 12.4)². Older results store RMSE ratios to persistence per
    seed only: compared over seeds, the claimed size as a 22% reduction of that ratio."""
    seeds = ev.get("stock_forecasting", "c3_lstm_vs_simple_rnn")
    if not seeds:
        return _missing("C3", "07")
    per_day = "persistence_mse" in seeds
    rmse_claimed = 1 - 9.7 / 12.4  # the LSTM's RMSE 22% below the SimpleRNN's
    if per_day:
        persistence_mse = seeds["persistence_mse"]
        margin = MARGINS["mse_ratio"] * persistence_mse
        c = compare(seeds["lstm"], seeds["simple_rnn"], names=("lstm", "simple_rnn"), higher_is_better=False,
                    items=ev.pair("stock_forecasting", "lstm", "simple_rnn"), series=True, margin=margin)
        claimed, unit = 1 - (9.7 / 12.4) ** 2, "in mean squared error"
        persistence_days = ev.items("stock_forecasting", "persistence")
        vs_persistence = correct([
            compare(ev.get("stock_forecasting", "models", k, "seed_mse_points2"), persistence_mse,
                    names=(k, "persistence"), exact=(False, True), higher_is_better=False, series=True,
                    items=(None if persistence_days is None or ev.items("stock_forecasting", k) is None
                           else (ev.items("stock_forecasting", k), persistence_days)), margin=margin)
            for k in CELL_KEYS])
    else:
        c = compare(seeds["lstm"], seeds["simple_rnn"], names=("lstm", "simple_rnn"), higher_is_better=False,
                    margin="mse_ratio")
        claimed, unit = rmse_claimed, "in RMSE / persistence"
        vs_persistence = correct([compare(ev.get("stock_forecasting", "models", k, "seed_rmse_ratio_to_persistence"),
                                          1.0, names=(k, "persistence"), exact=(False, True), higher_is_better=False,
                                          margin="mse_ratio") for k in CELL_KEYS])
    measured = -c.difference / c.mean_b
    reach = -c.low / c.mean_b if c.low is not None else math.nan
    size = "does not hold" if c.low is not None and reach < claimed else "not decided"
    parts = [_part("LSTM below SimpleRNN in RMSE", _ahead(c, "lstm"), c.describe(4)),
             _part(f"by about {rmse_claimed:.0%} in RMSE", size,
                   f"measured {measured:.1%} {unit} (the claim's {rmse_claimed:.0%} in RMSE is {claimed:.0%} here); "
                   f"the interval reaches at most {reach:.1%}"),
             _part("(not in the claim) against persistence", "not decided",  # one part, one family: the cells
                   "; ".join(x.describe(4) for x in vs_persistence), context=True)]
    verdict = "does not hold" if size == "does not hold" else None
    return _record("C3", parts, verdict or combine(p["verdict"] for p in parts[:2]))
