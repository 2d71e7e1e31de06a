"""Throughput and memory of one recurrent layer configuration, measured in a fresh process.

The capstone notebook calls :func:`benchmark_in_subprocess` for every (cell, sequence length, units)
so that each measurement starts from a clean process: TensorFlow's allocator keeps memory it has used,
so peak memory measured in a long-running kernel would mostly reflect earlier runs.

The benchmarked model is the smallest one that exercises the cell: ``Input([time, features]) → cell(units)
→ Dense(1)``, trained with Adam on mean squared error.
"""

import json
import os
import subprocess
import sys
import time

from utils.checks import describe, positive_int, positive_seconds

CELLS = ("simple_rnn", "lstm", "gru")


def _check(cell, seq_len, units, batch_size, features, batches):
    """The arguments as plain Python values, or a ValueError naming the first bad one."""
    if not isinstance(cell, str) or cell not in CELLS:
        raise ValueError(f"cell must be one of {CELLS}, got {describe(cell)}")
    return [cell] + [positive_int(value, name) for name, value in (
        ("seq_len", seq_len), ("units", units), ("batch_size", batch_size), ("features", features),
        ("batches", batches))]


def benchmark_cell(cell, seq_len, units, batch_size=64, features=32, batches=5) -> dict:
    """Train and predict on random data in this process; samples per second and memory in MB."""
    cell, seq_len, units, batch_size, features, batches = _check(cell, seq_len, units, batch_size, features, batches)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from utils.environment import quiet_tensorflow_import

    quiet_tensorflow_import()
    import keras
    import numpy as np

    from utils.measure import Measure, rss_bytes

    layer = {"simple_rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM, "gru": keras.layers.GRU}[cell]
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((seq_len, features)), layer(units), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(batch_size * batches, seq_len, features)).astype("float32")
    y = rng.normal(size=(batch_size * batches, 1)).astype("float32")
    model.fit(x[:batch_size], y[:batch_size], batch_size=batch_size, verbose=0)  # build and trace
    model.predict(x[:batch_size], batch_size=batch_size, verbose=0)
    before = rss_bytes()
    with Measure() as train:
        model.fit(x, y, batch_size=batch_size, verbose=0)
    with Measure() as infer:
        model.predict(x, batch_size=batch_size, verbose=0)
    return {
        "cell": cell, "seq_len": seq_len, "units": units, "batch_size": batch_size, "features": features,
        "params": model.count_params(),
        "train_samples_per_second": len(x) / train.seconds,
        "inference_samples_per_second": len(x) / infer.seconds,
        "process_peak_mb": max(train.peak_mb, infer.peak_mb),
        "ready_mb": before / 2**20,
        "train_added_mb": train.added_mb,
    }


def benchmark_in_subprocess(cell, seq_len, units, batch_size=64, features=32, batches=5, timeout=600) -> dict:
    """Run :func:`benchmark_cell` in a fresh Python process and return its result."""
    args = json.dumps(_check(cell, seq_len, units, batch_size, features, batches))
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
