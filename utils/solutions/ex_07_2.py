"""Exercise 07.2: a 60-day look-back for the return models; scored days and verdicts against persistence."""
from utils import by_mode
from utils.cells import CELLS
from utils.forecasting import persistence_verdicts, return_forecast, sp500_periods

WINDOW = 60
EPOCHS = by_mode(full=40, fast=1)
SEEDS = by_mode(full=[42, 43, 44], fast=[42])
TRAINED = by_mode(full=list(CELLS), fast=["simple_rnn"])

_, log_return, periods = sp500_periods()
returns = {name: log_return.loc[part.index].to_numpy() for name, part in periods.items()}
setup = return_forecast(returns, periods["test"], WINDOW)
# the scored days: from day WINDOW + 1 on, for persistence as well
print(f"{len(setup.truth)} scored test days; persistence RMSE {setup.persistence_rmse:.2f} points")

# squared error per test day, one row per seed; then section 3's rule: each cell against persistence on the
# same days, Holm over the cells
errors = {key: setup.seed_errors(CELLS[key], seeds=SEEDS, epochs=EPOCHS) for key in TRAINED}
verdicts = {}
for key, (comparison, verdict) in persistence_verdicts(errors, setup.persistence_squared_errors).items():
    verdicts[key] = verdict
    print(comparison.describe(1))

answer = {"scored_days": len(setup.truth), "squared_errors": errors, "verdicts": verdicts}
