"""Tables, charts and the results report built from ``results/<lesson>.json``.

The capstone notebook, ``tools/run_course.py`` (results/REPORT.md) and the README's reference-results
table all read the lessons' results through these functions, so they always agree.
"""

import os
from pathlib import Path
from statistics import median

import pandas as pd

from utils.checks import ArgumentTypeError, describe
from utils.results import RESULTS_DIR, read_json, restore_hint

# For each task lesson: the metric that ranks its models, its unit, and whether higher is better.
TASKS = {
    "sentiment": {"title": "IMDB sentiment", "metric": "test.accuracy", "label": "test accuracy",
                  "higher_is_better": True, "also": ("sentiment_deeper", "transformer_era")},
    "text_generation": {"title": "Shakespeare, character level", "metric": "test.loss_nats_per_char",
                        "label": "test loss (nats/char)", "higher_is_better": False,
                        "also": ("streaming_edge_counting",),
                        # lesson 10's cells are short edge runs on other sequences: only its Transformer joins
                        "only": {"streaming_edge_counting": ("transformer_chars",)}},
    "stock_forecasting": {"title": "S&P 500 next-day close", "metric": "test.rmse_ratio_to_persistence",
                          "label": "test RMSE / persistence", "higher_is_better": False},
}


# Lesson 03's three ways of training the recall task, as the README names them.
MEMORY_REGIMES = {"from_scratch": "trained from scratch at each T", "curriculum": "curriculum T = 5 … 1,000",
                  "trained_short": "trained at T = 5, tested further"}


def _dig(record: dict, dotted: str):
    value = record
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def collect_results(mode: str = "full", results_dir: Path | None = None) -> dict:
    """``{lesson: payload}`` for every results file present (full mode: results/, fast: results/fast/).

    ``results_dir`` (default: the course's results/) must exist; its fast/ subfolder may not yet. A file that is
    not valid JSON, or a lesson stored in two files, raises a ``ValueError`` naming the file.
    """
    found, damaged = collect_results_and_damage(mode, results_dir)
    if damaged:
        raise ValueError(next(iter(damaged.values())))
    return found


def collect_results_and_damage(mode: str = "full", results_dir: Path | None = None) -> tuple:
    """``(results, damaged)``: :func:`collect_results`'s ``{lesson: payload}`` of the readable files, and
    ``{lesson: why}`` for the lessons whose file cannot be read (named after the file for one that is not valid
    JSON), so that a reader of many lessons can go on without the damaged ones and say why."""
    if not isinstance(mode, str) or mode not in ("full", "fast"):
        raise ValueError(f"mode must be 'full' or 'fast', got {describe(mode)}")
    if results_dir is not None and not isinstance(results_dir, str | os.PathLike):
        raise ArgumentTypeError(f"results_dir must be a folder path or None, got {describe(results_dir)}")
    folder = Path(results_dir if results_dir is not None else RESULTS_DIR)
    if not folder.is_dir():
        raise FileNotFoundError(f"results_dir {str(folder)!r} is not an existing folder")
    folder = folder if mode == "full" else folder / "fast"
    found, sources, damaged = {}, {}, {}
    for path in sorted(folder.glob("*.json")):
        try:
            payload = read_json(path)
        except ValueError as error:
            damaged.setdefault(path.stem, str(error))
            continue
        if isinstance(payload, dict) and "lesson" in payload:
            lesson = payload["lesson"]
            if not isinstance(lesson, str):
                damaged.setdefault(path.stem, f"{path} has a lesson field {describe(lesson)}; expected the lesson's "
                                              f"name; {restore_hint(path)}")
            elif lesson in sources:
                damaged.setdefault(lesson, f"{sources[lesson].name} and {path.name} both hold results of lesson "
                                           f"{lesson!r}; remove the stale one")
                found.pop(lesson, None)
            else:
                found[lesson], sources[lesson] = payload, path
    return found, damaged


