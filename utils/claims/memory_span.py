"""Deciders of lesson 03's memory-span claims: C4 (how far each cell remembers) and C5 (where the LSTM starts to
win), per training regime."""

from utils.claims.core import CHANCE_RECALL, FRESH, _ahead, _as_good, _missing, _part, _record
from utils.verdicts import combine, compare, compare_counts, correct


def _recall_rows(ev, regime):
    table = ev.get("memory_span", "regimes", regime)
    return {k: {int(lag): [CHANCE_RECALL if v is None else v for v in accs] for lag, accs in per_lag.items()}
            for k, per_lag in (table or {}).items()}


def _solved_count(accs):
    """(seeds that solved, seeds): an accuracy of at least SOLVED; None (a run not tried) is not solved."""
    return sum(a is not None and a >= SOLVED for a in accs), len(accs)


def _solves(accs, name):
    c = compare(accs, 0.9, names=(name, "solved (0.9)"), exact=(False, True), margin="share", runs=FRESH)
    return c, ("holds" if c.better == name else "does not hold" if c.better else "not decided")


REGIMES = ("from_scratch", "curriculum", "trained_short")  # lesson 03's three ways of training


def _per_regime(ev, cid, parts_of):
    """A lesson-03 claim: the parts ``parts_of(regime, rows)`` gives for each training regime, together."""
    if not ev.get("memory_span", "regimes"):
        return _missing(cid, "03")
    return _record(cid, [part for regime in REGIMES for part in parts_of(regime, _recall_rows(ev, regime))])


def _c4_parts(regime, rows):
    parts = []
    for key, keep, claim_text, wants in (("simple_rnn", lambda t: t <= 10, "SimpleRNN solves 5-10 steps", True),
                                         ("simple_rnn", lambda t: t > 50, "SimpleRNN fails beyond 50", False),
                                         ("lstm", lambda t: t >= 100, "LSTM solves 100+", True)):
        found = [_solves(rows[key][t], f"{key} T={t}") for t in rows.get(key, {}) if keep(t)]
        if found:
            verdicts = [v if wants else {"holds": "does not hold", "does not hold": "holds"}.get(v, v)
                        for _, v in found]
            parts.append(_part(f"{regime}: {claim_text}", combine(verdicts),
                               "; ".join(c.describe(2) for c, _ in found)))
    return parts


SOLVED = 0.9  # lesson 03: a run solves a distance when it recalls at least 90% of the test sequences


def _c5_parts(regime, rows):
    """Below 20 steps "as well as": the mean accuracies equivalent (or the SimpleRNN ahead). From 20 steps on, "the
    LSTM wins": it solves the distance in more seeds, an all-or-nothing outcome compared as counts of seeds
    (Fisher's exact test, Holm over the regime's distances)."""
    lags = sorted(set(rows.get("lstm", {})) & set(rows.get("simple_rnn", {})))
    short = [t for t in lags if t < 20]
    long = [t for t in lags if t >= 20]
    by_mean = correct([compare(rows["lstm"][t], rows["simple_rnn"][t], names=("lstm", f"simple_rnn T={t}"),
                               margin="share", runs=FRESH) for t in short])

    def solved(key, t):
        return _solved_count(rows[key][t])

    by_count = correct([compare_counts(solved("lstm", t), solved("simple_rnn", t), names=("lstm", f"simple_rnn T={t}"))
                        for t in long])
    parts = []
    for t, c in zip(short + long, by_mean + by_count):
        band = "< 20" if t < 20 else "20-100" if t <= 100 else "> 100"
        verdict = _as_good(c, c.name_b) if t < 20 else _ahead(c, "lstm")
        parts.append(_part(f"{regime}, T = {t} ({band})", verdict, c.describe(2)))
    return parts


def decide_c4(ev):
    return _per_regime(ev, "C4", _c4_parts)


def decide_c5(ev):
    return _per_regime(ev, "C5", _c5_parts)
