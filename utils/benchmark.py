"""Throughput and memory of one recurrent layer configuration, measured in a fresh process.

The capstone notebook calls :func:`benchmark_in_subprocess` for every (cell, sequence length, units)
so that each measurement starts from a clean process: TensorFlow's allocator keeps memory it has used,
so peak memory measured in a long-running kernel would mostly reflect earlier runs.

The benchmarked model is the smallest one that exercises the cell: ``Input([time, features]) → cell(units)
→ Dense(1)``, trained with Adam on mean squared error.

Speed: after one warm-up call, training and inference are each timed ``repeats`` times in the same process;
every repeat is returned, so the lesson can apply the noise rule (repeat-to-repeat spread).

Memory: the process's peak resident memory (``getrusage``'s high-water mark). With ``train=False`` the process
only builds the model and runs inference once; the peak of a training process minus the peak of such a
build-only process is what training itself needs (mostly the activations kept for backpropagation through
time). Run each kind a few times, in fresh processes, to see the spread.

Lesson 08's grid and its tables (pandas is imported only by these, so a measuring process starts light):

    bench = benchmark_grid(benchmark_in_subprocess, [10, 100], [32, 128], batches=12, repeats=3)
    speed_table(bench)                        # median speeds and the training repeats' range per configuration
    training_speed_ratios(bench)              # fastest repeat against fastest repeat, per configuration
    speeds_at_width(bench, 128)               # training and inference side by side at one width
    inference_order(bench, 128, [10, 100])    # the claimed order at inference, by the noise rule
    runs = training_memory(benchmark_in_subprocess, 1000, 256, repeats=3)   # build-only and training peaks
    memory_table(runs)
"""

import json
import math
import os
import subprocess
import sys
import time

from utils.checks import ArgumentTypeError, describe, flag, positive_int, positive_seconds

CELLS = ("simple_rnn", "lstm", "gru")
SPEED_COLUMNS = ("train_samples_per_second", "inference_samples_per_second", "train_samples_per_second_repeats",
                 "inference_samples_per_second_repeats")


def _check(cell, seq_len, units, batch_size, features, batches, repeats=1, train=True):
    """The arguments as plain Python values, or a ValueError naming the first bad one."""
    if not isinstance(cell, str) or cell not in CELLS:
        raise ValueError(f"cell must be one of {CELLS}, got {describe(cell)}")
    train = flag(train, "train")
    return [cell] + [positive_int(value, name) for name, value in (
        ("seq_len", seq_len), ("units", units), ("batch_size", batch_size), ("features", features),
        ("batches", batches), ("repeats", repeats))] + [train]


