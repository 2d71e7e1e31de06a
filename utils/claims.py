"""The claims the course tests: what comparison articles often say about SimpleRNN, LSTM and GRU, paraphrased.

``CLAIMS`` maps each claim's id (``C1`` ...) to its text and the lessons that measure it. The README's list of
claims, the first cell of every lesson and lesson 08's table of verdicts are made from it, so the wording lives
in one place. The verdicts themselves are decided in the lessons from their stored results.
"""

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from utils.checks import ArgumentTypeError, describe, is_int, scalar
from utils.verdicts import MARGINS, combine, compare, compare_change, compare_counts, correct

__all__ = ["CLAIMS", "DECIDERS", "Claim", "Evidence", "MissingEvidence", "claims_markdown", "claims_of_lesson",
           "decide_all"]


@dataclass(frozen=True)
class Claim:
    id: str
    text: str  # the claim as comparison articles often put it, paraphrased
    lessons: tuple  # the lesson numbers ("04", ...) that measure it


CLAIMS = {claim.id: claim for claim in (
    Claim("C1", "IMDB sentiment, reviews of ~250 words: SimpleRNN about 87% accuracy, 45 min of training, 2.1 GB; "
                "LSTM about 92%, 2.5 h, 8.7 GB", ("04", "08")),
    Claim("C2", "Character-level Shakespeare: perplexity SimpleRNN about 146 vs LSTM about 98", ("06",)),
    Claim("C3", "Five years of daily S&P 500 prices: RMSE SimpleRNN 12.4 vs LSTM 9.7 (no baseline given)", ("07",)),
    Claim("C4", "A SimpleRNN reliably remembers 5–10 steps and forgets beyond 50; an LSTM remembers 100+", ("03",)),
    Claim("C5", "Below 20 steps a SimpleRNN does as well as an LSTM; from 20 to 100 the LSTM starts to win; "
                "beyond 100 it is far ahead", ("03",)),
    Claim("C6", "Training speed: SimpleRNN fastest, GRU faster than LSTM, LSTM slowest", ("08",)),
    Claim("C7", "Parameters: SimpleRNN fewest, GRU fewer than LSTM, LSTM most", ("02", "08")),
    Claim("C8", "Memory: SimpleRNN lowest, GRU lower than LSTM", ("08",)),
    Claim("C9", "SimpleRNNs suffer vanishing gradients; the gates of LSTM and GRU keep gradients flowing over "
                "long spans", ("01",)),
    Claim("C10", "Exploding gradients are fixed by gradient clipping", ("01",)),
    Claim("C11", "GRUs often match LSTMs with less compute", ("04", "06", "08")),
    Claim("C12", "Gate saturation (gates stuck near 0 or 1) is a failure symptom to watch", ("02",)),
    Claim("C13", "Bidirectional layers and dropout between layers improve accuracy", ("05",)),
    Claim("C14", "With a small data set a SimpleRNN does as well or better and an LSTM overfits; LSTMs need more "
                 "data", ("04",)),
    Claim("C15", "Inference: SimpleRNNs are fast and suit mobile and edge devices; LSTMs are slower and better "
                 "server-side; GRUs are lighter and faster on edge devices", ("10",)),
    Claim("C16", "Transformers train faster (in parallel) and handle long sequences better; RNNs need far less data "
                 "and keep the advantage for streaming input", ("09", "10")),
    Claim("C17", "GRUs are slightly less expressive than LSTMs and can fall behind them on complex dependency "
                 "structures", ("10",)),
)}


NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def _known_lessons() -> list:
    """Lessons 00 up to the highest numbered notebook (or claim), then the appendices in notebooks/ (A1, …)."""
    prefixes = {path.name.split("_", 1)[0] for path in NOTEBOOKS.glob("*_*.ipynb")}
    numbered = {int(p) for p in prefixes if p.isdigit()} | {int(n) for c in CLAIMS.values() for n in c.lessons}
    return [f"{n:02d}" for n in range(max(numbered) + 1)] + sorted(p for p in prefixes if not p.isdigit())


