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
"""

import json
import os
import subprocess
import sys
import time

from utils.checks import describe, flag, positive_int, positive_seconds

CELLS = ("simple_rnn", "lstm", "gru")


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


if __name__ == "__main__":
    print(json.dumps(benchmark_cell(*json.loads(sys.argv[1]))))
