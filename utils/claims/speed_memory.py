"""Deciders of lesson 08's benchmark claims: C6 (training speed), C7 (parameters) and C8 (memory).

Each part is one Holm family (``utils.verdicts.FAMILY_RULE``): in C6 a part is one pair of cells, decided by one
test across the benchmark's configurations (each configuration's fastest repeat, paired by configuration), with the
same pair per width as a second family that can say "depends on the width"; in C8 one pair of cells. Speeds are
compared on the log scale and shown as ratios."""

import math

import numpy as np

from utils.claims.core import _ahead, _missing, _part, _record
from utils.verdicts import compare, correct


def _bench(ev):
    models = ev.get("choosing_a_cell", "models", default={})
    configs = {}
    for key, m in models.items():
        cell, _, rest = key.partition("_len")
        length, _, units = rest.partition("_u")
        if length.isdigit() and units.isdigit():
            configs.setdefault((int(length), int(units)), {})[cell] = m
    return configs


def _fastest(m):
    """The log of a configuration's fastest repeat: timing noise only ever slows a run down, so the fastest of the
    repeats is the least disturbed measurement of what the cell costs."""
    return math.log(max(m["train_samples_per_second_repeats"]))


def across_configurations(configs, a, b, width=None):
    """``a`` against ``b`` in one test over the benchmark's configurations (or those of one ``width``): each
    configuration's fastest repeat, paired by configuration, the gap a mean log-ratio (said as a ratio)."""
    chosen = [cfg for cfg in sorted(configs) if width is None or cfg[1] == width]
    if not chosen:
        return None
    la, lb = ([_fastest(configs[cfg][k]) for cfg in chosen] for k in (a, b))
    if len(chosen) == 1:  # one configuration: its repeats are all there is
        repeats = [[math.log(v) for v in configs[chosen[0]][k]["train_samples_per_second_repeats"]] for k in (a, b)]
        return compare(*repeats, names=(a, b), margin=math.log(1.05), runs="repeats")
    return compare(float(np.mean(la)), float(np.mean(lb)), names=(a, b), exact=(True, True), items=(la, lb),
                   margin=math.log(1.05))


def width_parts(configs, a, b):
    """``a`` faster than ``b`` per width (the lengths of that width paired), one Holm family: (verdicts, words)."""
    widths = sorted({cfg[1] for cfg in configs})
    comps = [c for c in (across_configurations(configs, a, b, w) for w in widths) if c is not None]
    if len(comps) != len(widths):
        return [], ""
    comps = correct(comps)
    words = "; ".join(f"{w} units: {c.as_ratio('training samples/s')}" for w, c in zip(widths, comps))
    return [_ahead(c, a) for c in comps], words


def speed_part(configs, a, b, label=None):
    """The part "``a`` trains faster than ``b``" from the benchmark's configurations: one test across them, and the
    per-width family, which turns the verdict into "partly holds" only where widths are decided both ways. C6 and
    C11 share it."""
    n = len(configs)
    c = across_configurations(configs, a, b)
    verdicts, words = width_parts(configs, a, b)
    verdict = _ahead(c, a)
    if {"holds", "does not hold"} <= set(verdicts):  # decided both ways: it depends on the width
        verdict = "partly holds"
    how = ("across the configurations (fastest repeat each, paired by configuration)" if n > 1
           else "one configuration, its repeats")
    return _part(label or f"{a} trains faster than {b} (CPU benchmark, {n} configurations)", verdict,
                 f"{how}: {c.as_ratio('training samples/s')}; per width (lengths paired, one family): {words}"
                 + ("; it depends on the width" if verdict == "partly holds" else ""), comparison=c, ratio=True)


def decide_c6(ev):
    """C6 from lesson 08's benchmark: each pair of cells in one test across the configurations (length x width),
    from each configuration's fastest repeat, and again per width, where the order may change."""
    configs = _bench(ev)
    if not configs:
        return _missing("C6", "08")
    return _record("C6", [speed_part(configs, a, b) for a, b in (("simple_rnn", "gru"), ("gru", "lstm"))])


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
    comps = [compare(runs[a]["train_mb"], runs[b]["train_mb"], names=(a, b), higher_is_better=False,
                     margin="memory_mb", runs="repeats") for a, b in (("simple_rnn", "gru"), ("gru", "lstm"))]
    return _record("C8", [_part(f"{c.name_a} less training memory than {c.name_b}", _ahead(c, c.name_a),
                                c.describe(0) + " MB") for c in comps])
