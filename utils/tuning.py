"""The same tuning budget for every cell: one grid of settings, tried in full for each cell, chosen on validation.

    grid = {"units": [128, 256], "learning_rate": [2e-3, 4e-3]}
    search = equal_grid_search(["simple_rnn", "lstm", "gru"], grid, evaluate)   # evaluate(cell, **settings)
    search["best"]["gru"]        # {"units": 256, "learning_rate": 0.004}
    search["trials"]             # every (cell, settings, score, seconds), in the order they ran

A ranking of cells is only fair when each was tuned with the same search: the same settings, the same number of
trials and the same budget per trial (Melis et al. 2018 and Dodge et al. 2019 found rankings that flip when
one model gets more tuning than another). ``evaluate`` must score on a *validation* set — never the test set
that later ranks the cells — and return a number where ``higher_is_better`` says which way is better.
"""

import math
import time

from sklearn.model_selection import ParameterGrid

from utils.checks import ArgumentTypeError, describe, flag, is_real, scalar

__all__ = ["equal_grid_search", "successive_halving"]


def equal_grid_search(cells, grid, evaluate, *, higher_is_better=False) -> dict:
    """Try every setting of ``grid`` for every cell in ``cells``; return the best setting per cell and all trials.

    ``grid``: a dict of setting name -> list of values (scikit-learn's ``ParameterGrid``). ``evaluate(cell,
    **settings)`` returns the validation score of one trial (loss by default: lower is better). Returns
    ``{"best": {cell: settings}, "best_score": {cell: score}, "trials": [...], "trials_per_cell": n,
    "diverged": [...]}``. A trial whose score is NaN or infinite diverged: it stays in ``trials`` with that score,
    is listed in ``diverged`` too and is never chosen; a cell whose every trial diverged stops the search.
    """
    cells = _cells(cells)
    grid = _grid(grid)
    if not callable(evaluate):
        raise ArgumentTypeError(f"evaluate must be a function evaluate(cell, **settings), got {describe(evaluate)}")
    higher_is_better = flag(higher_is_better, "higher_is_better")
    settings = list(ParameterGrid(grid))
    trials, best, best_score, diverged = [], {}, {}, []
    for cell in cells:
        for setting in settings:
            started = time.perf_counter()
            score = _score(evaluate(cell, **setting), cell, setting)
            trials.append({"cell": cell, **setting, "score": score, "seconds": time.perf_counter() - started})
            if not math.isfinite(score):
                diverged.append(trials[-1])
                continue
            better = cell not in best_score or (score > best_score[cell] if higher_is_better
                                                 else score < best_score[cell])
            if better:
                best[cell], best_score[cell] = dict(setting), score
        if cell not in best:
            raise ValueError(f"every trial of cell {cell!r} diverged (a NaN or infinite validation score for each of "
                             f"its {len(settings)} settings): no setting can be chosen; try smaller learning rates, "
                             "or check that evaluate returns the validation loss")
    return {"best": best, "best_score": best_score, "trials": trials, "trials_per_cell": len(settings),
            "diverged": diverged}


