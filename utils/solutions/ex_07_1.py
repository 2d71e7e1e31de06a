"""Exercise 07.1: the day's log volume as a second input next to the return; verdicts against persistence."""
import keras
import numpy as np
from sklearn.metrics import root_mean_squared_error

from utils import by_mode
from utils.datasets import load_sp500, split_by_date
from utils.sequences import dataset_to_arrays, make_windows, scale_with_train
from utils.verdicts import compare

WINDOW = 20
EPOCHS = by_mode(full=40, fast=1)
SEEDS = by_mode(full=[42, 43, 44], fast=[42])
CELLS = by_mode(full=["simple_rnn", "lstm", "gru"], fast=["lstm"])
LAYERS = {"simple_rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM, "gru": keras.layers.GRU}

sp500 = load_sp500()
log_return = np.log(sp500["Close"]).diff().dropna()
log_volume = np.log(sp500["Volume"]).loc[log_return.index]  # aligned on the return's days
periods = dict(zip(("train", "validation", "test"), split_by_date(sp500["Close"].loc[log_return.index])))
features = {name: np.column_stack([log_return.loc[part.index], log_volume.loc[part.index]])
            for name, part in periods.items()}  # [days, 2]: return, log volume
scaler, *scaled = scale_with_train(features["train"], features["validation"], features["test"])
windows = {name: dataset_to_arrays(make_windows(series, WINDOW, target_column=0, batch_size=256))
           for name, series in zip(periods, scaled)}
print("test windows:", windows["test"][0].shape)

prices = periods["test"].to_numpy()
truth, previous = prices[WINDOW:], prices[WINDOW - 1:-1]
persistence_rmse = root_mean_squared_error(truth, previous)

ratios, verdicts = {}, {}
for cell in CELLS:
    ratios[cell] = []
    for seed in SEEDS:
        keras.utils.set_random_seed(seed)
        model = keras.Sequential([keras.Input((WINDOW, 2)), LAYERS[cell](32), keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
        model.fit(*windows["train"], validation_data=windows["validation"], epochs=EPOCHS, batch_size=32, verbose=0,
                  callbacks=[keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True)])
        scaled_return = model.predict(windows["test"][0], verbose=0)[:, 0]
        predicted_return = scaled_return * scaler.scale_[0] + scaler.mean_[0]  # undo the scaling of column 0
        ratios[cell].append(root_mean_squared_error(truth, previous * np.exp(predicted_return)) / persistence_rmse)
    c = compare(ratios[cell], 1.0, names=(cell, "persistence"), higher_is_better=False, noise_kind="seed spread")
    verdicts[cell] = ("beats persistence" if c.better == cell else "worse than persistence" if c.better
                      else "no difference")
    print(c.describe())

answer = {"input_shape": windows["test"][0].shape, "ratios": ratios, "verdicts": verdicts}
