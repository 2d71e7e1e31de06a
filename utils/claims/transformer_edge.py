"""Deciders of the claims of lessons 09 and 10: C15 (inference on the edge), C16 (Transformers against RNNs)
and C17 (counting: GRU against LSTM)."""

import numpy as np

from utils.claims.core import CELL_KEYS, _ahead, _missing, _part, _record
from utils.claims.memory_span import solved_count
from utils.verdicts import MARGINS, NOT_TRIED, compare, compare_change, compare_counts, correct


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
                 c.describe(), comparison=c)


def _c16_speed(ev):
    speeds = ev.get("streaming_edge_counting", "training_throughput_chars_per_second", default={})
    cells = [cell for cell in CELL_KEYS if speeds.get(cell)]
    if not speeds.get("transformer") or not cells:
        return _part("the Transformer trains faster", "not decided", "no training throughput measured in lesson 10")
    tests = correct([compare(np.log(speeds["transformer"]).tolist(), np.log(speeds[cell]).tolist(),
                             names=("transformer", cell), runs="repeats", margin=MARGINS["speed_ratio"])
                     for cell in cells])  # one part, one family; decided on the log scale, shown as ratios
    verdict = ("holds" if all(c.better == "transformer" for c in tests) else
               "does not hold" if any(c.better in cells or c.equivalent for c in tests) else "not decided")
    return _part("the Transformer trains faster than every cell (characters per second)", verdict,
                 "; ".join(c.as_ratio("characters/s") for c in tests), comparison=tests, ratio=True)


def _c16_long(ev):
    recall = ev.get("transformer_era", "recall", "accuracy", default={})
    scratch = ev.get("memory_span", "regimes", "from_scratch", default={})
    lags = [lag for lag in sorted(recall, key=int) if any(lag in scratch.get(c, {}) for c in scratch)]
    if not lags:
        return _part("the Transformer handles long distances better", "not decided",
                     "no recall results of lessons 03 and 09 at a common distance in this mode")
    lag = lags[-1]
    solved = solved_count  # among the seeds tried at that distance: a seed not tried counts for nothing
    # every cell of lesson 03 tried at that distance, chrono-initialised ones too
    cells = [c for c in scratch if scratch[c].get(lag) and solved(scratch[c][lag])[1]]
    text = f"recall over T = {lag} from scratch: the Transformer solves more seeds than the best cell of lesson 03"
    if not cells or not solved(recall[lag])[1]:
        return _part(text, NOT_TRIED, f"T = {lag} was tried by no seed of " + (
            "the Transformer" if cells else "any cell of lesson 03 from scratch"))
    best = max(cells, key=lambda c: solved(scratch[c][lag])[0] / solved(scratch[c][lag])[1])
    c = compare_counts(solved(recall[lag]), solved(scratch[best][lag]), names=("transformer", best))
    untried = sum(a is None for a in scratch[best][lag])
    note = f"; {untried} of {len(scratch[best][lag])} seeds of {best} not tried there" if untried else ""
    return _part(f"{text} ({best})", _ahead(c, "transformer"), c.describe() + note, comparison=c)


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
                 verdict, c.describe(0) + f"; bytes carried {gru['bytes']:,} against {kv['bytes']:,}", comparison=c)


def decide_c16(ev):
    if not ev.get("transformer_era") and not ev.get("streaming_edge_counting"):
        return _missing("C16", "09 and 10")
    return _record("C16", [_c16_data(ev), _c16_speed(ev), _c16_long(ev), _c16_streaming(ev)])


def _edge_latency(ev):
    """Tests of lesson 10's int8 LiteRT step latencies (per-round p50, microseconds) for each pair of cells,
    ``{(a, b): Comparison}``, not yet corrected (each part corrects the pairs it reads); None when not stored."""
    rounds = {cell: ev.get("streaming_edge_counting", "edge", "latency_us", cell, "int8", "p50_rounds")
              for cell in CELL_KEYS}
    if not all(rounds.values()):
        return None
    pairs = [("simple_rnn", "lstm"), ("simple_rnn", "gru"), ("gru", "lstm")]
    return {(a, b): compare(rounds[a], rounds[b], names=(a, b), higher_is_better=False, runs="rounds",
                            margin=MARGINS["speed_ratio"] * float(np.median(rounds[b]))) for a, b in pairs}


def _fastest_or_slowest(tests, cell, fastest):
    """'holds' when ``cell`` is decided faster (``fastest``) or slower than each other cell, 'does not hold' when a
    pair is decided the other way or equivalent, else 'not decided'; with the pairs' descriptions. The pairs that
    hold ``cell`` are this part's family (Holm-corrected together)."""
    mine = correct([c for pair, c in tests.items() if cell in pair])
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
    parts.append(_part("LSTMs are better server-side", NOT_TRIED,
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
