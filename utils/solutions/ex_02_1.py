"""Exercise 02.1: the parameter count of a GRU with reset_after=False."""
import keras

layer = keras.layers.GRU(8, reset_after=False)
layer.build((None, None, 6))
print("weights:", [w.shape for w in layer.get_weights()])  # one bias vector: (24,)
print("count:", layer.count_params(), "= 3u(u + i + 1) =", 3 * 8 * (8 + 6 + 1))

answer = layer.count_params()
