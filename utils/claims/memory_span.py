"""Deciders of lesson 03's memory-span claims: C4 (how far each cell remembers) and C5 (where the LSTM starts to
win), per training regime.

Lesson 03 stores one test accuracy per seed and distance, or None where a seed was not tried at that distance
(from scratch, a seed that failed a shorter distance is not tried at the longer ones). Nothing is decided on a
value filled in for such a run: each comparison uses the seeds measured at its distance, a distance measured by
no seed gives no comparison, and a part with no comparison at all is "not tried", saying which distances were
not tried and why. Each part is one Holm family (``utils.verdicts.FAMILY_RULE``): the distances that answer it."""

from utils.claims.core import FRESH, _ahead, _as_good, _missing, _part, _record
from utils.verdicts import NOT_TRIED, combine, compare, compare_counts, correct

SOLVED = 0.9  # lesson 03: a run solves a distance when it recalls at least 90% of the test sequences

REGIMES = ("from_scratch", "curriculum", "trained_short")  # lesson 03's three ways of training


def _recall_rows(ev, regime):
    """{cell: {distance: [accuracy per seed, None where that seed was not tried]}} of one regime."""
    table = ev.get("memory_span", "regimes", regime)
    return {k: {int(lag): list(accs) for lag, accs in per_lag.items()} for k, per_lag in (table or {}).items()}


def _measured(accs):
    """The accuracies of the seeds tried (None: not tried)."""
    return [a for a in accs if a is not None]


def solved_count(accs, solved=SOLVED):
    """(seeds that solved, seeds tried): an accuracy of at least ``solved``, among the seeds tried at that distance
    (None, a run not tried, is left out: (0, 0) when no seed was tried). Lesson 03's tables use it too."""
    tried = _measured(accs)
    return sum(a >= solved for a in tried), len(tried)


def _why_untried(per_lag, t):
    """Why seeds of a cell were not tried at distance ``t``, read from the data: "every seed failed T = 20 first",
    "1 of 5 seeds not tried, it failed T = 50 first"; '' when every seed was tried."""
    accs = per_lag[t]
    untried = [i for i, a in enumerate(accs) if a is None]
    if not untried:
        return ""
    first = set()
    for i in untried:  # the last shorter distance the seed was tried at, if it failed there
        shorter = [s for s in sorted(per_lag) if s < t and i < len(per_lag[s]) and per_lag[s][i] is not None]
        first.add(shorter[-1] if shorter and per_lag[shorter[-1]][i] < SOLVED else None)
    at = " or ".join(f"T = {s}" for s in sorted(first)) if None not in first else None
    if len(untried) == len(accs):
        return f"every seed failed {at} first" if at else "no seed was run"
    who = f"{len(untried)} of {len(accs)} seeds not tried"
    return f"{who}, {'it' if len(untried) == 1 else 'they'} failed {at} first" if at else who


def _untried_words(cell, regime, per_lag, lags):
    """"lstm from scratch: T = 50, 100 not tried (every seed failed T = 20 first)" for the distances ``lags``
    no seed of ``cell`` was tried at, grouped by their reason."""
    groups = {}
    for t in lags:
        groups.setdefault(_why_untried(per_lag, t), []).append(t)
    return "; ".join(f"{cell} {regime.replace('_', ' ')}: T = {', '.join(map(str, ts))} not tried ({why})"
                     for why, ts in groups.items())


def _partly(cell, per_lag, t):
    """' [lstm: 1 of 5 seeds not tried, it failed T = 50 first]' for a distance some seeds of ``cell`` were not
    tried at, else ''."""
    why = _why_untried(per_lag, t)
    return f" [{cell}: {why}]" if why else ""


def _per_regime(ev, cid, parts_of):
    """A lesson-03 claim: the parts ``parts_of(regime, rows)`` gives for each training regime, together."""
    if not ev.get("memory_span", "regimes"):
        return _missing(cid, "03")
    return _record(cid, [part for regime in REGIMES for part in parts_of(regime, _recall_rows(ev, regime))])


