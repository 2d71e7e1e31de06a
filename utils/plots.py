"""The plots the lessons share. Each returns the matplotlib Axes it drew on."""

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from utils.checks import ArgumentTypeError, describe, is_real, numeric_array, positive_int


def _history_dict(history):
    data = getattr(history, "history", history)
    if not isinstance(data, Mapping) or not data:
        raise ValueError(f"history must be a keras History or a non-empty dict of metric -> values, "
                         f"got {describe(history)}")
    return data


def _curve(data, metric) -> np.ndarray:
    """The per-epoch values of one metric as floats (NaN allowed: a diverged epoch shows as a gap)."""
    values = data[metric]
    if isinstance(values, str | bytes) or not hasattr(values, "__len__") or len(values) == 0:
        raise ValueError(f"history[{metric!r}] must be a non-empty list of per-epoch numbers, got {describe(values)}")
    if not all(is_real(v) for v in np.asarray(values, dtype=object).ravel()) or np.ndim(values) != 1:
        raise ValueError(f"history[{metric!r}] must be a flat list of per-epoch numbers, got {describe(values)}")
    return np.asarray(values, dtype="float64")


def _check_ax(ax):
    if ax is not None and not isinstance(ax, Axes):
        raise ArgumentTypeError(f"ax must be a matplotlib Axes or None, got {describe(ax)}")


def plot_history(history, metric="loss", ax=None, label=None, ylabel=None):
    """Learning curve: training and validation ``metric`` per epoch from a Keras ``History``."""
    data = _history_dict(history)
    if not isinstance(metric, str) or metric not in data:
        raise ValueError(f"metric {metric!r} is not in the history; it has {sorted(map(str, data))}")
    _check_ax(ax)
    train_curve = _curve(data, metric)
    if f"val_{metric}" in data and len(_curve(data, f"val_{metric}")) != len(train_curve):
        raise ValueError(f"history[{f'val_{metric}'!r}] has {len(data[f'val_{metric}'])} epochs but "
                         f"history[{metric!r}] has {len(train_curve)}; they must match")
    ax = ax or plt.subplots(figsize=(6, 3.5))[1]
    epochs = np.arange(1, len(data[metric]) + 1)
    prefix = f"{label} " if label else ""
    line = ax.plot(epochs, data[metric], marker="o", label=f"{prefix}train")[0]
    if f"val_{metric}" in data:
        ax.plot(epochs, data[f"val_{metric}"], marker="o", ls="--", color=line.get_color(),
                label=f"{prefix}validation")
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel or metric)
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3)
    return ax


def plot_histories(histories: dict, metric="loss", ylabel=None, title=None):
    """One learning-curve panel per model, side by side, sharing the y axis."""
    if not isinstance(histories, Mapping) or not histories:
        raise ValueError(f"histories must be a non-empty dict of model name -> Keras History, "
                         f"got {describe(histories)}")
    for name, history in histories.items():
        data = _history_dict(history)
        if metric not in data:
            raise ValueError(f"metric {metric!r} is not in the history of {name!r}; it has {sorted(map(str, data))}")
    fig, axes = plt.subplots(1, len(histories), figsize=(4.2 * len(histories), 3.4), sharey=True, squeeze=False)
    for ax, (name, history) in zip(axes[0], histories.items(), strict=True):
        plot_history(history, metric, ax=ax, ylabel=ylabel)
        ax.set_title(name)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return axes[0]


