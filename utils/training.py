"""Train a compiled classifier with early stopping and record what it cost.

The model, its layers and its ``compile`` call stay in the notebook; this is only the bookkeeping that
lessons 04 and 05 share: the stopping rule, the clock, the memory watch and the test score.
"""

import math
import time

import keras
import numpy as np

from utils.checks import ArgumentTypeError, describe, is_int, is_real
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


def _is_dataset(split) -> bool:
    import tensorflow as tf

    return isinstance(split, tf.data.Dataset)


def _check_split(name, split):
    if _is_dataset(split):
        spec = split.element_spec
        if not isinstance(spec, tuple) or len(spec) != 2:
            raise ValueError(f"{name} must yield (x, y) batches, got elements of {spec}")
        return
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


class TrainingClock(keras.callbacks.Callback):
    """A clock for ``model.fit`` that counts only the seconds spent on training batches (not validation).

    ``train_seconds[k]`` is the training time after epoch ``k + 1``. The first batch is not counted: it
    mostly traces and compiles the training step, which costs different cells different seconds once.
    With ``budget_seconds`` training stops
    once that much training time is spent (the ``epochs`` given to ``fit`` are then an upper bound). With
    ``peak_learning_rate`` as well, the learning rate follows a cosine from that peak down to zero over the
    budget, by elapsed training time instead of by step, so that a fixed time budget ends with a small step.
    ``schedule_seconds`` (default: the budget) sets a longer span for that cosine: a run that stops at
    ``budget_seconds`` and is continued later (raise ``budget_seconds`` and call ``fit`` again with the same
    clock) then follows one schedule, as successive halving's survivors do (``utils.tuning``).
    """

    def __init__(self, budget_seconds=None, peak_learning_rate=None, schedule_seconds=None):
        super().__init__()
        if budget_seconds is not None and (not is_real(budget_seconds) or not budget_seconds > 0
                                           or budget_seconds == float("inf")):
            raise ValueError(f"budget_seconds must be a positive number of seconds or None, got "
                             f"{describe(budget_seconds)}")
        if peak_learning_rate is not None:
            if budget_seconds is None:
                raise ValueError("peak_learning_rate needs budget_seconds: the cosine runs over the budget")
            if not is_real(peak_learning_rate) or not 0 < peak_learning_rate < 1:
                raise ValueError(f"peak_learning_rate must be a number between 0 and 1, got "
                                 f"{describe(peak_learning_rate)}")
        if schedule_seconds is not None and (peak_learning_rate is None or not is_real(schedule_seconds)
                                             or not 0 < schedule_seconds < float("inf")
                                             or schedule_seconds < budget_seconds):
            raise ValueError(f"schedule_seconds must be a number of seconds no shorter than the budget, with "
                             f"peak_learning_rate, got {describe(schedule_seconds)}")
        self.budget_seconds, self.peak_learning_rate = budget_seconds, peak_learning_rate
        self.schedule_seconds = schedule_seconds or budget_seconds
        self.train_seconds, self.total, self._batches = [], 0.0, 0

    def on_train_batch_begin(self, batch, logs=None):
        if self.peak_learning_rate is not None:
            progress = min(self.total / self.schedule_seconds, 1.0)
            rate = self.peak_learning_rate * 0.5 * (1 + math.cos(math.pi * progress))
            self.model.optimizer.learning_rate.assign(rate)
        self._started = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        self._batches += 1
        if self._batches > 1:  # the first batch traces the step
            self.total += time.perf_counter() - self._started
        if self.budget_seconds is not None and self.total >= self.budget_seconds:
            self.model.stop_training = True

    def on_epoch_end(self, epoch, logs=None):
        self.train_seconds.append(self.total)


class MinEpochsEarlyStopping(keras.callbacks.EarlyStopping):
    """Keras' ``EarlyStopping`` that watches from the first epoch but cannot stop a run before ``min_epochs``
    epochs: the best weights may come from any epoch, early ones included."""

    def __init__(self, min_epochs=0, **kwargs):
        super().__init__(**kwargs)
        self.min_epochs = int(min_epochs)

    def on_epoch_end(self, epoch, logs=None):
        super().on_epoch_end(epoch, logs)
        if self.model.stop_training and epoch + 1 < self.min_epochs:
            self.model.stop_training = False  # too early: keep training, keep counting the patience
            self.stopped_epoch = 0


def fit_and_score(model, train, validation, test, *, epochs, batch_size=64, patience=2, min_epochs=0, verbose=2):
    """Fit ``model`` with early stopping on validation accuracy, then score it on the test split.

    ``train``, ``validation`` and ``test`` are ``(x, y)`` pairs of arrays, or ``tf.data`` datasets of
    ``(x, y)`` batches (e.g. from ``utils.text.bucket_by_length``; ``batch_size`` then does not apply).
    The model must already be compiled with ``metrics=["accuracy"]``. Training stops once validation
    accuracy has not improved for ``patience`` epochs and the weights of the best epoch are restored before
    the test split is scored. Early stopping cannot end a run before ``min_epochs`` epochs have run, so a slow
    starter that has not begun to learn is not stopped before it starts; the best epoch is still chosen among
    all epochs, the first ones included (unlike Keras' ``start_from_epoch``, which ignores them).

    Returns ``(history, record)``; ``record`` is the per-model entry of the results schema::

        {"params", "train_seconds", "epochs", "seconds_per_epoch", "peak_memory_mb", "best_epoch",
         "curve": [[training seconds so far, validation accuracy], ...] (one per epoch), "test": {"accuracy"}}
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
    if not is_int(min_epochs) or not 0 <= min_epochs <= epochs:
        raise ValueError(f"min_epochs must be an integer from 0 to epochs ({epochs}), got {describe(min_epochs)}")
    if verbose not in (0, 1, 2, "auto"):
        raise ValueError(f"verbose must be 0, 1, 2 or 'auto', got {describe(verbose)}")
    epochs, batch_size, patience = int(epochs), int(batch_size), int(patience)
    for name, split in (("train", train), ("validation", validation), ("test", test)):
        _check_split(name, split)

    stop = MinEpochsEarlyStopping(int(min_epochs), monitor="val_accuracy", patience=patience,
                                  restore_best_weights=True)
    clock = TrainingClock()
    if _is_dataset(train):
        fit_args = {"x": train, "shuffle": False}  # a dataset shuffles itself
    else:
        fit_args = {"x": train[0], "y": train[1], "batch_size": batch_size}
    with Measure() as run:
        history = model.fit(**fit_args, validation_data=validation, epochs=epochs, callbacks=[stop, clock],
                            verbose=verbose)
    if "val_accuracy" not in history.history:
        raise ValueError("the model reports no accuracy: compile it with metrics=['accuracy']")
    test_args = {"x": test} if _is_dataset(test) else {"x": test[0], "y": test[1], "batch_size": batch_size}
    scores = model.evaluate(**test_args, verbose=0, return_dict=True)
    epochs_run = len(history.history["loss"])
    record = {
        "params": model.count_params(),
        "train_seconds": run.seconds,
        "epochs": epochs_run,
        "seconds_per_epoch": run.seconds / epochs_run,
        "peak_memory_mb": run.peak_mb,
        "best_epoch": int(np.argmax(history.history["val_accuracy"])) + 1,
        "curve": [[round(seconds, 1), round(float(accuracy), 4)]
                  for seconds, accuracy in zip(clock.train_seconds, history.history["val_accuracy"])],
        "test": {"accuracy": float(scores["accuracy"])},
    }
    return history, record