def _family_part(text, regime, tested, untried, verdict_of, describe):
    """One part of a claim from its family of per-distance comparisons ``tested`` ({t: Comparison}, already
    Holm-corrected together) and the distances not tried (``untried``: the words saying which and why)."""
    if not tested:
        return _part(f"{regime}: {text}", NOT_TRIED, "; ".join(untried))
    verdict = combine([verdict_of(c) for c in tested.values()])
    evidence = "; ".join([describe(t, c) for t, c in tested.items()] + untried)
    return _part(f"{regime}: {text}", verdict, evidence, comparison=list(tested.values()))


C4_PARTS = (("simple_rnn", lambda t: t <= 10, "SimpleRNN solves 5-10 steps", True),
            ("simple_rnn", lambda t: t > 50, "SimpleRNN fails beyond 50", False),
            ("lstm", lambda t: t >= 100, "LSTM solves 100+", True))


def _c4_parts(regime, rows):
    """Each part: the cell's mean accuracy over the seeds tried, against the 0.9 that counts as solved, at every
    distance in the part's range; one Holm family per part."""
    parts = []
    for key, keep, claim_text, wants in C4_PARTS:
        per_lag = rows.get(key, {})
        lags = [t for t in sorted(per_lag) if keep(t)]
        if not lags:
            continue  # the regime's design has no distance in this range
        tried = [t for t in lags if _measured(per_lag[t])]
        comps = correct([compare(_measured(per_lag[t]), SOLVED, names=(f"{key} T={t}", f"solved ({SOLVED:g})"),
                                 exact=(False, True), margin="share", runs=FRESH) for t in tried])
        untried = [_untried_words(key, regime, per_lag, [t for t in lags if t not in tried])] \
            if len(tried) < len(lags) else []

        def verdict_of(c, wants=wants):
            v = "holds" if c.better == c.name_a else "does not hold" if c.better else "not decided"
            return v if wants else {"holds": "does not hold", "does not hold": "holds"}.get(v, v)

        parts.append(_family_part(claim_text, regime, dict(zip(tried, comps)), untried, verdict_of,
                                  lambda t, c, key=key, per_lag=per_lag: c.describe(2) + _partly(key, per_lag, t)))
    return parts


def _c5_parts(regime, rows):
    """At most two parts per regime. "Below 20 steps the SimpleRNN does as well": at each distance < 20 the mean
    accuracies of the seeds tried, equivalent within 0.05 (or the SimpleRNN ahead). "From 20 steps the LSTM wins":
    at each distance >= 20 the LSTM solves it in more of the seeds tried, an all-or-nothing outcome compared as
    counts (Fisher's exact test). Each part is one Holm family: its distances."""
    lstm, simple = rows.get("lstm", {}), rows.get("simple_rnn", {})
    lags = sorted(set(lstm) & set(simple))
    parts = []
    for text, keep in (("below 20 steps the SimpleRNN does as well", lambda t: t < 20),
                       ("from 20 steps the LSTM wins", lambda t: t >= 20)):
        band = [t for t in lags if keep(t)]
        if not band:
            continue
        tried = [t for t in band if _measured(lstm[t]) and _measured(simple[t])]
        untried = [_untried_words(key, regime, per_lag, [t for t in band if not _measured(per_lag[t])])
                   for key, per_lag in (("lstm", lstm), ("simple_rnn", simple))
                   if any(not _measured(per_lag[t]) for t in band)]
        if band[0] < 20:
            comps = correct([compare(_measured(lstm[t]), _measured(simple[t]), names=("lstm", "simple_rnn"),
                                     margin="share", runs=FRESH) for t in tried])
            verdict_of = lambda c: _as_good(c, c.name_b)  # noqa: E731
        else:
            comps = correct([compare_counts(solved_count(lstm[t]), solved_count(simple[t]),
                                            names=("lstm", "simple_rnn")) for t in tried])
            verdict_of = lambda c: _ahead(c, "lstm")  # noqa: E731
        parts.append(_family_part(text, regime, dict(zip(tried, comps)), untried, verdict_of,
                                  lambda t, c: f"T = {t}: {c.describe(2)}" + _partly("lstm", lstm, t)
                                  + _partly("simple_rnn", simple, t)))
    return parts


def decide_c4(ev):
    return _per_regime(ev, "C4", _c4_parts)


def decide_c5(ev):
    return _per_regime(ev, "C5", _c5_parts)
