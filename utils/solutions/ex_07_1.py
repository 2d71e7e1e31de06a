"""Exercise 07.1: the day's log volume as a second input next to the return; verdicts against persistence."""
import numpy as np

from utils import by_mode
from utils.cells import CELLS
from utils.forecasting import persistence_verdicts, return_forecast, sp500_periods

WINDOW = 20
EPOCHS = by_mode(full=40, fast=1)
SEEDS = by_mode(full=[42, 43, 44], fast=[42])
TRAINED = by_mode(full=list(CELLS), fast=["simple_rnn"])

sp500, log_return, periods = sp500_periods()
log_volume = np.log(sp500["Volume"]).loc[log_return.index]  # aligned on the return's days
features = {name: np.column_stack([log_return.loc[part.index], log_volume.loc[part.index]])
            for name, part in periods.items()}  # [days, 2]: return (column 0, the target), log volume
setup = return_forecast(features, periods["test"], WINDOW)  # scaled on train, windows per period
print("test windows:", setup.windows["test"][0].shape)

# squared error per test day, one row per seed; then section 3's rule: each cell against persistence on the
# same days, Holm over the cells
errors = {key: setup.seed_errors(CELLS[key], seeds=SEEDS, epochs=EPOCHS) for key in TRAINED}
verdicts = {}
for key, (comparison, verdict) in persistence_verdicts(errors, setup.persistence_squared_errors).items():
    verdicts[key] = verdict
    print(comparison.describe(1))

answer = {"input_shape": setup.windows["test"][0].shape, "squared_errors": errors, "verdicts": verdicts}
