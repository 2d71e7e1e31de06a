"""Deciders of the accuracy claims: C1 (IMDB accuracy and cost), C11 (GRU matches LSTM), C13 (bidirectional
layers and dropout) and C14 (small data sets). Each part is one Holm family (``utils.verdicts.FAMILY_RULE``)."""

import math

import numpy as np

from utils.checks import is_real
from utils.claims.core import _ahead, _as_good, _missing, _part, _record
from utils.claims.speed_memory import _bench, speed_part
from utils.verdicts import NOT_COMPARABLE, compare


def _imdb(ev, a, b):
    """Lesson 04's per-seed test accuracies of ``a`` and ``b`` (and their per-review outcomes where stored)."""
    seeds = {k: ev.get("sentiment", "models", k, "test_accuracy_seeds") for k in (a, b)}
    if None in seeds.values():
        return None
    return compare(seeds[a], seeds[b], names=(a, b), items=ev.pair("sentiment", a, b), margin="accuracy")


def decide_c1(ev):
    """C1 from lesson 04: the direction (LSTM more accurate than the SimpleRNN) decides; the claim's amounts (87.2% and
    91.8%, 2.5 h of training, 8.7 GB) belong to another set-up and are shown as not comparable: the accuracy levels
    as not reached at this budget, the time as a difference of set-up, the memory as not measured for the model
    (the process's peak memory holds TensorFlow itself)."""
    c = _imdb(ev, "lstm", "simple_rnn")
    if c is None:
        return _missing("C1", "04")
    lstm = ev.get("sentiment", "models", "lstm", default={})
    levels = []
    for key, claimed, hours in (("simple_rnn", 0.872, "45 min"), ("lstm", 0.918, "2.5 h")):
        model = ev.get("sentiment", "models", key, default={})
        seeds = model["test_accuracy_seeds"]
        budget = (f"{model['train_seconds']:.0f} s of training, best epochs {model.get('best_epoch')}"
                  if is_real(model.get("train_seconds")) else "this lesson's budget")
        level = compare(seeds, claimed, names=(key, "claimed"), exact=(False, True), margin="accuracy")
        reached = ("reached" if level.equivalent or level.better == key else "not reached" if level.better
                   else "not decided whether reached")
        levels.append(_part(f"{key} about {claimed:.1%} accurate", NOT_COMPARABLE,
                            f"{reached} at this budget ({budget}; the claim's figure comes with about {hours} "
                            f"of training): {level.describe()}"))
    seconds = lstm.get("train_seconds")
    cost = [_part("LSTM training time about 2.5 h", NOT_COMPARABLE,
                  "another set-up: the claim's LSTM trains about 9,000 s on other hardware and data sizes; here "
                  + (f"{seconds:.0f} s" if is_real(seconds) else "not stored")
                  + " — a difference of set-up, not of luck, so no verdict"),
            _part("LSTM memory about 8.7 GB", NOT_COMPARABLE,
                  "not measured for the model: the course stores the process's peak memory, which holds TensorFlow "
                  "itself, so it decides nothing about what the model needs (lesson 08 measures memory per cell "
                  "for claim C8)")]
    parts = [_part("LSTM more accurate than SimpleRNN", _ahead(c, "lstm"), c.describe(), comparison=c)] + levels + cost
    return _record("C1", parts)


def _runs(model, seeds_key, *single):
    """A stored model's per-seed scores (``model[seeds_key]``), else its one stored score (older results, under the
    keys ``single``), else None."""
    if not isinstance(model, dict):
        return None
    if model.get(seeds_key):
        return model[seeds_key]
    value = model
    for key in single:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _paired_items(ev, a, b):
    """``items=`` for ``compare`` from two stored sides ``(lesson, model, runs)``: their per-item outcomes when
    both are stored, cover the same items and hold one row per run (or one row), else None."""
    arrays = []
    for lesson, model, runs in (a, b):
        items = ev.items(lesson, model)
        if items is None:
            return None
        array = np.asarray(items, dtype="float64")
        n_runs = len(runs) if isinstance(runs, list) else 1
        if array.ndim not in (1, 2) or (array.ndim == 2 and array.shape[0] not in (1, n_runs)):
            return None
        arrays.append(array)
    return tuple(arrays) if arrays[0].shape[-1] == arrays[1].shape[-1] else None