def claims_of_lesson(lesson: str) -> list:
    """The ids of the claims lesson ``lesson`` ("04", or 4) measures, in order; [] for a lesson that measures none."""
    lesson = scalar(lesson)
    if not (is_int(lesson) or (isinstance(lesson, str) and lesson.strip())):
        raise ArgumentTypeError(f"lesson must be a lesson number such as '04' or 4, got {describe(lesson)}")
    number = f"{int(lesson):02d}" if is_int(lesson) or lesson.strip().isdigit() else lesson.strip().upper()
    known = _known_lessons()
    if number not in known:
        raise ValueError(f"there is no lesson {lesson!r}: the lessons are {', '.join(known)}")
    return [claim.id for claim in CLAIMS.values() if number in claim.lessons]


def claims_markdown() -> str:
    """The list of claims as a Markdown table: id, claim, the lessons that measure it."""
    rows = ["| # | the claim, as comparison articles often put it | measured in lesson |", "|---|---|---|"]
    rows += [f"| {c.id} | {c.text} | {', '.join(c.lessons)} |" for c in CLAIMS.values()]
    return "\n".join(rows)


# ---------------------------------------------------------------------------------------------------------------
# Deciding the claims from the stored results (results/<lesson>.json and results/predictions/<lesson>.npz).
# Each decider returns the claim's verdict with its parts; every word of the evidence is computed here.
# ---------------------------------------------------------------------------------------------------------------

CELL_KEYS = ("simple_rnn", "lstm", "gru")  # utils.cells.CELL_NAMES, without importing Keras here
CHANCE_RECALL = 1 / 8  # lesson 03's vocabulary of 8 tokens: a guess is right one time in eight
FRESH = "seeds (own fresh test sequences each)"  # lesson 03: a seed's variance holds the test-set luck too


class MissingEvidence(LookupError):
    """A stored file a claim needs is damaged: :func:`decide_all` leaves the claim not decided, with this reason."""


class Evidence:
    """Read access to the stored results and per-item outcomes of one mode.

    ``results`` (``{lesson: payload}``) and ``predictions`` (``{lesson: {model: outcomes}}``) replace the stored
    files when given. A results file that cannot be read, or a damaged predictions file, raises
    :class:`MissingEvidence` naming it when a decider asks for that lesson."""

    def __init__(self, mode="full", results=None, predictions=None):
        from utils.report import collect_results_and_damage

        if not isinstance(mode, str) or mode not in ("full", "fast"):
            raise ValueError(f"mode must be 'full' or 'fast', got {mode!r}")
        for name, value in (("results", results), ("predictions", predictions)):
            if value is not None and not isinstance(value, dict):
                raise ArgumentTypeError(f"{name} must be None (read the stored files) or a dict {{lesson: ...}}, "
                                        f"got {describe(value)}")
        self.mode = mode
        self.results, self.damaged = collect_results_and_damage(mode) if results is None else (results, {})
        self._predictions = {} if predictions is None else dict(predictions)
        self.read = []  # the files read since the last reset, to name them when their contents do not fit

    def _note(self, path):
        if path not in self.read:
            self.read.append(path)

    def get(self, lesson, *path, default=None):
        from utils.results import _path, shown_path

        self._note(shown_path(_path(lesson, self.mode)))
        if lesson in self.damaged:
            raise MissingEvidence(self.damaged[lesson])
        value = self.results.get(lesson)
        for key in path:
            if not isinstance(value, dict) or key not in value:
                return default
            value = value[key]
        return value

    def items(self, lesson, model):
        """Per-item outcomes of ``model`` in ``lesson`` ([seeds, items]), or None where none were stored."""
        from utils.predictions import load_predictions, predictions_path
        from utils.results import shown_path

        self._note(shown_path(predictions_path(lesson, self.mode)))
        if lesson not in self._predictions:
            try:
                self._predictions[lesson] = load_predictions(lesson, self.mode)
            except FileNotFoundError:
                self._predictions[lesson] = {}
            except ValueError as error:  # a damaged file: its message names it and how to restore it
                self._predictions[lesson] = MissingEvidence(str(error))
        stored = self._predictions[lesson]
        if isinstance(stored, MissingEvidence):
            raise stored
        if not isinstance(stored, dict):
            raise MissingEvidence(f"the per-item outcomes of lesson {lesson!r} must be a dict {{model: outcomes}}, "
                                  f"got {describe(stored)}")
        return stored.get(model)

    def pair(self, lesson, a, b):
        """``(items_a, items_b)`` when both are stored, else None."""
        return self.pair_across((lesson, a), (lesson, b))

    def pair_across(self, a, b):
        """``(items_a, items_b)`` for ``a = (lesson, model)`` and ``b`` from two lessons scored on the same items,
        when both are stored and cover as many items, else None."""
        ia, ib = self.items(*a), self.items(*b)
        if ia is None or ib is None or np.shape(ia)[-1] != np.shape(ib)[-1]:
            return None
        return ia, ib


