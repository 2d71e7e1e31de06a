"""Exercise 07.3: the lag at which the LSTM's forecast best matches the truth."""
import keras
import numpy as np
from sklearn.metrics import root_mean_squared_error

from utils import by_mode
from utils.datasets import load_sp500, split_by_date
from utils.sequences import dataset_to_arrays, make_windows, scale_with_train

WINDOW, EPOCHS = 20, by_mode(full=40, fast=1)
close = load_sp500()["Close"]
log_return = np.log(close).diff().dropna()
periods = dict(zip(("train", "validation", "test"), split_by_date(close.loc[log_return.index])))
returns = {name: log_return.loc[part.index].to_numpy() for name, part in periods.items()}
scaler, *scaled = scale_with_train(returns["train"], returns["validation"], returns["test"])
windows = {name: dataset_to_arrays(make_windows(series, WINDOW, batch_size=256))
           for name, series in zip(periods, scaled)}

keras.utils.set_random_seed(42)
model = keras.Sequential([keras.Input((WINDOW, 1)), keras.layers.LSTM(32), keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
model.fit(*windows["train"], validation_data=windows["validation"], epochs=EPOCHS, batch_size=32, verbose=0,
          callbacks=[keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True)])

prices = periods["test"].to_numpy()
truth, previous = prices[WINDOW:], prices[WINDOW - 1:-1]
forecast = previous * np.exp(scaler.inverse_transform(model.predict(windows["test"][0], verbose=0))[:, 0])
rmse_at_lag = {k: root_mean_squared_error(truth[:len(truth) - k], forecast[k:]) for k in range(6)}
for k, rmse in rmse_at_lag.items():
    print(f"lag {k}: RMSE {rmse:6.2f} points")

answer = min(rmse_at_lag, key=rmse_at_lag.get)
