"""The plots the lessons share. Each returns the matplotlib Axes it drew on."""

import matplotlib.pyplot as plt
import numpy as np


def _history_dict(history):
    data = getattr(history, "history", history)
    if not isinstance(data, dict) or not data:
        raise ValueError("history must be a keras History or a non-empty dict of metric -> values")
    return data


def plot_history(history, metric="loss", ax=None, label=None, ylabel=None):
    """Learning curve: training and validation ``metric`` per epoch from a Keras ``History``."""
    data = _history_dict(history)
    if metric not in data:
        raise ValueError(f"metric {metric!r} is not in the history; it has {sorted(data)}")
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
    if not histories:
        raise ValueError("histories must map model names to Keras History objects")
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
    if not values:
        raise ValueError("values must map names to numbers")
    ax = ax or plt.subplots(figsize=(max(5, 1.1 * len(values)), 3.5))[1]
    names = list(values)
    highlight = set(highlight or ())
    colors = ["tab:gray" if name in highlight else "tab:blue" for name in names]
    bars = ax.bar(names, [values[n] for n in names], color=colors)
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
