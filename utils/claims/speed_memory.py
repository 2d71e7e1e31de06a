"""Deciders of lesson 08's benchmark claims: C6 (training speed), C7 (parameters) and C8 (memory).

Each part is one Holm family (``utils.verdicts.FAMILY_RULE``): in C6 a part is one pair of cells on one
configuration (one comparison), in C8 one pair of cells; speeds are compared on the log scale and shown as
ratios."""

import math

from utils.claims.core import _ahead, _missing, _part, _record
from utils.verdicts import compare


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
    comps = [compare(_log_speeds(configs[cfg][a]), _log_speeds(configs[cfg][b]), names=(a, b),
                     margin=math.log(1.05), runs="repeats") for cfg, a, b in pairs]  # each part its own family
    parts = [_part(f"length {cfg[0]}, {cfg[1]} units: {a} faster than {b}", _ahead(c, a),
                   c.as_ratio("training samples/s"), comparison=c, ratio=True) for (cfg, a, b), c in zip(pairs, comps)]
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
    comps = [compare(runs[a]["train_mb"], runs[b]["train_mb"], names=(a, b), higher_is_better=False,
                     margin="memory_mb", runs="repeats") for a, b in (("simple_rnn", "gru"), ("gru", "lstm"))]
    return _record("C8", [_part(f"{c.name_a} less training memory than {c.name_b}", _ahead(c, c.name_a),
                                c.describe(0) + " MB") for c in comps])
