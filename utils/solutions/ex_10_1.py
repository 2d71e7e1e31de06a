"""Exercise 10.1: the LSTM layer's weights in section 3's character model, and their bytes in float32 and int8."""
from utils.edge import one_step_model

model = one_step_model("lstm", vocab_size=84, units=128)  # embedding 64, as in section 3
lstm = model.get_layer("cell")  # the LSTMCell, called once per step
weights = lstm.count_params()
print(f"{lstm.name}: {weights:,} weights (kernel, recurrent kernel and bias of the four gates)")

answer = {"weights": weights, "float32_bytes": 4 * weights, "int8_bytes": weights}
