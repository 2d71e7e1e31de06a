"""Exercise 05.1: the output shapes of Bidirectional(LSTM(64, return_sequences=True)) and of pooling over time."""
import keras
import numpy as np

probe = keras.ops.convert_to_tensor(np.zeros((2, 300, 64), dtype="float32"))  # 2 reviews, 300 steps, 64 features
states = keras.layers.Bidirectional(keras.layers.LSTM(64, return_sequences=True))(probe)
pooled = keras.layers.GlobalMaxPooling1D()(states)
print("bidirectional", tuple(states.shape), "-> pooled", tuple(pooled.shape))

answer = {"bidirectional": tuple(states.shape), "pooled": tuple(pooled.shape)}