def _peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (0 where the platform does not say)."""
    try:
        import resource
    except ImportError:  # not on Windows
        return 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes on macOS, KB on Linux


def benchmark_cell(cell, seq_len, units, batch_size=64, features=32, batches=5, repeats=1, train=True) -> dict:
    """Train and predict on random data in this process; samples per second (one per repeat) and memory in MB.

    With ``train=False`` nothing is trained: the model is built and run once, and only memory is reported.
    """
    cell, seq_len, units, batch_size, features, batches, repeats, train = _check(
        cell, seq_len, units, batch_size, features, batches, repeats, train)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from utils.environment import quiet_tensorflow_import

    quiet_tensorflow_import()
    import keras
    import numpy as np

    from utils.cells import cell_layer
    from utils.measure import Measure

    layer = cell_layer(cell)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((seq_len, features)), layer(units), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(batch_size * batches, seq_len, features)).astype("float32")
    y = rng.normal(size=(batch_size * batches, 1)).astype("float32")
    result = {"cell": cell, "seq_len": seq_len, "units": units, "batch_size": batch_size, "features": features,
              "params": model.count_params(), "trained": train}
    model.predict(x[:batch_size], batch_size=batch_size, verbose=0)
    if not train:
        return result | {"process_peak_mb": _peak_rss_mb()}
    model.fit(x[:batch_size], y[:batch_size], batch_size=batch_size, verbose=0)  # build and trace
    train_speed, infer_speed = [], []
    for _ in range(repeats):
        with Measure() as run:
            model.fit(x, y, batch_size=batch_size, verbose=0)
        train_speed.append(len(x) / run.seconds)
        with Measure() as run:
            model.predict(x, batch_size=batch_size, verbose=0)
        infer_speed.append(len(x) / run.seconds)
    return result | {
        "train_samples_per_second": float(np.median(train_speed)),
        "inference_samples_per_second": float(np.median(infer_speed)),
        "train_samples_per_second_repeats": train_speed,
        "inference_samples_per_second_repeats": infer_speed,
        "process_peak_mb": _peak_rss_mb(),
    }


def benchmark_in_subprocess(cell, seq_len, units, batch_size=64, features=32, batches=5, repeats=1, train=True,
                            timeout=600) -> dict:
    """Run :func:`benchmark_cell` in a fresh Python process and return its result."""
    args = json.dumps(_check(cell, seq_len, units, batch_size, features, batches, repeats, train))
    if timeout is not None:
        timeout = positive_seconds(timeout, "timeout")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "utils.benchmark", args], capture_output=True, text=True,
                          timeout=timeout, env=os.environ | {"TF_CPP_MIN_LOG_LEVEL": "3"})
    if done.returncode != 0:
        raise RuntimeError(f"benchmark of {cell} (seq_len={seq_len}, units={units}) failed:\n{done.stderr[-2000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_seconds"] = time.perf_counter() - started
    return result


def _sizes(values, name) -> list:
    """``values`` as a non-empty list of positive integers (sequence lengths or widths)."""
    if isinstance(values, str | bytes) or not hasattr(values, "__iter__"):
        raise ArgumentTypeError(f"{name} must be a list of positive integers, got {describe(values)}")
    values = [positive_int(value, f"{name}[{i}]") for i, value in enumerate(values)]
    if not values:
        raise ValueError(f"{name} must name at least one size, got an empty list")
    return values


def _measurer(benchmark):
    if not callable(benchmark):
        raise ArgumentTypeError(f"benchmark must be a function such as benchmark_in_subprocess or benchmark_cell, "
                                f"got {describe(benchmark)}")


def _cells(cells) -> list:
    if isinstance(cells, str) or not hasattr(cells, "__iter__"):
        raise ArgumentTypeError(f"cells must be a list of cell keys from {CELLS}, got {describe(cells)}")
    cells = list(cells)
    unknown = [cell for cell in cells if cell not in CELLS]
    if unknown or not cells:
        raise ValueError(f"cells must be one or more of {CELLS}, got {cells!r}")
    return cells


def _bench(bench, needs=SPEED_COLUMNS):
    """``bench`` if it is :func:`benchmark_grid`'s table with the columns ``needs``, else a clear error."""
    import pandas as pd

    if not isinstance(bench, pd.DataFrame):
        raise ArgumentTypeError(f"bench must be benchmark_grid()'s DataFrame, got {describe(bench)}")
    missing = [column for column in ("cell", "seq_len", "units", *needs) if column not in bench.columns]
    if missing:
        raise ValueError(f"bench lacks the column(s) {missing}: pass benchmark_grid()'s table, which has "
                         f"{list(bench.columns)}")
    if bench.empty:
        raise ValueError("bench has no rows: benchmark at least one configuration first")
    return bench


def _at_width(bench, units):
    """The rows of ``bench`` at width ``units``, indexed by (seq_len, cell) and sorted."""
    units = positive_int(units, "units")
    rows = bench[bench["units"] == units]
    if rows.empty:
        raise ValueError(f"no configuration of width {units} in bench; its widths are "
                         f"{sorted(bench['units'].unique().tolist())}")
    return rows.set_index(["seq_len", "cell"]).sort_index()