def _part(text, verdict, evidence):
    return {"part": text, "verdict": verdict, "evidence": evidence}


def _missing(cid, lesson):
    return _record(cid, [_part("measured", "not decided", f"no results of lesson {lesson} in this mode")])


def _record(cid, parts, verdict=None):
    return {"id": cid, "claim": CLAIMS[cid].text, "verdict": verdict or combine(p["verdict"] for p in parts),
            "parts": parts, "lessons": list(CLAIMS[cid].lessons)}


def _ahead(c, first):
    """'holds' when ``first`` (the side the claim favours) is decided better, 'does not hold' when the other side
    is better or the two are equivalent, else 'not decided'."""
    if c.better == first:
        return "holds"
    return "does not hold" if c.better or c.equivalent else "not decided"


def _as_good(c, first):
    """'holds' when ``first`` is better or equivalent, 'does not hold' when the other is better."""
    if c.better == first or c.equivalent:
        return "holds"
    return "does not hold" if c.better else "not decided"


def _timing_noise(ev):
    """The largest max/min ratio among lesson 08's repeated timings: how far luck alone moved a time here."""
    runs = [m.get("train_samples_per_second_repeats") for m in ev.get("choosing_a_cell", "models", default={}).values()]
    ratios = [max(r) / min(r) for r in runs if r and min(r) > 0]
    return max(ratios) if ratios else None


def _magnitude(name, claimed, measured, noise_factor, unit):
    """A claimed amount against the measured one: 'does not hold' when they differ by more than the measured
    noise factor of such measurements, 'holds' when within it... (never closer than the noise can tell)."""
    if measured is None or noise_factor is None or measured <= 0:
        return _part(f"{name} about {claimed:g} {unit}", "not decided", "not measured with repeats")
    factor = max(claimed / measured, measured / claimed)
    verdict = "does not hold" if factor > noise_factor else "not decided"
    return _part(f"{name} about {claimed:g} {unit}", verdict,
                 f"measured {measured:.3g} {unit}: {factor:.1f}x apart, against at most {noise_factor:.2f}x between "
                 "repeats of the same measurement on this machine")


def _imdb(ev, a, b):
    """Lesson 04's per-seed test accuracies of ``a`` and ``b`` (and their per-review outcomes where stored)."""
    seeds = {k: ev.get("sentiment", "models", k, "test_accuracy_seeds") for k in (a, b)}
    if None in seeds.values():
        return None
    return compare(seeds[a], seeds[b], names=(a, b), items=ev.pair("sentiment", a, b), margin="accuracy")


def decide_c1(ev):
    c = _imdb(ev, "lstm", "simple_rnn")
    if c is None:
        return _missing("C1", "04")
    levels = []
    for key, claimed in (("simple_rnn", 0.872), ("lstm", 0.918)):
        seeds = ev.get("sentiment", "models", key, "test_accuracy_seeds")
        level = compare(seeds, claimed, names=(key, "claimed"), exact=(False, True), margin="accuracy",
                        items=None)
        levels.append(_part(f"{key} about {claimed:.1%} accurate", "holds" if level.equivalent else
                            "does not hold" if level.better else "not decided", level.describe()))
    noise = _timing_noise(ev)
    lstm = ev.get("sentiment", "models", "lstm", default={})
    cost = [_magnitude("LSTM training time", 2.5 * 3600, lstm.get("train_seconds"), noise, "s"),
            _magnitude("LSTM memory", 8.7 * 1024, lstm.get("peak_memory_mb"), _memory_noise(ev), "MB")]
    parts = [_part("LSTM more accurate than SimpleRNN", _ahead(c, "lstm"), c.describe())] + levels + cost
    amounts = [p["verdict"] for p in levels + cost]
    # The claim is its numbers: when they are decided wrong, the direction alone does not rescue it.
    verdict = "does not hold" if "does not hold" in amounts and "holds" not in amounts else None
    return _record("C1", parts, verdict)