def task_table(payload: dict, metric: str) -> pd.DataFrame:
    """One row per model and baseline: the metric, train seconds, parameters and peak memory (MB)."""
    if not isinstance(payload, dict):
        raise ArgumentTypeError(f"payload must be a lesson's results dict, got {describe(payload)}")
    if not isinstance(metric, str) or not metric:
        raise ArgumentTypeError(f"metric must be a dotted name like 'test.accuracy', got {describe(metric)}")
    rows = {}
    for kind in ("models", "baselines"):
        records = payload.get(kind) or {}
        if not isinstance(records, dict):
            raise ArgumentTypeError(f"{kind} of lesson {payload.get('lesson')!r} must be a dict, "
                                    f"got {describe(records)}")
        for name, record in records.items():
            if not isinstance(record, dict):
                raise ArgumentTypeError(f"{kind}[{name!r}] of lesson {payload.get('lesson')!r} must be a dict, "
                                        f"got {describe(record)}")
            rows[name] = {
                "kind": "model" if kind == "models" else "baseline",
                metric: _dig(record, metric),
                "train_seconds": record.get("train_seconds"),
                "params": record.get("params"),
                "peak_memory_mb": record.get("peak_memory_mb"),
            }
    if not rows:
        raise ValueError(f"lesson {payload.get('lesson')!r} has no models or baselines")
    if all(row[metric] is None for row in rows.values()):
        raise ValueError(f"metric {metric!r} is in no model or baseline of lesson {payload.get('lesson')!r}; "
                         f"it has {sorted(_dotted_names(payload))}")
    return pd.DataFrame(rows).T


def _dotted_names(payload) -> set:
    """Every dotted name with a number in the lesson's models and baselines, for error messages."""
    def walk(value, prefix):
        if isinstance(value, dict):
            for key, item in value.items():
                yield from walk(item, f"{prefix}{key}.")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            yield prefix[:-1]

    return {name for kind in ("models", "baselines") for record in (payload.get(kind) or {}).values()
            for name in walk(record, "")}


def combined_task_table(results: dict, lesson: str) -> pd.DataFrame:
    """:func:`task_table` of a task lesson plus the lessons that extend it (e.g. sentiment_deeper)."""
    spec = _task(lesson)
    _check_results(results)
    if lesson not in results:
        raise ValueError(f"there are no results of lesson {lesson!r}; run its notebook first "
                         f"(results has {sorted(results)})")
    tables = [task_table(results[lesson], spec["metric"])]
    for extra in spec.get("also", ()):
        if extra in results:
            table = task_table(results[extra], spec["metric"])
            only = spec.get("only", {}).get(extra)
            tables.append(table if only is None else table.loc[[name for name in only if name in table.index]])
    return pd.concat(tables)


def _task(lesson) -> dict:
    if not isinstance(lesson, str) or lesson not in TASKS:
        raise ValueError(f"lesson must be one of the task lessons {tuple(TASKS)}, got {describe(lesson)}")
    return TASKS[lesson]


def _check_results(results):
    if not isinstance(results, dict):
        raise ArgumentTypeError(f"results must be a dict of lesson -> results (collect_results()), "
                                f"got {describe(results)}")
    for lesson, payload in results.items():
        if not isinstance(payload, dict):
            raise ArgumentTypeError(f"results[{lesson!r}] must be a lesson's results dict, got {describe(payload)}")


