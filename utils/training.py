"""Train a compiled classifier with early stopping and record what it cost.

The model, its layers and its ``compile`` call stay in the notebook; this is only the bookkeeping that
lessons 04 and 05 share: the stopping rule, the clock, the memory watch and the test score.
"""

import keras
import numpy as np

from utils.checks import ArgumentTypeError, describe, is_int
from utils.measure import Measure


def _metric_names(config):
    """The metric names in a compile config's ``metrics`` (strings, metric configs, lists, dicts)."""
    if isinstance(config, str):
        yield config
    elif isinstance(config, dict) and isinstance(config.get("config"), dict):
        yield config["config"].get("name")
    elif isinstance(config, dict | list | tuple):
        for item in config.values() if isinstance(config, dict) else config:
            yield from _metric_names(item)


def _reports_accuracy(model) -> bool:
    """False when the model's compile call certainly has no metric named ``accuracy``."""
    try:
        config = model.get_compile_config()
    except Exception:  # a compile config that cannot be serialised: the check after fit decides
        return True
    if not isinstance(config, dict):
        return True
    names = set(_metric_names([config.get("metrics"), config.get("weighted_metrics")]))
    return "accuracy" in names


def _check_split(name, split):
    if not isinstance(split, tuple | list) or len(split) != 2:
        raise ArgumentTypeError(f"{name} must be an (x, y) pair, got {describe(split)}")
    x, y = split
    if not hasattr(x, "__len__") or not hasattr(y, "__len__"):
        raise ArgumentTypeError(f"{name} must be an (x, y) pair of arrays, got ({describe(x)}, {describe(y)})")
    if len(x) != len(y) or len(x) == 0:
        raise ValueError(f"{name} must be a non-empty (x, y) pair of equal length, got {len(x)} inputs and "
                         f"{len(y)} targets")
    for part, array in (("x", x), ("y", y)):
        if isinstance(array, np.ndarray) and array.dtype.kind == "f" and not np.isfinite(array).all():
            raise ValueError(f"{name} {part} contains NaN or infinite values")


def fit_and_score(model, train, validation, test, *, epochs, batch_size=64, patience=2, verbose=2):
    """Fit ``model`` with early stopping on validation accuracy, then score it on the test split.

    ``train``, ``validation`` and ``test`` are ``(x, y)`` pairs. The model must already be compiled with
    ``metrics=["accuracy"]``. Training stops once validation accuracy has not improved for ``patience``
    epochs and the weights of the best epoch are restored before the test split is scored.

    Returns ``(history, record)``; ``record`` is the per-model entry of the results schema::

        {"params", "train_seconds", "epochs", "seconds_per_epoch", "peak_memory_mb", "test": {"accuracy"}}
    """
    if not isinstance(model, keras.Model):
        raise ArgumentTypeError(f"model must be a compiled Keras model, got {describe(model)}")
    if not model.compiled:
        raise ValueError("compile the model first, with metrics=['accuracy']")
    if not _reports_accuracy(model):
        raise ValueError("the model reports no accuracy: compile it with metrics=['accuracy']")
    if not is_int(epochs) or epochs < 1:
        raise ValueError(f"epochs must be a positive integer, got {describe(epochs)}")
    if not is_int(batch_size) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {describe(batch_size)}")
    if not is_int(patience) or patience < 0:
        raise ValueError(f"patience must be a non-negative integer, got {describe(patience)}")
    if verbose not in (0, 1, 2, "auto"):
        raise ValueError(f"verbose must be 0, 1, 2 or 'auto', got {describe(verbose)}")
    epochs, batch_size, patience = int(epochs), int(batch_size), int(patience)
    for name, split in (("train", train), ("validation", validation), ("test", test)):
        _check_split(name, split)

    stop = keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=patience, restore_best_weights=True)
    with Measure() as run:
        history = model.fit(*train, validation_data=validation, epochs=epochs, batch_size=batch_size,
                            callbacks=[stop], verbose=verbose)
    if "val_accuracy" not in history.history:
        raise ValueError("the model reports no accuracy: compile it with metrics=['accuracy']")
    scores = model.evaluate(*test, batch_size=batch_size, verbose=0, return_dict=True)
    epochs_run = len(history.history["loss"])
    record = {
        "params": model.count_params(),
        "train_seconds": run.seconds,
        "epochs": epochs_run,
        "seconds_per_epoch": run.seconds / epochs_run,
        "peak_memory_mb": run.peak_mb,
        "test": {"accuracy": float(scores["accuracy"])},
    }
    return history, record