def _steps(model):
    """The training steps a stored model took in its time budget, in words (the mean over its seeds)."""
    steps = model.get("steps")
    if isinstance(steps, list) and steps:
        return f"{round(sum(steps) / len(steps)):,} (mean of {len(steps)} seeds)"
    return f"{steps:,}" if isinstance(steps, int) else "not stored"


def decide_c11(ev):
    """C11 "GRUs often match LSTMs with less compute": accuracy on IMDB (lesson 04); compute as lesson 04's seconds
    per epoch on IMDB and lesson 08's benchmark (across configurations and per width); and Shakespeare's loss at
    equal training time (lesson 06), with its budget."""
    c = _imdb(ev, "gru", "lstm")
    parts = [] if c is None else [_part("GRU matches the LSTM's accuracy (IMDB)", _as_good(c, "gru"), c.describe(),
                                        comparison=c)]
    epoch = {k: ev.get("sentiment", "models", k, "seconds_per_epoch_seeds") for k in ("gru", "lstm")}
    if None not in epoch.values():
        ce = compare([math.log(v) for v in epoch["gru"]], [math.log(v) for v in epoch["lstm"]],
                     names=("gru", "lstm"), higher_is_better=False, margin=math.log(1.05), runs="timed seeds")
        parts.append(_part("GRU's epoch cheaper than the LSTM's (IMDB, lesson 04, per seed)", _ahead(ce, "gru"),
                           ce.as_ratio("seconds per epoch"), comparison=ce, ratio=True))
    configs = _bench(ev)
    if configs:
        parts.append(speed_part(configs, "gru", "lstm",
                                f"GRU trains faster than the LSTM (CPU benchmark, {len(configs)} configurations)"))
    run06 = {k: ev.get("text_generation", "models", k) for k in ("gru", "lstm")}
    losses = {k: _runs(m, "test_loss_seeds", "test", "loss_nats_per_char") for k, m in run06.items()}
    if None not in losses.values():
        budget = ev.get("text_generation", "setup", "budget_seconds")
        cores = ev.get("text_generation", "machine", "cores")
        when = (f"after {budget:g} s of training" + (f" on {cores} CPU cores" if is_real(cores) else "")
                if is_real(budget) else "at equal training time")
        c06 = compare(losses["gru"], losses["lstm"], names=("gru", "lstm"), higher_is_better=False,
                      margin="nats_per_char", items=_paired_items(ev, ("text_generation", "gru", losses["gru"]),
                                                                  ("text_generation", "lstm", losses["lstm"])))
        parts.append(_part(f"GRU at least as good at equal training time (Shakespeare, {when})",
                           _as_good(c06, "gru"), c06.describe() + f" (test nats/char); steps in that time: GRU "
                           f"{_steps(run06['gru'])}, LSTM {_steps(run06['lstm'])}; each cell with its own settings "
                           "from the same tuning search", comparison=c06))
    return _record("C11", parts) if parts else _missing("C11", "04/08")


def decide_c13(ev):
    """C13 from lesson 05, two parts, each its own family of one comparison: the bidirectional LSTM against lesson
    04's LSTM, and lesson 04's LSTM with dropout between layers against it without (per-seed test accuracies,
    paired per review where the outcomes are stored; a model stored with one accuracy only is not decided)."""
    models = ev.get("sentiment_deeper", "models")
    if not models:
        return _missing("C13", "05")
    accuracy = {k: _runs(models.get(k), "test_accuracy_seeds", "test", "accuracy")
                for k in ("bidirectional_lstm", "lstm_dropout")}
    accuracy["lstm"] = _runs(ev.get("sentiment", "models", "lstm"), "test_accuracy_seeds", "test", "accuracy")
    lesson_of = {"lstm": "sentiment", "bidirectional_lstm": "sentiment_deeper", "lstm_dropout": "sentiment_deeper"}
    steps = [("bidirectional_lstm", "lstm", "bidirectional reading improves on the LSTM"),
             ("lstm_dropout", "lstm", "dropout between layers improves on the same LSTM")]
    measured = [(a, b, text) for a, b, text in steps if accuracy[a] is not None and accuracy[b] is not None]
    comps = [compare(accuracy[a], accuracy[b], names=(a, b), margin="accuracy",
                     items=_paired_items(ev, (lesson_of[a], a, accuracy[a]), (lesson_of[b], b, accuracy[b])))
             for a, b, _ in measured]
    decided = {text: c for (_, _, text), c in zip(measured, comps)}
    parts = []
    for a, b, text in steps:
        if text in decided:
            parts.append(_part(text, _ahead(decided[text], a), decided[text].describe(), comparison=decided[text]))
        else:
            missing = a if accuracy[a] is None else b
            parts.append(_part(text, "not decided", f"no stored test accuracy of {missing} (lesson "
                                                    f"{'04' if missing == 'lstm' else '05'}) in this mode"))
    return _record("C13", parts)