def _memory_noise(ev):
    runs = ev.get("choosing_a_cell", "memory", "runs", default={})
    ratios = [max(r["train_peak_mb"]) / min(r["train_peak_mb"]) for r in runs.values() if r.get("train_peak_mb")]
    return max(ratios) if ratios else None


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
             _part("(not in the claim) against persistence", "not decided",
                   "; ".join(x.describe(4) for x in vs_persistence))]
    verdict = "does not hold" if size == "does not hold" else None
    return _record("C3", parts, verdict or combine(p["verdict"] for p in parts[:2]))


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


def _bench(ev):
    models = ev.get("choosing_a_cell", "models", default={})
    configs = {}
    for key, m in models.items():
        cell, _, rest = key.partition("_len")
        length, _, units = rest.partition("_u")
        if length.isdigit() and units.isdigit():
            configs.setdefault((int(length), int(units)), {})[cell] = m
    return configs


def _log_speeds(m):
    return [math.log(v) for v in m["train_samples_per_second_repeats"]]


def decide_c6(ev):
    configs = _bench(ev)
    if not configs:
        return _missing("C6", "08")
    pairs = [(cfg, a, b) for cfg in sorted(configs) for a, b in (("simple_rnn", "gru"), ("gru", "lstm"))]
    comps = correct([compare(_log_speeds(configs[cfg][a]), _log_speeds(configs[cfg][b]),
                             names=(a, b), margin=math.log(1.05), runs="repeats") for cfg, a, b in pairs])
    parts = [_part(f"length {cfg[0]}, {cfg[1]} units: {a} faster than {b}", _ahead(c, a),
                   c.describe(3) + " (log samples/s)") for (cfg, a, b), c in zip(pairs, comps)]
    return _record("C6", parts)


def decide_c7(ev):
    configs = _bench(ev)
    if not configs:
        return _missing("C7", "08")
    cfg = max(configs)  # the widest configuration measured
    params = {k: float(configs[cfg][k]["params"]) for k in ("simple_rnn", "gru", "lstm")}
    comps = [compare(params[a], params[b], names=(a, b), exact=True, higher_is_better=False)
             for a, b in (("simple_rnn", "gru"), ("gru", "lstm"))]
    return _record("C7", [_part(f"{c.name_a} fewer parameters than {c.name_b}", _ahead(c, c.name_a),
                                c.describe(0) + f" (exact counts, {cfg[1]} units)") for c in comps])


def decide_c8(ev):
    runs = ev.get("choosing_a_cell", "memory", "runs")
    if not runs:
        return _missing("C8", "08")
    comps = correct([compare(runs[a]["train_mb"], runs[b]["train_mb"], names=(a, b), higher_is_better=False,
                             margin="memory_mb", runs="repeats") for a, b in (("simple_rnn", "gru"), ("gru", "lstm"))])
    return _record("C8", [_part(f"{c.name_a} less training memory than {c.name_b}", _ahead(c, c.name_a),
                                c.describe(0) + " MB") for c in comps])


