"""Exercise 07.3: the lag at which the LSTM's forecast best matches the truth."""
from sklearn.metrics import root_mean_squared_error

from utils import by_mode
from utils.cells import CELLS
from utils.forecasting import fit_forecaster, return_forecast, sp500_periods

WINDOW, EPOCHS = 20, by_mode(full=40, fast=1)
_, log_return, periods = sp500_periods()
setup = return_forecast({name: log_return.loc[part.index].to_numpy() for name, part in periods.items()},
                        periods["test"], WINDOW)
model, _ = fit_forecaster(CELLS["lstm"], setup.windows["train"], setup.windows["validation"], epochs=EPOCHS)

truth, forecast = setup.truth, setup.closes(model)  # the LSTM's next-day closes, section 3's forecasts["lstm"]
rmse_at_lag = {k: root_mean_squared_error(truth[:len(truth) - k], forecast[k:]) for k in range(6)}
for k, rmse in rmse_at_lag.items():
    print(f"lag {k}: RMSE {rmse:6.2f} points")

answer = min(rmse_at_lag, key=rmse_at_lag.get)