def benchmark_grid(benchmark, lengths, units, *, batches, repeats, cells=CELLS):
    """Measure every (cell, sequence length, width) with ``benchmark`` (:func:`benchmark_in_subprocess` or
    :func:`benchmark_cell`), in the order cells, then lengths, then widths.

    Returns a DataFrame, one row per configuration: ``benchmark``'s result plus ``train_range``, the training
    repeats' max − min in samples per second."""
    import pandas as pd

    _measurer(benchmark)
    cells, lengths, units = _cells(cells), _sizes(lengths, "lengths"), _sizes(units, "units")
    bench = pd.DataFrame([benchmark(cell, seq_len, width, batches=batches, repeats=repeats)
                          for cell in cells for seq_len in lengths for width in units])
    bench["train_range"] = bench["train_samples_per_second_repeats"].map(lambda v: max(v) - min(v))
    return bench


def speed_table(bench):
    """Parameters, median training speed, the training repeats' range and median inference speed (samples/s),
    indexed by (cell, seq_len, units), rounded to 0.1."""
    bench = _bench(bench, ("params", "train_samples_per_second", "inference_samples_per_second"))
    if "train_range" not in bench.columns:
        raise ValueError("bench lacks the column 'train_range': build it with benchmark_grid()")
    return bench.set_index(["cell", "seq_len", "units"])[
        ["params", "train_samples_per_second", "train_range", "inference_samples_per_second"]].round(1)


def plot_speeds(bench, units):
    """Training and inference samples/s against sequence length (log-log), one line per cell, at width ``units``.
    Returns the figure."""
    import matplotlib.pyplot as plt

    bench = _bench(bench, ("train_samples_per_second", "inference_samples_per_second"))
    _at_width(bench, units)
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
    for cell, part in bench[bench["units"] == units].groupby("cell"):
        axes[0].loglog(part["seq_len"], part["train_samples_per_second"], marker="o", label=cell)
        axes[1].loglog(part["seq_len"], part["inference_samples_per_second"], marker="o", label=cell)
    axes[0].set(xlabel="sequence length", ylabel="training samples / s", title=f"Training, {units} units")
    axes[1].set(xlabel="sequence length", ylabel="inference samples / s", title=f"Inference, {units} units")
    for ax in axes:
        ax.grid(alpha=0.3, which="both")
        ax.legend(fontsize="small")
    plt.tight_layout()
    return fig


def stored_configurations(bench) -> dict:
    """The grid as lesson 08 stores it in ``results/choosing_a_cell.json``: ``{"<cell>_len<L>_u<units>": {params,
    median speeds, every repeat, process peak MB}}`` (what ``utils.claims.decide_c6`` reads)."""
    bench = _bench(bench, ("params", *SPEED_COLUMNS, "process_peak_mb"))
    return {f"{r['cell']}_len{r['seq_len']}_u{r['units']}": {key: r[key] for key in (
        "params", "train_samples_per_second", "inference_samples_per_second",
        "train_samples_per_second_repeats", "inference_samples_per_second_repeats",
        "process_peak_mb")} for r in bench.to_dict(orient="records")}


def training_speed_ratios(bench):
    """Per (seq_len, units): how many times faster the SimpleRNN trained than the GRU, and the GRU than the LSTM,
    each configuration's fastest repeat against the other's (timing noise only ever slows a run)."""
    import pandas as pd

    bench = _bench(bench, ("train_samples_per_second_repeats",))
    fastest = bench.assign(fastest=bench["train_samples_per_second_repeats"].map(max)).pivot_table(
        index=["seq_len", "units"], columns="cell", values="fastest")
    missing = [cell for cell in CELLS if cell not in fastest.columns]
    if missing:
        raise ValueError(f"bench has no configuration of {missing}: the ratios need all of {CELLS}")
    return pd.DataFrame({"simple_rnn / gru": fastest["simple_rnn"] / fastest["gru"],
                         "gru / lstm": fastest["gru"] / fastest["lstm"]})


def speeds_at_width(bench, units):
    """At width ``units``, per (seq_len, cell): median training and inference samples/s and their ratio
    (inference over training)."""
    import pandas as pd

    middle = _at_width(_bench(bench), units)
    return pd.DataFrame({
        "training samples/s": middle["train_samples_per_second"],
        "inference samples/s": middle["inference_samples_per_second"],
        "inference / training": middle["inference_samples_per_second"] / middle["train_samples_per_second"]})