def decide_c9(ev):
    factors = {k: ev.get("gradients", "models", k, "per_step_factor_seeds") for k in CELL_KEYS}
    if None in factors.values():
        return _missing("C9", "01")
    comps = correct([compare(factors[k], factors["simple_rnn"], names=(k, "simple_rnn"), runs="initialisations")
                     for k in ("lstm", "gru")])
    return _record("C9", [_part(f"{c.name_a} keeps more gradient per step than the SimpleRNN (at initialisation)",
                                _ahead(c, c.name_a), c.describe()) for c in comps])


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
    c = _imdb(ev, "gru", "lstm")
    parts = [] if c is None else [_part("GRU matches the LSTM's accuracy (IMDB)", _as_good(c, "gru"), c.describe())]
    configs = _bench(ev)
    if configs:
        comps = correct([compare(_log_speeds(configs[cfg]["gru"]), _log_speeds(configs[cfg]["lstm"]),
                                 names=("gru", "lstm"), margin=math.log(1.05), runs="repeats")
                         for cfg in sorted(configs)])
        outcomes = [_ahead(x, "gru") for x in comps]
        parts.append(_part("GRU trains faster than the LSTM (benchmark)", combine(outcomes),
                           f"{outcomes.count('holds')} of {len(comps)} configurations GRU faster, "
                           f"{outcomes.count('does not hold')} LSTM faster or equivalent, "
                           f"{outcomes.count('not decided')} not decided"))
    run06 = {k: ev.get("text_generation", "models", k) for k in ("gru", "lstm")}
    losses = {k: _runs(m, "test_loss_seeds", "test", "loss_nats_per_char") for k, m in run06.items()}
    if None not in losses.values():
        c06 = compare(losses["gru"], losses["lstm"], names=("gru", "lstm"), higher_is_better=False,
                      margin="nats_per_char", items=_paired_items(ev, ("text_generation", "gru", losses["gru"]),
                                                                  ("text_generation", "lstm", losses["lstm"])))
        parts.append(_part("GRU at least as good at equal training time (Shakespeare)", _as_good(c06, "gru"),
                           c06.describe() + f" (test nats/char); steps in that time: GRU {_steps(run06['gru'])}, "
                           f"LSTM {_steps(run06['lstm'])}; each cell with its own settings from the same tuning "
                           "search"))
    return _record("C11", parts) if parts else _missing("C11", "04/08")


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

    Three comparisons by the noise rule, Holm-corrected together: (a) is the lr 0.05 run less accurate on the
    test reviews (paired per review where the outcomes are stored)? (b) are its gates more saturated (per-seed
    share of gate values below 0.1 or above 0.9)? (c) does it fail outright (test accuracy below 0.6)?
    Saturation is a failure symptom when it comes with the damage: (a) and (b) and (c) -> holds; (a) and (b)
    but the run still works -> partly holds; a damaged run without more saturation, or more saturation without
    any damage -> does not hold; whatever an undecided comparison leaves open -> not decided.
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
    worse, saturated, fails = correct([
        compare(acc_bad, acc_ok, names=(bad, ok), items=items, margin="accuracy"),
        compare(sat_bad, sat_ok, names=(bad, ok), margin="share"),
        compare(acc_bad, C12_FAILURE, names=(bad, threshold), exact=(False, True), margin="accuracy",
                items=None if items is None else (items[0], flat))])
    before = ev.get("lstm_gru_cells", "models", "lstm", "saturated_share_before_training", default={})
    before = f"; before training {np.mean(list(before.values())):.2%}" if isinstance(before, dict) and before \
        and all(isinstance(v, int | float) for v in before.values()) else ""
    parts = [_part(f"the {bad} run is damaged (less accurate on the test reviews)", _ahead(worse, ok),
                   worse.describe() + " (test accuracy)"),
             _part(f"the {bad} run's gates are more saturated", _ahead(saturated, bad),
                   _c12_describe(saturated, {x: f"{x} more saturated" for x in (bad, ok)}, 4)
                   + " (share of gate values below 0.1 or above 0.9" + before + ")"),
             _part(f"the {bad} run fails outright (test accuracy below {C12_FAILURE:g}; chance is 0.5)",
                   _c12_fails(fails, threshold),
                   _c12_describe(fails, {threshold: f"{bad} below {C12_FAILURE:g}",
                                         bad: f"{bad} above {C12_FAILURE:g}"}) + " (test accuracy)")]
    damaged, symptom, failed = (p["verdict"] for p in parts)
    if damaged == "holds":
        verdict = combine([damaged, symptom, failed]) if symptom == "holds" else symptom
    elif damaged == "does not hold":
        verdict = "does not hold" if symptom == "holds" else "not decided"
    else:
        verdict = "not decided"
    return _record("C12", parts, verdict)


def decide_c13(ev):
    """C13 from lesson 05, two parts Holm-corrected together: the bidirectional LSTM against lesson 04's LSTM, and
    the same bidirectional LSTM with dropout between layers against it without (per-seed test accuracies, paired
    per review where the outcomes are stored; a model stored with one accuracy only is not decided)."""
    models = ev.get("sentiment_deeper", "models")
    if not models:
        return _missing("C13", "05")
    accuracy = {k: _runs(models.get(k), "test_accuracy_seeds", "test", "accuracy")
                for k in ("bidirectional_lstm", "bidirectional_lstm_dropout")}
    accuracy["lstm"] = _runs(ev.get("sentiment", "models", "lstm"), "test_accuracy_seeds", "test", "accuracy")
    lesson_of = {"lstm": "sentiment", "bidirectional_lstm": "sentiment_deeper",
                 "bidirectional_lstm_dropout": "sentiment_deeper"}
    steps = [("bidirectional_lstm", "lstm", "bidirectional reading improves on the LSTM"),
             ("bidirectional_lstm_dropout", "bidirectional_lstm",
              "dropout between layers improves on the same bidirectional LSTM")]
    measured = [(a, b, text) for a, b, text in steps if accuracy[a] is not None and accuracy[b] is not None]
    comps = correct([compare(accuracy[a], accuracy[b], names=(a, b), margin="accuracy",
                             items=_paired_items(ev, (lesson_of[a], a, accuracy[a]), (lesson_of[b], b, accuracy[b])))
                     for a, b, _ in measured])
    decided = {text: c for (_, _, text), c in zip(measured, comps)}
    parts = []
    for a, b, text in steps:
        if text in decided:
            parts.append(_part(text, _ahead(decided[text], a), decided[text].describe()))
        else:
            missing = a if accuracy[a] is None else b
            parts.append(_part(text, "not decided", f"no stored test accuracy of {missing} (lesson "
                                                    f"{'04' if missing == 'lstm' else '05'}) in this mode"))
    return _record("C13", parts)


