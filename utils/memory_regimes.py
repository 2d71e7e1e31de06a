"""Lesson 03's bookkeeping around the recall task: scoring and storing every test, solved counts with their
interval, the longest distance each seed solves, a chance level for the relabelled score, and the regime plot.

A regime's table is ``{cell: {T: [test accuracy per seed, or None where that seed did not try T]}}``; the lesson
builds the models and trains them (``utils.memory_task``), this module only reads what they scored.
"""

import numpy as np
import pandas as pd

from utils.checks import ArgumentTypeError, describe, positive_int
from utils.claims.memory_span import SOLVED, solved_count  # the claims count solved seeds the same way
from utils.memory_task import VOCAB, best_relabelling, recall_outcomes


def test_seed(seed: int) -> int:
    """The seed of a training seed's own test sequences: never its training batches, never its stopping set."""
    return 2_000 + seed


class OutcomeLog:
    """Scores each test and keeps the outcome of every test sequence (the share of its tokens recalled), so that
    comparisons can later be recomputed from ``results/predictions/``. Keys: ``"<regime>__<cell>__T<lag>"``, one
    row per seed that was tested there, in seed order."""

    def __init__(self):
        self.rows = {}

    def record(self, regime, key, lag, predicted, true) -> float:
        """Store one test's per-sequence outcomes (``predicted`` and ``true`` tokens ``[n, n_tokens]``)."""
        hits = (np.asarray(predicted) == np.asarray(true)).mean(axis=1)
        self.rows.setdefault(f"{regime}__{key}__T{lag}", []).append(hits)
        return float(hits.mean())

    def score(self, regime, key, model, lag, seed, n_tokens=1) -> float:
        """Test accuracy of ``model`` at distance ``lag`` on the seed's own 1,024 test sequences (stored)."""
        return self.record(regime, key, lag, *recall_outcomes(model, lag, test_seed(seed), n_tokens=n_tokens))

    def arrays(self) -> dict:
        return {key: np.array(rows) for key, rows in sorted(self.rows.items())}


def _table(table):
    if not isinstance(table, dict) or not all(isinstance(v, dict) for v in table.values()):
        raise ArgumentTypeError(f"table must be {{cell: {{T: [accuracy per seed or None]}}}}, got {describe(table)}")
    return table


def solved_counts(table, solved=SOLVED, level=0.95) -> pd.DataFrame:
    """Per distance (rows) and cell (columns): "k/n (lo–hi)", the seeds that solved it out of those that tried,
    with the exact (Clopper–Pearson) interval of the solve rate; "not tried" where no seed tried it.

    With five seeds, 5/5 still allows a solve rate of about one half: the interval says how little a count of
    five pins down."""
    from scipy.stats import binomtest

    def cell_text(accs):
        k, n = solved_count(accs, solved)
        if n == 0:
            return "not tried"
        ci = binomtest(k, n).proportion_ci(level)
        return f"{k}/{n} ({ci.low:.2f}–{ci.high:.2f})"

    frame = pd.DataFrame({key: {lag: cell_text(accs) for lag, accs in per_lag.items()}
                          for key, per_lag in _table(table).items()})
    return frame.rename_axis("T")


def longest_solved(table, key, solved=SOLVED) -> list:
    """Per seed: the longest distance solved with every shorter one solved too (0 when none)."""
    per_lag = _table(table)[key]
    n_seeds = len(next(iter(per_lag.values())))
    longest = []
    for i in range(n_seeds):
        best = 0
        for lag, accs in per_lag.items():
            if accs[i] is None or accs[i] < solved:
                break
            best = lag
        longest.append(best)
    return longest


def span_table(regimes: dict, solved=SOLVED) -> pd.DataFrame:
    """Rows: cells; columns: regimes; each entry the longest distance solved, seed by seed ("100 50 100 …")."""
    return pd.DataFrame({regime: {key: " ".join(str(v) for v in longest_solved(table, key, solved))
                                  for key in table} for regime, table in regimes.items()}).fillna("")