def _fmt(value, digits=3):
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}" if abs(value) < 100 else f"{value:,.0f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def frame_markdown(table: pd.DataFrame) -> str:
    """A DataFrame as a Markdown table (index first), numbers formatted for reading."""
    if not isinstance(table, pd.DataFrame):
        raise ArgumentTypeError(f"table must be a pandas DataFrame, got {describe(table)}")
    header = ["", *map(str, table.columns)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, row in table.iterrows():
        lines.append("| " + " | ".join([str(name), *(_fmt(v) for v in row)]) + " |")
    return "\n".join(lines)


def reference_table_markdown(results: dict) -> str:
    """The README's reference-results table: per task, each model's metric and training time."""
    _check_results(results)
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
        span_models = results["memory_span"].get("models")
        if not isinstance(span_models, dict) or not all(isinstance(r, dict) for r in span_models.values()):
            raise ArgumentTypeError(f"results['memory_span']['models'] must be a dict of model -> dict, "
                                    f"got {describe(span_models)}")
        seeds = results["memory_span"].get("seeds") or []
        regime_seconds = results["memory_span"].get("train_seconds") or {}
        for regime, label in MEMORY_REGIMES.items():
            for name, record in span_models.items():
                median = (record.get("median_longest_lag_solved") or {}).get(regime)
                if median is None:
                    continue
                seconds = regime_seconds.get(regime) if isinstance(regime_seconds, dict) else None
                lines.append(f"| memory span, {label} | median longest T with ≥ 90% accuracy "
                             f"({len(seeds)} seeds) | {name} | {_fmt(int(median))} | "
                             f"{_fmt(seconds, 0) if seconds is not None else '–'}† | {_fmt(record.get('params'))} |")
    lines += _edge_and_counting_rows(results.get("streaming_edge_counting"))
    return "\n".join(lines)


def _edge_and_counting_rows(payload) -> list:
    """Lesson 10's rows: each cell's int8 LiteRT step (p50) and how far it counts aⁿbⁿ (median over seeds)."""
    if not isinstance(payload, dict):
        return []
    models = payload.get("models") if isinstance(payload.get("models"), dict) else {}
    rows = []
    latency = (payload.get("edge") or {}).get("latency_us") or {}
    for name, runtimes in latency.items():
        p50 = ((runtimes or {}).get("int8") or {}).get("p50_us")
        if isinstance(p50, int | float):
            params = (models.get(name) or {}).get("params")
            rows.append(f"| one character on the edge (LiteRT int8, batch 1) | p50 µs per step | {name} | "
                        f"{_fmt(float(p50), 1)} | – | {_fmt(params)} |")
    counting = payload.get("counting") or {}
    for name, largest in (counting.get("largest_n") or {}).items():
        if isinstance(largest, list) and largest and all(isinstance(n, int) for n in largest):
            middle = median(largest)
            shown = _fmt(int(middle)) if middle == int(middle) else _fmt(float(middle), 1)
            rows.append(f"| counting aⁿbⁿ, trained on n ≤ {counting.get('train_max', '?')} | median largest n "
                        f"counted right ({len(largest)} seeds) | {name} | {shown} | – | – |")
    return rows


def plot_task(results: dict, lesson: str, ax=None):
    """A bar chart of one task's ranking metric (with the lessons that extend it), baselines in grey."""
    from utils.plots import plot_bars

    spec = _task(lesson)
    table = combined_task_table(results, lesson).dropna(subset=[spec["metric"]])
    values = {}
    for name, value in table[spec["metric"]].items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ArgumentTypeError(f"{spec['metric']} of {name!r} in lesson {lesson!r} must be a number, "
                                    f"got {describe(value)}")
        values[name] = float(value)
    baselines = [name for name in table.index if table.loc[name, "kind"] == "baseline"]
    return plot_bars(values, ylabel=spec["label"], title=spec["title"], ax=ax, highlight=baselines)


# ---------------------------------------------------------------- lesson 08's tables and lines
def task_tables_text(results: dict) -> str:
    """Which lessons have results, then per task (``TASKS``) its table as text: the metric, training seconds,
    parameters and the process's peak MB of every model and baseline; a blank where a lesson recorded none."""
    _check_results(results)
    lines = ["results found: " + (", ".join(sorted(results)) or "none — run the lessons first")]

    def formatted(spec):  # a number in the given format (na_rep below: a blank where none was recorded)
        return lambda value: format(value, spec)

    for lesson, spec in TASKS.items():
        if lesson not in results:
            lines.append(f"\n{spec['title']}: no results yet")
            continue
        table = combined_task_table(results, lesson).rename(columns={
            spec["metric"]: spec["label"], "train_seconds": "train s", "peak_memory_mb": "process peak MB"})
        numbers = table.columns.drop("kind")
        table[numbers] = table[numbers].astype(float)
        lines.append(f"\n{spec['title']} ({'higher' if spec['higher_is_better'] else 'lower'} is better)")
        lines.append(table.to_string(na_rep="", formatters={
            spec["label"]: formatted(".3f"), "train s": formatted(",.1f"), "params": formatted(",.0f"),
            "process peak MB": formatted(",.0f")}))
    return "\n".join(lines)


def plot_tasks(results: dict):
    """One bar chart per task with results (:func:`plot_task`), side by side; the S&P 500's on a log axis, where
    ratios near 1 stand next to ratios many times larger. Returns the figure, or None when no task has results."""
    import matplotlib.pyplot as plt

    _check_results(results)
    available = [lesson for lesson in TASKS if lesson in results]
    if not available:
        return None
    fig, axes = plt.subplots(1, len(available), figsize=(6 * len(available), 4.8), squeeze=False)
    for ax, lesson in zip(axes[0], available):
        plot_task(results, lesson, ax=ax)
        ax.tick_params(axis="x", rotation=45)
        plt.setp(ax.get_xticklabels(), ha="right", rotation_mode="anchor")
        if lesson == "stock_forecasting":
            ax.set_yscale("log")
    plt.tight_layout()
    return fig


def _claim_record(record, name="record"):
    if not isinstance(record, dict) or "verdict" not in record or not isinstance(record.get("parts"), list):
        raise ArgumentTypeError(f"{name} must be a claim's record (a dict with 'verdict' and a list of 'parts', as "
                                f"utils.claims decides it), got {describe(record)}")
    for part in record["parts"]:
        if not isinstance(part, dict) or not {"part", "verdict"} <= set(part):
            raise ValueError(f"{name}'s parts must be dicts with 'part' and 'verdict', got {describe(part)}")
    return record


def claim_parts_text(record: dict) -> str:
    """Each part of a decided claim on two lines: ``part: verdict`` and, indented, its evidence."""
    record = _claim_record(record)
    return "\n".join(f"{part['part']}: {part['verdict']}\n  {part.get('evidence', '')}" for part in record["parts"])


def claims_table(decided: dict) -> pd.DataFrame:
    """One row per claim of ``utils.claims.decide_all``: its verdict, the lessons that measure it, and how many of
    its parts got each verdict ("2 holds, 1 not decided"; a context part, which does not vote, says so)."""
    if not isinstance(decided, dict) or not decided:
        raise ArgumentTypeError(f"decided must be decide_all()'s dict of claim id -> record, got {describe(decided)}")

    def part_counts(record):
        counts = pd.Series([part["verdict"] + (" (context)" if part.get("context") else "")
                            for part in record["parts"]]).value_counts()
        return ", ".join(f"{n} {verdict}" for verdict, n in counts.items())

    rows = {}
    for cid, record in decided.items():
        record = _claim_record(record, f"decided[{cid!r}]")
        rows[cid] = {"verdict": record["verdict"], "lessons": ", ".join(record.get("lessons", ())),
                     "its parts": part_counts(record)}
    return pd.DataFrame(rows).T


def _seed_records(runs, name="runs") -> list:
    """The training records of ``train_classifier``'s ``(model, history, record)`` per seed."""
    if isinstance(runs, str | dict) or not hasattr(runs, "__len__") or not runs:
        raise ArgumentTypeError(f"{name} must be a list of train_classifier()'s (model, history, record), one per "
                                f"seed, got {describe(runs)}")
    records = []
    for i, run in enumerate(runs):
        record = run[2] if isinstance(run, tuple | list) and len(run) == 3 else None
        needs = ("test", "epochs", "best_epoch", "train_seconds")
        if not isinstance(record, dict) or any(key not in record for key in needs):
            raise ValueError(f"{name}[{i}] must be train_classifier()'s (model, history, record) with a record "
                             f"holding {needs}, got {describe(run)}")
        records.append(record)
    return records


def seed_runs_line(key: str, runs) -> str:
    """One model's seeds in a line: test accuracy per seed, epochs run, best epoch, mean training seconds."""
    import numpy as np

    records = _seed_records(runs, f"runs of {key!r}")
    return (f"{key:<16} test accuracy " + " / ".join(f"{r['test']['accuracy']:.3f}" for r in records)
            + f"; epochs run {[r['epochs'] for r in records]}, best epoch {[r['best_epoch'] for r in records]}; "
            f"{np.mean([r['train_seconds'] for r in records]):.0f} s per seed")


def seed_runs_record(runs: dict, seeds) -> dict:
    """``{model: what results/<lesson>.json stores}`` for models trained with several seeds: parameters, seeds,
    per-seed test accuracies, epochs, best epochs, mean training seconds and the mean test accuracy."""
    import numpy as np

    if not isinstance(runs, dict) or not runs:
        raise ArgumentTypeError(f"runs must be a dict of model -> train_classifier() runs, got {describe(runs)}")
    stored = {}
    for key, model_runs in runs.items():
        records = _seed_records(model_runs, f"runs[{key!r}]")
        if isinstance(seeds, str) or not hasattr(seeds, "__len__") or len(records) != len(seeds):
            raise ValueError(f"seeds must list one seed per run ({len(records)} runs of {key!r}), "
                             f"got {describe(seeds)}")
        if "params" not in records[0]:
            raise ValueError(f"the records of runs[{key!r}] lack 'params': pass train_classifier()'s runs")
        accuracies = [r["test"]["accuracy"] for r in records]
        stored[key] = {"params": records[0]["params"], "seeds": seeds, "test_accuracy_seeds": accuracies,
                       "epochs": [r["epochs"] for r in records], "best_epoch": [r["best_epoch"] for r in records],
                       "train_seconds": float(np.mean([r["train_seconds"] for r in records])),
                       "test": {"accuracy": float(np.mean(accuracies))}}
    return stored
