"""Per-item outcomes of every model and seed, stored next to the results so any verdict can be recomputed.

    save_predictions("sentiment", {"lstm": correct_per_seed, "tfidf_logreg": correct}, item="review")
    outcomes = load_predictions("sentiment")          # {"lstm": array [seeds, items], ...}

Each lesson stores, per model, an array ``[seeds, items]`` (or ``[items]`` for a deterministic baseline) of
outcomes on its test items, whose mean over items is the lesson's score: 1/0 for a review classified right or
wrong, the loss of a held-out sequence in nats per character, the squared error of a test day, the share of a
memory-task lag's tokens recalled. ``utils.verdicts.compare(..., items=...)`` reads them to count the test
set's sampling noise, and ``utils.claims`` decides the course's claims from them without training anything.

Full mode writes ``results/predictions/<lesson>.npz`` (committed); fast mode writes under ``results/fast/``
(ignored by git). Files are written atomically: an interrupted run leaves the previous file intact.
"""

import json
import zipfile
from pathlib import Path

import numpy as np

from utils.checks import ArgumentTypeError, describe
from utils.results import RESULTS_DIR, _check_lesson, replace_atomically, restore_hint, shown_path
from utils.runmode import run_mode

__all__ = ["load_predictions", "predictions_path", "save_predictions"]

PRECISIONS = ("float16", "float32", "float64")


def predictions_path(lesson: str, mode: str | None = None) -> Path:
    """Where the per-item outcomes of ``lesson`` live in ``mode`` (default: the current run mode)."""
    _check_lesson(lesson)
    mode = run_mode() if mode is None else mode
    if mode not in ("full", "fast"):
        raise ValueError(f"mode must be 'full' or 'fast', got {describe(mode)}")
    return (RESULTS_DIR if mode == "full" else RESULTS_DIR / "fast") / "predictions" / f"{lesson}.npz"


def save_predictions(lesson: str, outcomes: dict, *, item: str, precision="float32") -> Path:
    """Store ``outcomes`` (model key -> array ``[seeds, items]`` or ``[items]``) for ``lesson``; return the path.

    ``item`` names what one column is ("review", "sequence", "day", ...). All arrays must cover the same
    items (same last dimension) and be finite. Stored as float32 (``precision``: "float16", "float32" or
    "float64"; an integer type would cut losses to whole numbers) in a compressed ``.npz``.
    """
    if not isinstance(outcomes, dict) or not outcomes:
        raise ArgumentTypeError(f"outcomes must be a non-empty dict of model key -> array, got {describe(outcomes)}")
    if not isinstance(item, str) or not item.strip():
        raise ArgumentTypeError(f"item must name what one column is, e.g. 'review', got {describe(item)}")
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS} (a float type: an integer one would cut losses to "
                         f"whole numbers), got {describe(precision)}")
    arrays, n_items = {}, None
    for key, value in outcomes.items():
        if not isinstance(key, str) or not key.isidentifier():
            raise ValueError(f"model keys must be names like 'lstm', got {describe(key)}")
        array = np.asarray(value)
        if array.dtype.kind not in "biuf" or array.ndim not in (1, 2) or array.size == 0:
            raise ArgumentTypeError(f"outcomes[{key!r}] must be a [seeds, items] or [items] array of numbers, "
                                    f"got shape {array.shape} of {array.dtype}")
        if not np.isfinite(array.astype("float64")).all():
            raise ValueError(f"outcomes[{key!r}] holds non-finite values")
        if n_items is not None and array.shape[-1] != n_items:
            raise ValueError(f"outcomes[{key!r}] covers {array.shape[-1]} items, the others {n_items}: "
                             "every model must be scored on the same items")
        n_items = array.shape[-1]
        arrays[key] = array.astype(precision)
    meta = json.dumps({"lesson": lesson, "mode": run_mode(), "item": item, "models": sorted(arrays)})
    path = predictions_path(lesson)

    def write(temporary: Path):
        with open(temporary, "wb") as handle:
            np.savez_compressed(handle, __meta__=np.array(meta), **arrays)

    return replace_atomically(path, write)


def load_predictions(lesson: str, mode: str = "full") -> dict:
    """The stored per-item outcomes of ``lesson``: model key -> float64 array; ``"__item__"`` names the items."""
    path = predictions_path(lesson, mode)
    if not path.is_file():
        restore = "" if mode == "fast" else f", or restore the committed file: git checkout -- {shown_path(path)}"
        raise FileNotFoundError(f"no per-item outcomes for lesson {lesson!r} in {mode} mode "
                                f"({shown_path(path)}); run that lesson's notebook first{restore}")
    try:
        with np.load(path, allow_pickle=False) as stored:
            if "__meta__" not in stored.files:
                raise ValueError("it has no __meta__ entry (save_predictions writes one)")
            meta = json.loads(str(stored["__meta__"]))
            if not isinstance(meta, dict) or not isinstance(meta.get("item"), str):
                raise ValueError(f"its __meta__ does not name the items: {describe(meta)}")
            out = {key: stored[key].astype("float64") for key in stored.files if key != "__meta__"}
    except (OSError, EOFError, ValueError, TypeError, KeyError, zipfile.BadZipFile) as error:
        reason = str(error).strip() or type(error).__name__  # json's errors and np.load's are ValueErrors
        raise ValueError(f"{shown_path(path)} is damaged: not per-item outcomes as save_predictions writes them "
                         f"({reason}); {restore_hint(path)}") from None
    return out | {"__item__": meta["item"]}
