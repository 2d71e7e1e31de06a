"""Write and read ``results/<lesson>.json``, the numbers each lesson measured.

Full-mode runs write ``results/<lesson>.json`` (committed; the capstone and README read them).
Fast-mode runs write ``results/fast/<lesson>.json`` (ignored by git), so a test run never
replaces the committed numbers.
"""

import json
import math
import os
import re
import tempfile
from pathlib import Path

import numpy as np

from utils.checks import ArgumentTypeError, describe
from utils.environment import machine_info, wall_seconds
from utils.runmode import run_mode

RESULTS_DIR = Path(__file__).resolve().parents[1] / "results"
_LESSON = re.compile(r"[a-z][a-z0-9_]*")
RESERVED_FIELDS = ("lesson", "mode", "machine", "wall_seconds", "models", "baselines")


def _check_lesson(lesson):
    if not isinstance(lesson, str) or not _LESSON.fullmatch(lesson):
        raise ValueError(f"lesson must be a lower-case name like 'sentiment' (letters, digits, _), "
                         f"got {describe(lesson)}")


def _path(lesson: str, mode: str) -> Path:
    _check_lesson(lesson)
    if not isinstance(mode, str) or mode not in ("full", "fast"):
        raise ValueError(f"mode must be 'full' or 'fast', got {describe(mode)}")
    return (RESULTS_DIR if mode == "full" else RESULTS_DIR / "fast") / f"{lesson}.json"


def _rounded(value, where: str, finite: bool):
    """``value`` made JSON-ready: floats rounded to 6 decimals, NumPy values as Python ones.

    Non-finite floats are refused where ``finite`` (a model's or baseline's numbers) and stored as
    ``null`` elsewhere; keys must be strings and values JSON types, else the error names ``where``.
    """
    if isinstance(value, np.ndarray):
        return _rounded(value.tolist(), where, finite)
    if isinstance(value, np.generic):
        return _rounded(value.item(), where, finite)
    if isinstance(value, float):
        if not math.isfinite(value):
            if finite:
                raise ValueError(f"{where} is {value}: a model's or baseline's numbers must be finite "
                                 "(leave the entry out, or store None where nothing was measured)")
            return None
        return round(value, 6)
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                raise ArgumentTypeError(f"{where} has the key {describe(key)}; keys must be strings, e.g. str(key)")
        return {key: _rounded(item, f"{where}[{key!r}]", finite) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(item, f"{where}[{index}]", finite) for index, item in enumerate(value)]
    if value is None or isinstance(value, str | int):  # bool is an int
        return value
    if callable(getattr(value, "item", None)):  # scalars of other array libraries
        return _rounded(value.item(), where, finite)
    raise ArgumentTypeError(f"{where} is {describe(value)}, which JSON cannot store; "
                            "use numbers, strings, booleans, None, lists and dicts")


def _check_records(records, name):
    if not isinstance(records, dict):
        raise ArgumentTypeError(f"{name} must be a dict of name -> dict of numbers, got {describe(records)}")
    for key, record in records.items():
        if not isinstance(key, str) or not key:
            raise ArgumentTypeError(f"{name} keys must be non-empty strings, got {describe(key)}")
        if not isinstance(record, dict):
            raise ArgumentTypeError(f"{name}[{key!r}] must be a dict of numbers, got {describe(record)}")


def save_results(lesson: str, models: dict, baselines: dict | None = None, **extra) -> Path:
    """Write this run's results in the course schema and return the file written.

    ``models`` maps model keys (``simple_rnn``, ``lstm``, ``gru``, …) to their numbers, e.g.
    ``{"params": 123, "train_seconds": 4.2, "test": {"accuracy": 0.9}}``; ``baselines`` likewise.
    Extra keyword arguments are stored as top-level fields (not the reserved ones: lesson, mode,
    machine, wall_seconds, models, baselines). The numbers of ``models`` and ``baselines`` must be
    finite (NaN or inf is refused); in extra fields a NaN or inf is stored as ``null``.
    """
    _check_lesson(lesson)
    if not isinstance(models, dict) or not models:
        raise ValueError(f"models must be a non-empty dict of model key -> numbers, got {describe(models)}")
    _check_records(models, "models")
    if baselines is not None:
        _check_records(baselines, "baselines")
    reserved = sorted(set(extra) & set(RESERVED_FIELDS))
    if reserved:
        raise ValueError(f"extra fields {reserved} are reserved: save_results sets them itself; "
                         "choose other names")
    stored = {"models": models, "baselines": baselines or {}} | extra
    stored = {key: _rounded(value, key, finite=key in ("models", "baselines")) for key, value in stored.items()}
    mode = run_mode()
    payload = {
        "lesson": lesson,
        "mode": mode,
        "machine": _rounded(machine_info(), "machine", finite=False),
        "wall_seconds": round(wall_seconds(), 1),
    } | stored
    path = _path(lesson, mode)
    write_json_atomically(path, payload)
    return path


def replace_atomically(path: Path, write) -> Path:
    """Write a file through ``write(temporary_path)`` and rename it into ``path`` only when that succeeded.

    An interrupted run (a kernel restart, a full disk, Ctrl-C) leaves the previous file as it was, never a
    half-written one: the rename is atomic on one file system.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        write(Path(temporary))
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    return path


def write_json_atomically(path: Path, payload) -> Path:
    """``payload`` as indented JSON (no NaN) in ``path``, written atomically."""
    text = json.dumps(payload, indent=2, allow_nan=False) + "\n"
    return replace_atomically(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))


def load_results(lesson: str, mode: str = "full") -> dict:
    """Read ``results/<lesson>.json`` (or the fast-mode copy with ``mode="fast"``)."""
    path = _path(lesson, mode)
    if not path.is_file():
        restore = "" if mode == "fast" else f", or restore the committed file: git checkout -- {shown_path(path)}"
        raise FileNotFoundError(
            f"no results for lesson {lesson!r} in {mode} mode ({shown_path(path)}); "
            f"run that lesson's notebook first{restore}"
        )
    payload = read_json(path)
    if not isinstance(payload, dict) or payload.get("lesson") != lesson:
        raise ValueError(f"{path} is not the results of lesson {lesson!r}: it holds "
                         f"{describe(payload.get('lesson') if isinstance(payload, dict) else payload)}; "
                         f"{restore_hint(path)}")
    return payload


def read_json(path: Path):
    """The JSON in ``path``; a file that is not valid JSON raises a ``ValueError`` naming it."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValueError(f"{path} is not valid JSON ({error}); {restore_hint(path)}") from None


def shown_path(path) -> str:
    """``path`` relative to the repository (``results/sentiment.json``) when it lies in it, else as it is."""
    path = Path(path)
    try:
        return str(path.relative_to(RESULTS_DIR.parent))
    except ValueError:
        return str(path)


def restore_hint(path) -> str:
    """How to get a damaged stored file back, in words: a full-mode file is committed (``git checkout -- <file>``,
    or the lesson run again in full mode); a fast-mode one is written again by a fast-mode run of its lesson."""
    path = Path(path)
    if RESULTS_DIR / "fast" in path.parents:
        return "run that lesson's notebook again (fast mode) to write it anew"
    return f"restore it with git checkout -- {shown_path(path)} (or run that lesson's notebook again in full mode)"