def _c14_budget(ev, n):
    """What the runs on ``n`` reviews were given, from the stored epochs (and batch size): ``(same, words)``, with
    ``same`` True when every run of both cells took the same epochs ("10 epochs, at least 160 updates of up to 64
    reviews"), else the epochs of each cell ("epochs simple_rnn 10/10/10, lstm 8/9/10"); ``(False, '')`` when
    they are not stored."""
    epochs = {k: ev.get("sentiment", "data_size_epochs", k, n) for k in ("simple_rnn", "lstm")}
    if not all(isinstance(e, list) and e and all(isinstance(x, int) for x in e) for e in epochs.values()):
        return False, ""
    found = {x for e in epochs.values() for x in e}
    if len(found) > 1:
        return False, "epochs " + ", ".join(f"{k} {'/'.join(map(str, e))}" for k, e in epochs.items())
    e, batch = found.pop(), ev.get("sentiment", "setup", "batch_size")
    updates = f", at least {-(-int(n) // batch) * e:,} updates of up to {batch} reviews" \
        if isinstance(batch, int) and batch > 0 else ""
    return True, f"{e} epoch{'s' * (e != 1)}{updates}"


def decide_c14(ev):
    """C14 from lesson 04's data-size runs, two parts, each its own family of one comparison. The runs on the
    smallest set all stopped at the same epoch floor, so more data there also meant more updates: the first
    part says exactly what was measured (the reviews and the epochs and updates they took)."""
    curve = ev.get("sentiment", "data_size_seeds")
    if not curve:
        return _missing("C14", "04")
    sizes = sorted(curve["lstm"], key=int)
    full = sizes[-1]  # the whole training split, whose runs are stored under the plain model keys

    def pair(n):
        return ev.pair("sentiment", "lstm", "simple_rnn") if n == full else ev.pair(
            "sentiment", f"lstm_n{n}", f"simple_rnn_n{n}")

    small, large = (compare(curve["lstm"][n], curve["simple_rnn"][n], names=("lstm", "simple_rnn"),
                            items=pair(n), margin="accuracy") for n in (sizes[0], full))
    same, budget = _c14_budget(ev, sizes[0])
    floor = ev.get("sentiment", "data_size_rule", "min_epochs")
    ran = (f"; both cells had the same budget, {budget}" if same else f"; {budget}" if budget else "")
    ran += f" (lesson 04's floor: {floor})" if budget and isinstance(floor, str) and floor else ""
    if same:
        ran += ("; more reviews also meant more updates (the equal-updates part below separates the two)"
                if ev.get("sentiment", "equal_updates") else
                "; data and updates are not separated: more reviews also meant more updates")
    small_text = f"with {int(sizes[0]):,} reviews" + (f" and the same epoch budget ({budget})," if same else "")
    return _record("C14", [
        _part(f"{small_text} the SimpleRNN is as good or better", _as_good(small, "simple_rnn"),
              small.describe() + ran, comparison=small),
        _part(f"with {int(full):,} reviews the LSTM pulls ahead", _ahead(large, "lstm"), large.describe(),
              comparison=large), *_c14_equal_updates(ev, sizes[0], full)])


def _c14_equal_updates(ev, small, full):
    """Context: the SimpleRNN's validation accuracy after the same number of updates on the small set and on the
    whole split (lesson 04 trains it on the small set for as many updates as one epoch of the whole split). More
    data at equal updates: it separates the two that the data-size runs mix. Not in the claim's wording: no
    vote."""
    found = ev.get("sentiment", "equal_updates")
    if not isinstance(found, dict) or not all(isinstance(found.get(k), list) and len(found[k]) >= 2
                                              for k in ("full", "small")):
        return []
    c = compare(found["full"], found["small"], names=(f"{int(full):,} reviews", f"{int(small):,} reviews"),
                margin="accuracy", runs="seeds (validation accuracy)")
    verdict = _ahead(c, c.name_a)  # holds: more reviews decidedly better at the same number of updates
    return [_part(f"(context, not in the claim) more reviews help the SimpleRNN at equal updates (about "
                  f"{found.get('updates')}): {int(full):,} against {int(small):,} reviews", verdict,
                  c.describe(), context=True)]