def decide_c14(ev):
    curve = ev.get("sentiment", "data_size_seeds")
    if not curve:
        return _missing("C14", "04")
    sizes = sorted(curve["lstm"], key=int)
    full = sizes[-1]  # the whole training split, whose runs are stored under the plain model keys

    def pair(n):
        return ev.pair("sentiment", "lstm", "simple_rnn") if n == full else ev.pair(
            "sentiment", f"lstm_n{n}", f"simple_rnn_n{n}")

    small, large = correct([compare(curve["lstm"][n], curve["simple_rnn"][n], names=("lstm", "simple_rnn"),
                                    items=pair(n), margin="accuracy") for n in (sizes[0], full)])
    epochs = ev.get("sentiment", "data_size_epochs", "simple_rnn", sizes[0])
    ran = f"; the SimpleRNN's runs took {epochs} epochs" if epochs else ""
    return _record("C14", [
        _part(f"with {int(sizes[0]):,} reviews the SimpleRNN is as good or better", _as_good(small, "simple_rnn"),
              small.describe() + ran),
        _part(f"with {int(full):,} reviews the LSTM pulls ahead", _ahead(large, "lstm"), large.describe())])


def _c16_data(ev):
    sizes = sorted(ev.get("transformer_era", "data_size", default={}), key=int)
    curve = ev.get("sentiment", "data_size_seeds", default={})
    if not sizes or not curve:
        return _part("with little data the recurrent cells are better", "not decided",
                     "no data-size results of lessons 04 and 09 in this mode")
    n = sizes[0]
    cells = [cell for cell in CELL_KEYS if n in curve.get(cell, {})]
    if not cells:
        return _part(f"with {int(n):,} reviews the recurrent cells are better", "not decided",
                     f"lesson 04 has no runs on {int(n):,} reviews")
    best = max(cells, key=lambda cell: float(np.mean(curve[cell][n])))
    c = compare(ev.get("transformer_era", "data_size", n, "accuracy"), curve[best][n],
                names=("transformer", best), margin="accuracy",
                items=ev.pair_across(("transformer_era", f"transformer_n{n}"), ("sentiment", f"{best}_n{n}")))
    return _part(f"with {int(n):,} reviews the best recurrent cell ({best}) is better", _ahead(c, best),
                 c.describe())


def _c16_speed(ev):
    speeds = ev.get("streaming_edge_counting", "training_throughput_chars_per_second", default={})
    cells = [cell for cell in CELL_KEYS if speeds.get(cell)]
    if not speeds.get("transformer") or not cells:
        return _part("the Transformer trains faster", "not decided", "no training throughput measured in lesson 10")
    tests = correct([compare(np.log(speeds["transformer"]).tolist(), np.log(speeds[cell]).tolist(),
                             names=("transformer", cell), runs="repeats", margin=MARGINS["speed_ratio"])
                     for cell in cells])
    verdict = ("holds" if all(c.better == "transformer" for c in tests) else
               "does not hold" if any(c.better in cells or c.equivalent for c in tests) else "not decided")
    return _part("the Transformer trains faster than every cell (characters per second, log scale)", verdict,
                 "; ".join(c.describe() for c in tests))