def relabelling_chance(predicted, true, vocab=VOCAB, shuffles=20, seed=0) -> float:
    """The relabelled score a model reaches by luck alone: :func:`utils.memory_task.best_relabelling` with the
    true tokens shuffled across sequences (so the answers cannot depend on them), averaged over ``shuffles``.
    Read a relabelled score against this level, not against 1/8."""
    shuffles = positive_int(shuffles, "shuffles")
    rng = np.random.default_rng(seed)
    true = np.asarray(true)
    return float(np.mean([best_relabelling(predicted, rng.permutation(true), vocab) for _ in range(shuffles)]))


def plot_regime(ax, table, title, test_only=None, chance=1 / VOCAB, solved=SOLVED):
    """Each seed's test accuracy per distance (dots) and the mean of the seeds tried there (line).

    ``test_only`` (``{cell: {T: [bool per seed]}}``): points where that seed was tested without being trained
    at that distance are drawn hollow. Distances a seed did not try are not drawn (nothing is imputed)."""
    from matplotlib.ticker import NullFormatter

    table = _table(table)
    lags = sorted({lag for per_lag in table.values() for lag in per_lag})
    for offset, (key, per_lag) in zip(np.linspace(-0.04, 0.04, len(table)), table.items()):
        means = [np.mean([a for a in per_lag[lag] if a is not None] or [np.nan]) for lag in lags]
        line, = ax.plot(lags, means, label=key)
        for lag in lags:
            for i, acc in enumerate(per_lag[lag]):
                if acc is None:
                    continue
                hollow = bool(test_only and test_only.get(key, {}).get(lag, [False] * (i + 1))[i])
                ax.plot(lag * 10 ** offset, acc, "o", ms=4, color=line.get_color(),
                        mfc="white" if hollow else line.get_color())
    ax.axhline(chance, color="k", ls=":", lw=1, label="chance")
    ax.axhline(solved, color="grey", ls="--", lw=1, label=f"solved ({solved:.0%})")
    ax.set_xscale("log")
    ax.set_xticks(lags, [str(t) for t in lags])
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set(xlabel="T (steps back, log scale)", ylabel="test accuracy per seed", ylim=(-0.03, 1.05), title=title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small", ncol=2)


def per_step_factor(model, steps=100, recent=50, vocab=VOCAB) -> float:
    """How much of an input's influence an (untrained) recall model's last state keeps per step: the slope of
    ``log ||d h_T / d x_t||`` over the ``recent`` most recent steps, on 16 sequences of ``steps`` embedded tokens
    (as lesson 01 measures it, here through the model's own embedding)."""
    import tensorflow as tf

    from utils.sequences import recall_task

    steps, recent = positive_int(steps, "steps"), positive_int(recent, "recent")
    if recent > steps:
        raise ValueError(f"recent ({recent}) must be at most steps ({steps})")
    embedding, cell = model.layers[0], model.layers[1]
    tokens = recall_task(16, steps - 1, vocab, seed=0)[0]
    with tf.GradientTape() as tape:
        x = embedding(tokens)
        tape.watch(x)
        last = cell(x)
    norms = tf.reduce_mean(tf.norm(tape.batch_jacobian(last, x), axis=(1, 3)), axis=0).numpy()
    return float(np.exp(np.polyfit(np.arange(recent), np.log(norms[::-1][:recent] + 1e-30), 1)[0]))


def with_str_keys(table: dict) -> dict:
    """``{cell: {T: values}}`` with the distances as strings, as results files store them."""
    return {key: {str(lag): values for lag, values in per_lag.items()} for key, per_lag in _table(table).items()}


def models_record(regimes: dict, params: dict, solved=SOLVED) -> dict:
    """Per cell: its weights, and per regime the longest distance each seed solved and their median."""
    record = {}
    for key, n_params in params.items():
        spans = {regime: longest_solved(table, key, solved) for regime, table in regimes.items() if key in table}
        record[key] = {"params": n_params, "longest_lag_solved": spans,
                       "median_longest_lag_solved": {r: float(np.median(v)) for r, v in spans.items()}}
    return record
