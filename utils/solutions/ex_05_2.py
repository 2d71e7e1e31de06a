"""Exercise 05.2: parameters of LSTM(64), Bidirectional(LSTM(64)) and Bidirectional(GRU(64)) on 64 features."""
import keras

layers = {"lstm": keras.layers.LSTM(64),
          "bidirectional_lstm": keras.layers.Bidirectional(keras.layers.LSTM(64)),
          "bidirectional_gru": keras.layers.Bidirectional(keras.layers.GRU(64))}
counts = {}
for name, layer in layers.items():
    layer.build((None, None, 64))
    counts[name] = layer.count_params()
    print(f"{name:<19} {counts[name]:>7,}")

answer = counts