def successive_halving(settings, train, *, rungs, keep, higher_is_better=False) -> dict:
    """Successive halving whose last rung is the final budget: train every setting to ``rungs[0]``, keep the best
    ``keep[0]`` by validation score, train those on to ``rungs[1]``, and so on; the survivor of the last rung has
    been trained exactly as a final run is.

    ``settings``: a list of dicts (e.g. ``ParameterGrid``'s). ``train(setting, run, budget)`` continues ``run``
    (``None`` the first time: start a fresh model) until ``budget`` in total (seconds, steps, epochs: the unit of
    ``rungs``) and returns ``(run, validation_score)``; the ``run`` it returns is passed back on the next rung, so
    a survivor resumes rather than restarts. ``rungs``: increasing budgets; ``keep``: how many settings survive
    each rung but the last (``len(rungs) - 1`` decreasing numbers, the last of them 1). Returns ``{"best":
    setting, "run": the best's run, "score": its last score, "trials": [{**setting, "rung", "budget",
    "score"}]}``. A NaN or infinite score (a diverged run) never survives; if every run of a rung diverged the
    search stops with an error.
    """
    if not isinstance(settings, list | tuple) or not settings or not all(isinstance(s, dict) for s in settings):
        raise ArgumentTypeError(f"settings must be a non-empty list of dicts, got {describe(settings)}")
    if not callable(train):
        raise ArgumentTypeError(f"train must be a function train(setting, run, budget), got {describe(train)}")
    higher_is_better = flag(higher_is_better, "higher_is_better")
    rungs, keep = list(rungs), list(keep)
    if not rungs or not all(is_real(r) and r > 0 for r in rungs) or any(b <= a for a, b in zip(rungs, rungs[1:])):
        raise ValueError(f"rungs must be increasing positive budgets, got {describe(rungs)}")
    if (len(keep) != len(rungs) - 1 or not all(isinstance(k, int) and k >= 1 for k in keep)
            or any(b > a for a, b in zip(keep, keep[1:])) or (keep and keep[-1] != 1)
            or (keep and keep[0] > len(settings))):
        raise ValueError(f"keep must hold len(rungs) - 1 = {len(rungs) - 1} non-increasing counts ending with 1, "
                         f"none above the {len(settings)} settings, got {describe(keep)}")
    if len(rungs) == 1 and len(settings) > 1:
        raise ValueError("one rung cannot choose among several settings: give at least two rungs")
    alive, runs, trials, scores = list(range(len(settings))), {}, [], {}
    for level, budget in enumerate(rungs):
        for i in alive:
            runs[i], score = train(dict(settings[i]), runs.get(i), budget)
            scores[i] = _score(score, "rung", settings[i])
            trials.append({**settings[i], "rung": level, "budget": budget, "score": scores[i]})
        finite = [i for i in alive if math.isfinite(scores[i])]
        if not finite:
            raise ValueError(f"every run diverged at rung {level} (budget {budget}): try smaller learning rates")
        finite.sort(key=lambda i: -scores[i] if higher_is_better else scores[i])
        alive = finite[:keep[level]] if level < len(keep) else finite[:1]
        for i in set(runs) - set(alive):
            runs[i] = None  # free the models that stop here
    best = alive[0]
    return {"best": dict(settings[best]), "run": runs[best], "score": scores[best], "trials": trials}


def _cells(cells) -> list:
    """The cell names as a list (a dict such as ``CELLS`` gives its keys); each a distinct, non-empty string."""
    if isinstance(cells, str | bytes) or not hasattr(cells, "__iter__"):
        raise ArgumentTypeError(f"cells must be a list of cell names, e.g. ['lstm', 'gru'], got {describe(cells)}")
    cells = list(cells)
    if not cells or not all(isinstance(c, str) and c for c in cells):
        raise ArgumentTypeError(f"cells must be a non-empty list of cell names (strings), got {describe(cells)}")
    twice = sorted({c for c in cells if cells.count(c) > 1})
    if twice:
        raise ValueError(f"cells lists {twice} more than once: each cell is tuned once, with the same trials")
    return cells


def _grid(grid) -> dict:
    """``grid`` checked: setting names that ``evaluate`` can take as keywords, each with a non-empty list."""
    if not isinstance(grid, dict) or not grid:
        raise ArgumentTypeError(f"grid must be a dict of setting -> non-empty list of values, got {describe(grid)}")
    for name, values in grid.items():
        if not isinstance(name, str) or not name.isidentifier() or name == "cell":
            raise ValueError(f"grid's setting names must be keyword names other than 'cell' (evaluate gets them as "
                             f"evaluate(cell, **settings)), got {describe(name)}")
        if not isinstance(values, list | tuple | range) or not values:
            raise ArgumentTypeError(f"grid[{name!r}] must be a non-empty list of values, got {describe(values)}")
    return grid


def _score(value, cell, setting) -> float:
    """One trial's score as a float (NaN and infinities kept: they mark a diverged trial)."""
    value = scalar(value)
    if not is_real(value):
        hint = ("; a model compiled with metrics returns [loss, metric, ...] from evaluate: return its first entry"
                if isinstance(value, list | tuple) else "")
        raise ArgumentTypeError(f"evaluate({cell!r}, **{setting}) must return one number (the validation score), "
                                f"got {describe(value)}{hint}")
    return float(value)
