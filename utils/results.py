"""Write and read ``results/<lesson>.json``, the numbers each lesson measured.

Full-mode runs write ``results/<lesson>.json`` (committed; the capstone and README read them).
Fast-mode runs write ``results/fast/<lesson>.json`` (ignored by git), so a test run never
replaces the committed numbers.
"""

import json
import re
from pathlib import Path

from utils.environment import machine_info, wall_seconds
from utils.runmode import run_mode

RESULTS_DIR = Path(__file__).resolve().parents[1] / "results"
_LESSON = re.compile(r"^[a-z][a-z0-9_]*$")


def _path(lesson: str, mode: str) -> Path:
    if not isinstance(lesson, str) or not _LESSON.match(lesson):
        raise ValueError(f"lesson must be a lower-case name like 'sentiment', got {lesson!r}")
    if mode not in ("full", "fast"):
        raise ValueError(f"mode must be 'full' or 'fast', got {mode!r}")
    return (RESULTS_DIR if mode == "full" else RESULTS_DIR / "fast") / f"{lesson}.json"


def _rounded(value):
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(item) for item in value]
    if hasattr(value, "item"):  # NumPy scalars
        return _rounded(value.item())
    return value


def save_results(lesson: str, models: dict, baselines: dict | None = None, **extra) -> Path:
    """Write this run's results in the course schema and return the file written.

    ``models`` maps model keys (``simple_rnn``, ``lstm``, ``gru``, …) to their numbers, e.g.
    ``{"params": 123, "train_seconds": 4.2, "test": {"accuracy": 0.9}}``; ``baselines`` likewise.
    Extra keyword arguments are stored as top-level fields.
    """
    if not isinstance(models, dict) or not models:
        raise ValueError("models must be a non-empty dict of model key -> numbers")
    mode = run_mode()
    payload = {
        "lesson": lesson,
        "mode": mode,
        "machine": machine_info(),
        "wall_seconds": round(wall_seconds(), 1),
        "models": models,
        "baselines": baselines or {},
    } | extra
    path = _path(lesson, mode)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_rounded(payload), indent=2) + "\n", encoding="utf-8")
    return path


def load_results(lesson: str, mode: str = "full") -> dict:
    """Read ``results/<lesson>.json`` (or the fast-mode copy with ``mode="fast"``)."""
    path = _path(lesson, mode)
    if not path.is_file():
        raise FileNotFoundError(
            f"no results for lesson {lesson!r} in {mode} mode ({path.relative_to(RESULTS_DIR.parent)}); "
            "run that lesson's notebook first"
        )
    return json.loads(path.read_text(encoding="utf-8"))
