"""Exercise 07.2: a 60-day look-back for the return models; scored days and verdicts against persistence."""
import keras
import numpy as np
from sklearn.metrics import root_mean_squared_error

from utils import by_mode
from utils.datasets import load_sp500, split_by_date
from utils.sequences import dataset_to_arrays, make_windows, scale_with_train
from utils.verdicts import compare

WINDOW = 60
EPOCHS = by_mode(full=40, fast=1)
SEEDS = by_mode(full=[42, 43, 44], fast=[42])
CELLS = by_mode(full=["simple_rnn", "lstm", "gru"], fast=["gru"])
LAYERS = {"simple_rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM, "gru": keras.layers.GRU}

close = load_sp500()["Close"]
log_return = np.log(close).diff().dropna()
periods = dict(zip(("train", "validation", "test"), split_by_date(close.loc[log_return.index])))
returns = {name: log_return.loc[part.index].to_numpy() for name, part in periods.items()}
scaler, *scaled = scale_with_train(returns["train"], returns["validation"], returns["test"])
windows = {name: dataset_to_arrays(make_windows(series, WINDOW, batch_size=256))
           for name, series in zip(periods, scaled)}

prices = periods["test"].to_numpy()
truth, previous = prices[WINDOW:], prices[WINDOW - 1:-1]  # the scored days: from day WINDOW + 1 on
persistence_rmse = root_mean_squared_error(truth, previous)
print(f"{len(truth)} scored test days; persistence RMSE {persistence_rmse:.2f} points")

ratios, verdicts = {}, {}
for cell in CELLS:
    ratios[cell] = []
    for seed in SEEDS:
        keras.utils.set_random_seed(seed)
        model = keras.Sequential([keras.Input((WINDOW, 1)), LAYERS[cell](32), keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
        model.fit(*windows["train"], validation_data=windows["validation"], epochs=EPOCHS, batch_size=32, verbose=0,
                  callbacks=[keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True)])
        predicted_return = scaler.inverse_transform(model.predict(windows["test"][0], verbose=0))[:, 0]
        ratios[cell].append(root_mean_squared_error(truth, previous * np.exp(predicted_return)) / persistence_rmse)
    c = compare(ratios[cell], 1.0, names=(cell, "persistence"), higher_is_better=False, noise_kind="seed spread")
    verdicts[cell] = ("beats persistence" if c.better == cell else "worse than persistence" if c.better
                      else "no difference")
    print(c.describe())

answer = {"scored_days": len(truth), "ratios": ratios, "verdicts": verdicts}