def inference_order(bench, units, lengths, pairs=(("simple_rnn", "gru"), ("gru", "lstm"))) -> list:
    """Is the first cell of each pair faster at inference than the second, at width ``units`` and each length?

    The noise rule (``utils.verdicts.compare``) on the log of the repeats' samples/s, equal within ±5%, the
    repeats counted as runs; all the comparisons are one family (``correct``). Returns ``[((length, a, b),
    Comparison), ...]`` in the order lengths, then pairs."""
    import numpy as np

    from utils.verdicts import compare, correct

    middle = _at_width(_bench(bench), units)
    lengths = _sizes(lengths, "lengths")
    wanted = [(length, cell) for length in lengths for pair in pairs for cell in pair]
    absent = [key for key in wanted if key not in middle.index]
    if absent:
        raise ValueError(f"bench has no configuration (seq_len, cell) {absent[0]} at width {units}")
    keys = [(length, a, b) for length in lengths for a, b in pairs]
    found = correct([compare(np.log(middle.loc[(length, a), "inference_samples_per_second_repeats"]),
                             np.log(middle.loc[(length, b), "inference_samples_per_second_repeats"]),
                             names=(a, b), margin=np.log(1.05), runs="repeats")
                     for length, a, b in keys])
    return list(zip(keys, found))


def training_memory(benchmark, seq_len, units, *, repeats, cells=CELLS) -> dict:
    """Training memory of each cell at one configuration, each measurement in its own process.

    Per cell, ``repeats`` processes that only build the model and run it once, then ``repeats`` that also
    train (2 batches). Returns ``{cell: {"build_only_peak_mb": [...], "train_peak_mb": [...], "train_mb":
    [...]}}``, where ``train_mb`` is a training peak minus the mean build-only peak (what ``decide_c8`` reads)."""
    import numpy as np

    _measurer(benchmark)
    cells, repeats = _cells(cells), positive_int(repeats, "repeats")
    memory_runs = {}
    for cell in cells:
        built = [benchmark(cell, seq_len, units, batches=2, train=False)["process_peak_mb"] for _ in range(repeats)]
        trained = [benchmark(cell, seq_len, units, batches=2)["process_peak_mb"] for _ in range(repeats)]
        memory_runs[cell] = {"build_only_peak_mb": built, "train_peak_mb": trained,
                             "train_mb": [t - float(np.mean(built)) for t in trained]}
    return memory_runs


def memory_table(memory_runs):
    """Per cell: mean build-only peak, mean training peak, mean training need and the needs' range (MB, 0.1)."""
    import numpy as np
    import pandas as pd

    keys = ("build_only_peak_mb", "train_peak_mb", "train_mb")
    if not isinstance(memory_runs, dict) or not memory_runs:
        raise ArgumentTypeError(f"memory_runs must be training_memory()'s dict of cell -> runs, "
                                f"got {describe(memory_runs)}")
    for cell, runs in memory_runs.items():
        if not isinstance(runs, dict) or any(not runs.get(key) for key in keys):
            raise ValueError(f"memory_runs[{cell!r}] must hold non-empty lists {keys}, got {describe(runs)}")
        if not all(isinstance(v, int | float) and math.isfinite(v) for key in keys for v in runs[key]):
            raise ValueError(f"memory_runs[{cell!r}] must hold finite numbers of MB")
    return pd.DataFrame({cell: {"build-only peak MB": np.mean(r["build_only_peak_mb"]),
                                "training peak MB": np.mean(r["train_peak_mb"]),
                                "training needs MB": np.mean(r["train_mb"]),
                                "range over repeats MB": max(r["train_mb"]) - min(r["train_mb"])}
                         for cell, r in memory_runs.items()}).T.round(1)


if __name__ == "__main__":
    print(json.dumps(benchmark_cell(*json.loads(sys.argv[1]))))