def plot_bars(values: dict, ylabel: str, title=None, ax=None, highlight=None, fmt="{:.3f}", reference=None):
    """A bar per model (or baseline), labelled with its value; ``highlight`` names bars to colour apart."""
    if not isinstance(values, Mapping) or not values:
        raise ValueError(f"values must be a non-empty dict of name -> number, got {describe(values)}")
    for name, value in values.items():
        if not is_real(value):
            raise ArgumentTypeError(f"values[{name!r}] must be a number, got {describe(value)}")
    if not isinstance(ylabel, str):
        raise ArgumentTypeError(f"ylabel must be a string, got {describe(ylabel)}")
    if not isinstance(fmt, str):
        raise ArgumentTypeError(f"fmt must be a format string like '{{:.3f}}', got {describe(fmt)}")
    try:
        [fmt.format(value) for value in values.values()]
    except (ValueError, TypeError, IndexError, KeyError) as error:
        raise ValueError(f"fmt {fmt!r} cannot format the values ({error}); use e.g. '{{:.3f}}' or '{{:.0f}}'") from None
    if reference is not None and (isinstance(reference, str) or not hasattr(reference, "__len__")
                                  or len(reference) != 2 or not is_real(reference[1])):
        raise ValueError(f"reference must be a (label, value) pair such as ('persistence = 1', 1.0), "
                         f"got {describe(reference)}")
    _check_ax(ax)
    if isinstance(highlight, str):  # one name
        highlight = [highlight]
    try:
        highlight = set(highlight or ())
    except TypeError:
        raise ArgumentTypeError(f"highlight must be a list of names, got {describe(highlight)}") from None
    ax = ax or plt.subplots(figsize=(max(5, 1.1 * len(values)), 3.5))[1]
    names = list(values)
    colors = ["tab:gray" if name in highlight else "tab:blue" for name in names]
    bars = ax.bar([str(n) for n in names], [values[n] for n in names], color=colors)
    ax.bar_label(bars, labels=[fmt.format(values[n]) for n in names], fontsize="small")
    if reference is not None:
        ax.axhline(reference[1], color="tab:red", ls=":", label=reference[0])
        ax.legend(fontsize="small")
    ax.set_ylabel(ylabel)
    ax.tick_params(axis="x", rotation=20)
    if title:
        ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    return ax


def plot_unit_activations(text, activations, ax=None, *, title=None, width=80, limit=None, max_chars=3000):
    """A passage with each character on a cell coloured by one unit's activation after reading it.

    Red is positive, blue negative, white 0; the colour scale runs from ``-limit`` to ``limit`` (by default
    the largest ``|activation|``, so the sign stays readable). Lines break at each newline, shown as ``¶``,
    and after ``width`` characters. ``activations`` has one number per character of ``text``; passages
    longer than ``max_chars`` characters are refused, to keep figures small.
    """
    if not isinstance(text, str) or not text:
        raise ArgumentTypeError(f"text must be a non-empty string, got {describe(text)}")
    max_chars = positive_int(max_chars, "max_chars")
    if len(text) > max_chars:
        raise ValueError(f"text has {len(text):,} characters, more than max_chars={max_chars:,}; "
                         "plot a slice of the passage (or raise max_chars)")
    values = numeric_array(activations, "activations")
    if values.shape != (len(text),):
        raise ValueError(f"activations must have one value per character of text ({len(text)}), "
                         f"got shape {values.shape}")
    width = positive_int(width, "width")
    if limit is not None and (not is_real(limit) or not 0 < limit < np.inf):
        raise ValueError(f"limit must be None or a positive number (the activation shown at full colour), "
                         f"got {describe(limit)}")
    _check_ax(ax)
    rows, columns = _character_cells(text, width)
    grid = np.full((rows.max() + 1, columns.max() + 1), np.nan)
    grid[rows, columns] = values
    limit = float(limit or np.abs(values).max() or 1.0)
    if ax is None:
        ax = plt.subplots(figsize=(0.11 * grid.shape[1] + 1.5, 0.22 * grid.shape[0] + 0.8))[1]
    image = ax.imshow(grid, cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto", interpolation="nearest")
    for ch, row, column, value in zip(text, rows, columns, values):
        if ch != " ":  # white letters on the strongest colours, black elsewhere
            ax.text(column, row, "¶" if ch == "\n" else ch, ha="center", va="center", fontsize=8,
                    family="monospace", color="white" if abs(value) > 0.6 * limit else "black")
    ax.set_axis_off()
    ax.figure.colorbar(image, ax=ax, fraction=0.03, pad=0.01, label="activation")
    if title:
        ax.set_title(title, fontsize="medium")
    return ax


def _character_cells(text, width):
    """Row and column of every character: a newline ends its row, and a row holds at most ``width`` characters."""
    rows, columns = np.zeros(len(text), dtype=int), np.zeros(len(text), dtype=int)
    row = column = 0
    for i, ch in enumerate(text):
        rows[i], columns[i] = row, column
        column += 1
        if ch == "\n" or column == width:
            row, column = row + 1, 0
    return rows, columns
