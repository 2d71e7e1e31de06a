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

import time

from sklearn.model_selection import ParameterGrid

from utils.checks import ArgumentTypeError, describe

__all__ = ["equal_grid_search"]


def equal_grid_search(cells, grid, evaluate, *, higher_is_better=False) -> dict:
    """Try every setting of ``grid`` for every cell in ``cells``; return the best setting per cell and all trials.

    ``grid``: a dict of setting name -> list of values (scikit-learn's ``ParameterGrid``). ``evaluate(cell,
    **settings)`` returns the validation score of one trial (loss by default: lower is better). Returns
    ``{"best": {cell: settings}, "best_score": {cell: score}, "trials": [...], "trials_per_cell": n}``.
    """
    cells = list(cells) if not isinstance(cells, str) else None
    if not cells or not all(isinstance(c, str) for c in cells):
        raise ArgumentTypeError(f"cells must be a list of cell names, got {describe(cells)}")
    if not isinstance(grid, dict) or not grid or not all(isinstance(v, list | tuple) and v for v in grid.values()):
        raise ArgumentTypeError(f"grid must be a dict of setting -> non-empty list of values, got {describe(grid)}")
    if not callable(evaluate):
        raise ArgumentTypeError(f"evaluate must be a function evaluate(cell, **settings), got {describe(evaluate)}")
    settings = list(ParameterGrid(grid))
    trials, best, best_score = [], {}, {}
    for cell in cells:
        for setting in settings:
            started = time.perf_counter()
            score = float(evaluate(cell, **setting))
            trials.append({"cell": cell, **setting, "score": score, "seconds": time.perf_counter() - started})
            better = cell not in best_score or (score > best_score[cell] if higher_is_better
                                                 else score < best_score[cell])
            if better:
                best[cell], best_score[cell] = dict(setting), score
    return {"best": best, "best_score": best_score, "trials": trials, "trials_per_cell": len(settings)}
