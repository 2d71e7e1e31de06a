"""Deciders of the claims about gradients and gates: C9 (vanishing gradients, from lesson 03's trained models), C10
(clipping) and C12 (gate saturation). numpy and utils.adding_task are imported inside the deciders, as before the
split. Each part is one Holm family (``utils.verdicts.FAMILY_RULE``)."""

from utils.claims.core import CELL_KEYS, _ahead, _missing, _part, _record
from utils.verdicts import NOT_TRIED, combine, compare, compare_counts, correct

C9_REGIMES = {"curriculum": "curriculum", "trained_short": "trained at T = 5"}  # lesson 03's trained regimes
C9_FROM = 100  # the long spans of the claim: distances of 100 steps and more


def _c9_context(ev):
    """The per-step gradient factors at initialisation (lesson 01): context, not a vote."""
    factors = {k: ev.get("gradients", "models", k, "per_step_factor_seeds") for k in CELL_KEYS}
    text = ("(context, not in the claim) at initialisation, before any training, the gates of lstm and gru keep "
            "more gradient per step than the SimpleRNN")
    if None in factors.values():
        return _part(text, "not decided", "no per-step factors of lesson 01 in this mode", context=True)
    comps = correct([compare(factors[k], factors["simple_rnn"], names=(k, "simple_rnn"), runs="initialisations")
                     for k in ("lstm", "gru")])  # one part, one family
    return _part(text, combine([_ahead(c, c.name_a) for c in comps]), "; ".join(c.describe() for c in comps),
                 context=True)


def decide_c9(ev):
    """C9 from lesson 03's trained models: does a gated cell keep a token (and so its gradient) over 100+ steps
    where the SimpleRNN does not? For lstm and gru, in the curriculum and the trained-at-T = 5 regimes, at every
    distance >= 100 both cells were tried at: how many of the seeds tried solve it (accuracy >= SOLVED), gated
    cell against simple_rnn (Fisher's exact test). One part per gated cell and regime (one set-up), its family =
    its comparisons over those distances: holds when the gated cell solves decidedly more seeds, does not hold when the
    SimpleRNN does, else not decided. The per-step factors at initialisation (lesson 01) are shown as context."""
    from utils.claims.memory_span import solved_count

    regimes = {r: ev.get("memory_span", "regimes", r) for r in C9_REGIMES}
    context = _c9_context(ev)  # a damaged file of lesson 01 leaves the claim not decided, naming it
    if not all(isinstance(t, dict) and t.get("simple_rnn") for t in regimes.values()):
        return _missing("C9", "03")
    parts = []
    for cell in ("lstm", "gru"):
        for regime, table in regimes.items():  # one part per cell and set-up, its family = its distances
            text = (f"{C9_REGIMES[regime]}: {cell} keeps a token (and its gradient) over {C9_FROM}+ steps where "
                    "the SimpleRNN does not")
            mine, simple = table.get(cell, {}), table["simple_rnn"]
            tests, labels = [], []
            for lag in sorted(set(mine) & set(simple), key=int):
                counts = solved_count(mine[lag]), solved_count(simple[lag])
                if int(lag) >= C9_FROM and all(n for _, n in counts):  # both tried by at least one seed
                    tests.append(compare_counts(*counts, names=(cell, "simple_rnn")))
                    labels.append(f"T = {lag}")
            if not tests:
                parts.append(_part(text, NOT_TRIED, f"lesson 03 tried {cell} and simple_rnn at no common distance "
                                                    f"of {C9_FROM} steps or more in this regime"))
                continue
            tests = correct(tests)
            parts.append(_part(text, combine([_ahead(c, cell) for c in tests]),
                               "; ".join(f"{label}: {c.describe(2)}" for label, c in zip(labels, tests)),
                               comparison=tests))
    return _record("C9", parts + [context])


def decide_c10(ev):
    """C10 from lesson 01's clipping runs: how many seeds learned with clipping against without it, among runs whose
    gradient explodes without it (Fisher's exact test). One stored run is a demonstration, not decided."""
    from utils.adding_task import seed_counts

    clip = ev.get("gradients", "clipping")
    if not clip:
        return _missing("C10", "01")
    by_seed, baseline = clip.get("by_seed"), clip["baseline_mse"]
    if not by_seed or len(clip.get("seeds", [])) < 2:
        evidence = (f"one run each, a demonstration that clipping can rescue a run, not how often: without clipping "
                    f"the loss turned non-finite at step {clip['no_clipping'].get('first_non_finite_step')}; with "
                    f"clipnorm=1 the final MSE was {clip.get('clipnorm_1_0', {}).get('final_mse')}")
        return _record("C10", [_part("a diverging run learns once clipped", "not decided", evidence)])
    counts = seed_counts(by_seed, baseline)
    runs, exploded = counts["no_clipping"]["runs"], counts["no_clipping"]["diverged"]
    c = compare_counts((counts["clipnorm_1_0"]["learned"], counts["clipnorm_1_0"]["runs"]),
                       (counts["no_clipping"]["learned"], runs),
                       names=("clipnorm=1.0", "no clipping"), what="learned")
    evidence = (f"{runs} seeds of lesson 01's adding-problem run ({clip['steps']:,} steps): without clipping "
                f"{exploded}/{runs} turned non-finite; {c.in_words()}")
    if exploded == 0:
        verdict = "not decided"  # nothing exploded: the claim was not put to the test
    else:
        verdict = _ahead(c, "clipnorm=1.0")
    return _record("C10", [_part("runs whose gradient explodes learn once clipped", verdict, evidence)])


