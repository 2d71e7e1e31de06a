"""Train a compiled classifier with early stopping and record what it cost.

The model, its layers and its ``compile`` call stay in the notebook; this is only the bookkeeping that
lessons 04 and 05 share: the stopping rule, the clock, the memory watch and the test score.
"""

import keras

from utils.measure import Measure


def fit_and_score(model, train, validation, test, *, epochs, batch_size=64, patience=2, verbose=2):
    """Fit ``model`` with early stopping on validation accuracy, then score it on the test split.

    ``train``, ``validation`` and ``test`` are ``(x, y)`` pairs. The model must already be compiled with
    ``metrics=["accuracy"]``. Training stops once validation accuracy has not improved for ``patience``
    epochs and the weights of the best epoch are restored before the test split is scored.

    Returns ``(history, record)``; ``record`` is the per-model entry of the results schema::

        {"params", "train_seconds", "epochs", "seconds_per_epoch", "peak_memory_mb", "test": {"accuracy"}}
    """
    if not model.compiled:
        raise ValueError("compile the model first, with metrics=['accuracy']")
    if not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"epochs must be a positive integer, got {epochs!r}")
    if not isinstance(patience, int) or patience < 0:
        raise ValueError(f"patience must be a non-negative integer, got {patience!r}")
    for name, split in (("train", train), ("validation", validation), ("test", test)):
        if len(split) != 2 or len(split[0]) != len(split[1]) or len(split[0]) == 0:
            raise ValueError(f"{name} must be a non-empty (x, y) pair of equal length")

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