def _c16_long(ev):
    recall = ev.get("transformer_era", "recall", "accuracy", default={})
    scratch = ev.get("memory_span", "regimes", "from_scratch", default={})
    lags = [lag for lag in sorted(recall, key=int) if any(lag in scratch.get(c, {}) for c in scratch)]
    if not lags:
        return _part("the Transformer handles long distances better", "not decided",
                     "no recall results of lessons 03 and 09 at a common distance in this mode")
    lag = lags[-1]
    solved = _solved_count
    cells = [c for c in scratch if scratch[c].get(lag)]  # every cell of lesson 03, chrono-initialised ones too
    best = max(cells, key=lambda c: solved(scratch[c][lag])[0] / solved(scratch[c][lag])[1])
    c = compare_counts(solved(recall[lag]), solved(scratch[best][lag]), names=("transformer", best))
    return _part(f"recall over T = {lag} from scratch: the Transformer solves more seeds than the best cell "
                 f"of lesson 03 ({best})", _ahead(c, "transformer"), c.describe())


def _c16_streaming(ev):
    times = ev.get("streaming_edge_counting", "streaming_times", default={})
    if not times.get("gru_256") or not times.get("kv_cache"):
        return _part("one more token is cheaper for the GRU", "not decided", "no streaming timings in lesson 10")
    gru, kv = times["gru_256"], times["kv_cache"]
    c = compare(gru["microseconds"], kv["microseconds"], names=("gru_256", "kv_cache"), higher_is_better=False,
                runs="repeats", margin=MARGINS["speed_ratio"] * float(np.median(kv["microseconds"])))
    lighter = gru["bytes"] < kv["bytes"]
    verdict = ("holds" if c.better == "gru_256" and lighter else
               "does not hold" if c.better == "kv_cache" or c.equivalent else "not decided")
    return _part(f"at a context of {gru['context']:,} tokens one more token is cheaper and lighter for the GRU",
                 verdict, c.describe(0) + f"; bytes carried {gru['bytes']:,} against {kv['bytes']:,}")


def decide_c16(ev):
    if not ev.get("transformer_era") and not ev.get("streaming_edge_counting"):
        return _missing("C16", "09 and 10")
    return _record("C16", [_c16_data(ev), _c16_speed(ev), _c16_long(ev), _c16_streaming(ev)])


def _edge_latency(ev):
    """Holm-corrected tests of lesson 10's int8 LiteRT step latencies (per-round p50, microseconds) for each pair
    of cells, ``{(a, b): Comparison}``; None when they are not stored."""
    rounds = {cell: ev.get("streaming_edge_counting", "edge", "latency_us", cell, "int8", "p50_rounds")
              for cell in CELL_KEYS}
    if not all(rounds.values()):
        return None
    pairs = [("simple_rnn", "lstm"), ("simple_rnn", "gru"), ("gru", "lstm")]
    tests = correct([compare(rounds[a], rounds[b], names=(a, b), higher_is_better=False, runs="rounds",
                             margin=MARGINS["speed_ratio"] * float(np.median(rounds[b]))) for a, b in pairs])
    return dict(zip(pairs, tests))


def _fastest_or_slowest(tests, cell, fastest):
    """'holds' when ``cell`` is decided faster (``fastest``) or slower than each other cell, 'does not hold' when a
    pair is decided the other way or equivalent, else 'not decided'; with the pairs' descriptions."""
    mine = [c for pair, c in tests.items() if cell in pair]
    won = [(c.better == cell) == fastest and c.better is not None for c in mine]
    lost = [c.equivalent or (c.better is not None and (c.better == cell) != fastest) for c in mine]
    verdict = "holds" if all(won) else "does not hold" if any(lost) else "not decided"
    return verdict, "; ".join(c.describe(1) for c in mine)


def _c15_quantised(ev):
    """int8 against float32 of the same models (paired by seed and test sequence): 'holds' when every cell's
    interval of the change lies inside ±0.02 nats/char (a change too small to matter, even where it is measurably
    not zero), 'does not hold' when one lies wholly outside, else 'not decided'."""
    margin = MARGINS["nats_per_char"]
    tests = []
    for cell in CELL_KEYS:
        pair = ev.pair("streaming_edge_counting", f"{cell}_int8", f"{cell}_float32")
        if pair is None:
            return _part("int8 keeps every cell's quality", "not decided", "no int8 losses stored in lesson 10")
        tests.append(compare_change(*pair, names=(f"{cell} int8", "float32"), higher_is_better=False,
                                    margin=margin))
    tests = correct(tests)
    inside = [c.low is not None and -margin <= c.low and c.high <= margin for c in tests]
    outside = [c.low is not None and (c.low > margin or c.high < -margin) for c in tests]
    verdict = "holds" if all(inside) else "does not hold" if any(outside) else "not decided"
    return _part(f"quantised to int8, every cell's quality changes by less than ±{margin} nats/char", verdict,
                 "; ".join(c.describe(4) for c in tests))