C12_FAILURE = 0.6  # lesson 02: a sentiment model below 60% test accuracy has failed outright (chance is 50%)


C12_ARMS = {"lstm": "lr 0.001", "lstm_lr_0_05": "lr 0.05"}  # lesson 02's model keys and their names in words


def _c12_numbers(ev):
    """Lesson 02's per-seed test accuracies and saturated shares, {key: (accuracies, shares)}; None if absent."""
    found = {}
    for key in C12_ARMS:
        model = ev.get("lstm_gru_cells", "models", key, default={})
        numbers = (model.get("test_accuracy_seeds"), model.get("saturated_share_seeds")) \
            if isinstance(model, dict) else (None, None)
        if not all(isinstance(v, list) and v and all(isinstance(x, int | float) and not isinstance(x, bool)
                                                     for x in v) for v in numbers):
            return None
        found[key] = numbers
    return found


def _c12_items(ev, numbers):
    """The per-review outcomes of both arms ([seeds, reviews], one row per stored seed), or None."""
    import numpy as np

    pair = ev.pair("lstm_gru_cells", *C12_ARMS)
    if pair is None:
        return None
    arrays = [np.asarray(x, dtype="float64") for x in pair]
    if any(a.ndim != 2 or a.shape[0] != len(numbers[k][0]) for a, k in zip(arrays, C12_ARMS)) or \
            arrays[0].shape[1] != arrays[1].shape[1] or arrays[0].shape[1] < 2:
        return None
    return tuple(arrays)


def _c12_fails(c, threshold):
    """'holds' when the run is decided below the threshold, 'does not hold' when above, else 'not decided'."""
    return "holds" if c.better == threshold else "does not hold" if c.better else "not decided"


def _c12_describe(c, words, digits=3):
    """``c.describe()`` with its "X better" said in the words ``words[X]`` ("lr 0.05 more saturated")."""
    text = c.describe(digits)
    return text.rsplit(" -> ", 1)[0] + f" -> {words[c.better]}" if c.better in words else text


def decide_c12(ev):
    """C12 from lesson 02: the LSTM at a far too large learning rate (0.05) against the same LSTM at 0.001.

    Three comparisons by the noise rule, each a part of its own (its own family): (a) is the lr 0.05 run less accurate
    on the test reviews (paired per review where the outcomes are stored)? (b) are its gates more saturated (per-seed
    share of gate values below 0.1 or above 0.9)? (c) does it fail outright (test accuracy below 0.6)? The claim
    asks (a) and (b): saturation is a symptom of a failed run when it comes with the damage. (a) and (b) ->
    holds; a damaged run without more saturation, or more saturation without damage -> does not hold; neither
    damage nor saturation, or an undecided comparison -> not decided. (c) is context: shown, not a vote.
    """
    import numpy as np

    numbers = _c12_numbers(ev)
    if numbers is None:
        if ev.get("lstm_gru_cells") is None:
            return _missing("C12", "02")
        return _record("C12", [_part("measured with seeds on the test reviews", "not decided",
                                     "the stored results of lesson 02 hold no per-seed test accuracies and "
                                     "saturated shares (an older run); run lesson 02 again")])
    (acc_bad, sat_bad), (acc_ok, sat_ok) = numbers["lstm_lr_0_05"], numbers["lstm"]
    bad, ok = C12_ARMS["lstm_lr_0_05"], C12_ARMS["lstm"]
    threshold = "failure line"
    items = _c12_items(ev, numbers)
    flat = None if items is None else np.full(items[0].shape[1], C12_FAILURE)
    if items is not None:
        items = (items[1], items[0])  # _c12_items gives C12_ARMS' order (lr 0.001 first); compare wants bad, ok
    # the claim's two parts, each its own family (utils.verdicts.FAMILY_RULE); the context comparison stands alone
    worse = compare(acc_bad, acc_ok, names=(bad, ok), items=items, margin="accuracy")
    saturated = compare(sat_bad, sat_ok, names=(bad, ok), margin="share")
    fails = compare(acc_bad, C12_FAILURE, names=(bad, threshold), exact=(False, True), margin="accuracy",
                    items=None if items is None else (items[0], flat))
    before = ev.get("lstm_gru_cells", "models", "lstm", "saturated_share_before_training", default={})
    before = f"; before training {np.mean(list(before.values())):.2%}" if isinstance(before, dict) and before \
        and all(isinstance(v, int | float) for v in before.values()) else ""
    parts = [_part(f"the {bad} run is damaged (less accurate on the test reviews)", _ahead(worse, ok),
                   worse.describe() + " (test accuracy)"),
             _part(f"the {bad} run's gates are more saturated", _ahead(saturated, bad),
                   _c12_describe(saturated, {x: f"{x} more saturated" for x in (bad, ok)}, 4)
                   + " (share of gate values below 0.1 or above 0.9" + before + ")"),
             _part(f"(context, not in the claim) the {bad} run fails outright (test accuracy below "
                   f"{C12_FAILURE:g}; chance is 0.5)", _c12_fails(fails, threshold),
                   _c12_describe(fails, {threshold: f"{bad} below {C12_FAILURE:g}",
                                         bad: f"{bad} above {C12_FAILURE:g}"}) + " (test accuracy)", context=True)]
    damaged, symptom = (p["verdict"] for p in parts[:2])
    if "not decided" in (damaged, symptom):
        verdict = "not decided"
    elif damaged == symptom:
        verdict = "holds" if damaged == "holds" else "not decided"  # neither: no failure to read a symptom of
    else:
        verdict = "does not hold"  # damage without saturation, or saturation without damage
    return _record("C12", parts, verdict)
