"""Exercise 07.2: a 60-day look-back for the return models; scored days and verdicts against persistence."""
from utils import by_mode
from utils.cells import CELLS
from utils.forecasting import persistence_verdict, return_forecast, sp500_periods

WINDOW = 60
EPOCHS = by_mode(full=40, fast=1)
SEEDS = by_mode(full=[42, 43, 44], fast=[42])
TRAINED = by_mode(full=list(CELLS), fast=["simple_rnn"])

_, log_return, periods = sp500_periods()
returns = {name: log_return.loc[part.index].to_numpy() for name, part in periods.items()}
setup = return_forecast(returns, periods["test"], WINDOW)
# the scored days: from day WINDOW + 1 on, for persistence as well
print(f"{len(setup.truth)} scored test days; persistence RMSE {setup.persistence_rmse:.2f} points")

ratios, verdicts = {}, {}
for key in TRAINED:  # RMSE / persistence per seed, then the noise rule as in section 3
    ratios[key] = setup.seed_ratios(CELLS[key], seeds=SEEDS, epochs=EPOCHS)
    comparison, verdicts[key] = persistence_verdict(ratios[key], key)
    print(comparison.describe())

answer = {"scored_days": len(setup.truth), "ratios": ratios, "verdicts": verdicts}