def decide_c15(ev):
    if not ev.get("streaming_edge_counting", "edge"):
        return _missing("C15", "10")
    parts = [_c15_quantised(ev)]
    tests = _edge_latency(ev)
    if tests is None:
        parts.append(_part("per-step latency on the edge", "not decided", "no LiteRT timings in lesson 10"))
    else:
        parts.append(_part("the SimpleRNN is the fastest at inference (int8 LiteRT step, p50 per round, µs)",
                           *_fastest_or_slowest(tests, "simple_rnn", fastest=True)))
        parts.append(_part("the LSTM is the slowest at inference (int8 LiteRT step, p50 per round, µs)",
                           *_fastest_or_slowest(tests, "lstm", fastest=False)))
        sizes = {cell: ev.get("streaming_edge_counting", "models", cell, "int8_bytes") for cell in CELL_KEYS}
        c = tests[("gru", "lstm")]
        if None in (sizes["gru"], sizes["lstm"]):
            parts.append(_part("the GRU is lighter and faster than the LSTM", "not decided", "no file sizes"))
        else:
            lighter = sizes["gru"] < sizes["lstm"]
            verdict = ("holds" if lighter and c.better == "gru" else
                       "does not hold" if not lighter or c.better == "lstm" or c.equivalent else "not decided")
            parts.append(_part("the GRU is lighter (int8 file) and faster than the LSTM on the edge", verdict,
                               f"int8 files {sizes['gru']:,} vs {sizes['lstm']:,} bytes; " + c.describe(1)))
    parts.append(_part("LSTMs are better server-side", "not decided",
                       "not measured: the course runs no server workload, and the claim names no measure"))
    return _record("C15", parts)


def decide_c17(ev):
    largest = ev.get("streaming_edge_counting", "counting", "largest_n", default={})
    if not largest.get("lstm") or not largest.get("gru"):
        return _missing("C17", "10")
    top = ev.get("streaming_edge_counting", "counting", "test_max")
    c = compare(largest["lstm"], largest["gru"], names=("lstm", "gru"),
                runs=f"seeds (every n up to {top:,} tested)")
    return _record("C17", [_part("counting (aⁿbⁿ): the LSTM counts correctly to a larger n than the GRU",
                                 _ahead(c, "lstm"), c.describe(1))])


DECIDERS = {"C1": decide_c1, "C2": decide_c2, "C3": decide_c3, "C4": decide_c4, "C5": decide_c5, "C6": decide_c6,
            "C7": decide_c7, "C8": decide_c8, "C9": decide_c9, "C10": decide_c10, "C11": decide_c11,
            "C12": decide_c12, "C13": decide_c13, "C14": decide_c14, "C15": decide_c15, "C16": decide_c16,
            "C17": decide_c17}


def decide_all(mode="full", evidence=None) -> dict:
    """Every claim's verdict, from the stored results of ``mode`` alone: ``{id: record}``.

    A claim whose stored results are damaged or lack what its decider reads (a model, a key, a readable file) is
    not decided, and its one part says which file and what is missing; the other claims are decided as usual."""
    if evidence is None:
        evidence = Evidence(mode)
    elif not isinstance(evidence, Evidence):
        raise ArgumentTypeError(f"evidence must be None (read the stored results of mode) or an Evidence, got "
                                f"{describe(evidence)}")
    return {cid: _decided(cid, decider, evidence) for cid, decider in DECIDERS.items()}


def _decided(cid, decider, ev):
    """``decider(ev)``, or a not-decided record naming the file and what in it is missing or damaged."""
    ev.read = []
    try:
        return decider(ev)
    except MissingEvidence as error:
        reason = str(error)
    except (LookupError, TypeError, ValueError, AttributeError, ArithmeticError) as error:
        *before, last = ev.read or ["the stored results"]  # the file read last is the likeliest culprit
        what = f"key {error.args[0]!r} missing" if isinstance(error, KeyError) and error.args else \
            f"damaged ({type(error).__name__}: {error})"
        restore = ("run its lesson again in fast mode" if ev.mode == "fast" else
                   f"restore it with git checkout -- {last} (or run its lesson again in full mode)")
        also = f" (the claim also read {', '.join(before)})" if before else ""
        reason = f"{last}: {what}{also}; {restore}"
    return _record(cid, [_part("measured", "not decided", reason)])
