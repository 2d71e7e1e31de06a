"""Deciders of the claims about text and forecasting: C2 (Shakespeare perplexity) and C3 (S&P 500 RMSE)."""

import math

from utils.checks import is_real
from utils.claims.core import CELL_KEYS, _ahead, _missing, _part, _record
from utils.verdicts import MARGINS, NOT_COMPARABLE, combine, compare, correct


def decide_c2(ev):
    """C2 "perplexity SimpleRNN about 146 vs LSTM about 98" on character-level Shakespeare. Both figures exceed the
    per-character perplexity of a uniform guess (the vocabulary size), so as per-character figures they are
    ill-posed: shown as not comparable, never as refuted. The claim's order (SimpleRNN worse than the LSTM) is shown
    at lesson 06's budget as context: a minute of training on a CPU is not the trained models the claim speaks of."""
    models = ev.get("text_generation", "models")
    uniform = ev.get("text_generation", "baselines", "uniform", "test", "loss_nats_per_char")
    if not models or uniform is None:
        return _missing("C2", "06")
    bound = math.exp(uniform)
    parts = []
    for k, claimed in (("simple_rnn", 146), ("lstm", 98)):
        measured = math.exp(models[k]["test"]["loss_nats_per_char"])
        if claimed > bound:
            parts.append(_part(f"{k} perplexity about {claimed}", NOT_COMPARABLE,
                               f"ill-posed as a per-character figure: a uniform guess over the {bound:.0f} characters "
                               f"scores {bound:.0f}, so {claimed} is worse than knowing nothing; measured "
                               f"{measured:.2f} per character (presumably a word-level figure, which depends on the "
                               "tokenisation)"))
        else:
            parts.append(_part(f"{k} perplexity about {claimed}", NOT_COMPARABLE,
                               f"a per-character figure from another set-up (model size, training time); measured "
                               f"{measured:.2f} here"))
    seeds = {k: models[k].get("test_loss_seeds") for k in ("simple_rnn", "lstm")}
    if all(seeds.values()):
        budget = ev.get("text_generation", "setup", "budget_seconds")
        cores = ev.get("text_generation", "machine", "cores")
        when = (f"after {budget:g} s of training" + (f" on {cores} CPU cores" if is_real(cores) else "")
                if is_real(budget) else "at lesson 06's budget")
        items = ev.pair("text_generation", "lstm", "simple_rnn")
        c = compare(seeds["lstm"], seeds["simple_rnn"], names=("lstm", "simple_rnn"), higher_is_better=False,
                    margin="nats_per_char", items=items)
        parts.append(_part(f"the claim's order, LSTM below SimpleRNN ({when}; not the trained models the claim "
                           "speaks of)", _ahead(c, "lstm"), c.describe() + " (test nats/char)", context=True,
                           comparison=c))
    return _record("C2", parts)


def decide_c3(ev):
    """C3 from lesson 07, on the claim's own set-up: models of the *price* (RMSE SimpleRNN 12.4 vs LSTM 9.7). The
    direction and the size (an MSE reduction of 1 - (9.7 / 12.4)^2) are decided on the price models' per-seed
    mean squared errors, paired by day with an autocorrelation-robust variance. The return models are context: their
    gap comes from how flat each forecast is, not from skill. Older results without price models fall back to the
    return models."""
    price = {k: ev.get("stock_forecasting", "models", f"{k}_price", "seed_mse_points2") for k in ("lstm", "simple_rnn")}
    if None in price.values():
        return _decide_c3_returns(ev)
    rmse_claimed = 1 - 9.7 / 12.4
    claimed = 1 - (9.7 / 12.4) ** 2
    persistence = ev.get("stock_forecasting", "c3_lstm_vs_simple_rnn", "persistence_mse")
    margin = MARGINS["mse_ratio"] * persistence if is_real(persistence) else None
    c = compare(price["lstm"], price["simple_rnn"], names=("lstm_price", "simple_rnn_price"), higher_is_better=False,
                items=ev.pair("stock_forecasting", "lstm_price", "simple_rnn_price"), series=True, margin=margin)
    measured = -c.difference / c.mean_b  # the LSTM's MSE below the SimpleRNN's, as a share of the latter
    band = (claimed / 2, min(claimed * 1.5, 1.0))  # "about" the claimed reduction: within half of it either way
    if c.low is None:
        size = "not decided"
    else:  # the reduction's interval (the SimpleRNN's mean MSE taken as fixed, a simplification)
        reduction = sorted((-c.high / c.mean_b, -c.low / c.mean_b))
        size = ("holds" if band[0] <= reduction[0] and reduction[1] <= band[1] else
                "does not hold" if reduction[1] < band[0] or reduction[0] > band[1] else "not decided")
    ratios = {k: ev.get("stock_forecasting", "models", f"{k}_price", "seed_rmse_ratio_to_persistence")
              for k in ("lstm", "simple_rnn")}
    against = ("; both price models' RMSE is " + ", ".join(
        f"{k} {min(v):.1f}-{max(v):.1f}x" for k, v in ratios.items() if v) + " persistence's"
        if all(ratios.values()) else "")
    parts = [_part("LSTM below SimpleRNN in RMSE (price models, the claim's set-up)", _ahead(c, "lstm_price"),
                   c.describe(0) + f" (points^2){against}", comparison=c),
             _part(f"by about {rmse_claimed:.0%} in RMSE (price models)", size,
                   f"measured {measured:.0%} lower mean squared error; the claim's {rmse_claimed:.0%} in RMSE is "
                   f"{claimed:.0%} in MSE, and 'about' is read as {band[0]:.0%} to {band[1]:.0%}"
                   + ("" if c.low is None else f"; the interval of the reduction is {-c.high / c.mean_b:+.0%} to "
                      f"{-c.low / c.mean_b:+.0%}"), comparison=c)]
    returns = ev.get("stock_forecasting", "c3_lstm_vs_simple_rnn")
    if returns and returns.get("describe"):
        spread = ev.get("stock_forecasting", "forecast_std")
        flat = (" (forecast spread of the daily return: " + ", ".join(f"{k} {v:.5f}" for k, v in spread.items())
                + ")" if isinstance(spread, dict) else "")
        words = ev.get("stock_forecasting", "against_persistence", default={})
        vs = ("; against persistence: " + ", ".join(f"{k} {words[k]}" for k in CELL_KEYS if k in words)
              if isinstance(words, dict) and words else "")
        parts.append(_part("(not the claim's set-up) return models: LSTM below SimpleRNN", NOT_COMPARABLE,
                           f"{returns['describe']}; the return models forecast far flatter returns than the real "
                           f"ones{flat}, so a lower error here says how close to zero a forecast stays{vs}",
                           context=True))
    return _record("C3", parts)


def _decide_c3_returns(ev):

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
    return _record("C3", parts[:2] + parts[2:], combine(p["verdict"] for p in parts[:2]))
