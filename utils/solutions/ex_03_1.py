"""Exercise 03.1: how many steps a trace survives at the default keep gates of a fresh LSTM and GRU."""
import math

import keras
import numpy as np

UNITS = 32
lstm, gru = keras.layers.LSTM(UNITS), keras.layers.GRU(UNITS)
lstm.build((None, None, 8))
gru.build((None, None, 8))
keep = {"lstm": lstm.get_weights()[2][UNITS:2 * UNITS],  # LSTM bias blocks: input, forget, candidate, output
        "gru": gru.get_weights()[2][0, :UNITS]}  # GRU input-side bias blocks: update, reset, candidate
steps = {}
for name, bias in keep.items():
    gate = float(np.mean(1 / (1 + np.exp(-bias))))
    steps[name] = math.ceil(math.log(0.01) / math.log(gate))  # the first k with gate**k < 0.01
    print(f"{name}: keep gate {gate:.3f}, below 1% after {steps[name]} steps")

answer = steps  # {"lstm": 15, "gru": 7}
