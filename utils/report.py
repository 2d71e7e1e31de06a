"""Tables, charts and the results report built from ``results/<lesson>.json``.

The capstone notebook, ``tools/run_course.py`` (results/REPORT.md) and the README's reference-results
table all read the lessons' results through these functions, so they always agree.
"""

import json
from pathlib import Path

import pandas as pd

from utils.results import RESULTS_DIR

# For each task lesson: the metric that ranks its models, its unit, and whether higher is better.
TASKS = {
    "sentiment": {"title": "IMDB sentiment", "metric": "test.accuracy", "label": "test accuracy",
                  "higher_is_better": True, "also": ("sentiment_deeper",)},
    "text_generation": {"title": "Shakespeare, character level", "metric": "test.loss_nats_per_char",
                        "label": "test loss (nats/char)", "higher_is_better": False},
    "stock_forecasting": {"title": "S&P 500 next-day close", "metric": "test.rmse_ratio_to_persistence",
                          "label": "test RMSE / persistence", "higher_is_better": False},
}


def _dig(record: dict, dotted: str):
    value = record
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def collect_results(mode: str = "full", results_dir: Path | None = None) -> dict:
    """``{lesson: payload}`` for every results file present (full mode: results/, fast: results/fast/)."""
    if mode not in ("full", "fast"):
        raise ValueError(f"mode must be 'full' or 'fast', got {mode!r}")
    folder = Path(results_dir or RESULTS_DIR)
    folder = folder if mode == "full" else folder / "fast"
    found = {}
    for path in sorted(folder.glob("*.json")):
        payload = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(payload, dict) and "lesson" in payload:
            found[payload["lesson"]] = payload
    return found


def task_table(payload: dict, metric: str) -> pd.DataFrame:
    """One row per model and baseline: the metric, train seconds, parameters and peak memory (MB)."""
    rows = {}
    for kind in ("models", "baselines"):
        for name, record in (payload.get(kind) or {}).items():
            rows[name] = {
                "kind": "model" if kind == "models" else "baseline",
                metric: _dig(record, metric),
                "train_seconds": record.get("train_seconds"),
                "params": record.get("params"),
                "peak_memory_mb": record.get("peak_memory_mb"),
            }
    if not rows:
        raise ValueError(f"lesson {payload.get('lesson')!r} has no models or baselines")
    return pd.DataFrame(rows).T


def combined_task_table(results: dict, lesson: str) -> pd.DataFrame:
    """:func:`task_table` of a task lesson plus the lessons that extend it (e.g. sentiment_deeper)."""
    spec = TASKS[lesson]
    tables = [task_table(results[lesson], spec["metric"])]
    tables += [task_table(results[extra], spec["metric"]) for extra in spec.get("also", ()) if extra in results]
    return pd.concat(tables)


def _fmt(value, digits=3):
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}" if abs(value) < 100 else f"{value:,.0f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def frame_markdown(table: pd.DataFrame) -> str:
    """A DataFrame as a Markdown table (index first), numbers formatted for reading."""
    header = ["", *map(str, table.columns)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, row in table.iterrows():
        lines.append("| " + " | ".join([str(name), *(_fmt(v) for v in row)]) + " |")
    return "\n".join(lines)


def reference_table_markdown(results: dict) -> str:
    """The README's reference-results table: per task, each model's metric and training time."""
    lines = ["| task | metric | model | result | train s | params |", "|---|---|---|---|---|---|"]
    for lesson, spec in TASKS.items():
        if lesson not in results:
            lines.append(f"| {spec['title']} | {spec['label']} | – | not run yet | | |")
            continue
        table = combined_task_table(results, lesson)
        for name, row in table.iterrows():
            if row[spec["metric"]] is None:
                continue
            lines.append(f"| {spec['title']} | {spec['label']} | {name} | {_fmt(row[spec['metric']])} | "
                         f"{_fmt(row['train_seconds'], 0)} | {_fmt(row['params'])} |")
    if "memory_span" in results:
        for name, record in results["memory_span"]["models"].items():
            lines.append(f"| memory span (recall after T steps) | longest T with ≥ 90% accuracy | {name} | "
                         f"{_fmt(record.get('longest_lag_solved'))} | {_fmt(record.get('train_seconds'), 0)} | "
                         f"{_fmt(record.get('params'))} |")
    return "\n".join(lines)


def plot_task(results: dict, lesson: str, ax=None):
    """A bar chart of one task's ranking metric (with the lessons that extend it), baselines in grey."""
    from utils.plots import plot_bars

    spec = TASKS[lesson]
    table = combined_task_table(results, lesson).dropna(subset=[spec["metric"]])
    values = {name: float(v) for name, v in table[spec["metric"]].items()}
    baselines = [name for name in table.index if table.loc[name, "kind"] == "baseline"]
    return plot_bars(values, ylabel=spec["label"], title=spec["title"], ax=ax, highlight=baselines)
