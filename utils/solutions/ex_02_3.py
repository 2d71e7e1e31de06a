"""Exercise 02.3: gate saturation of the small LSTM trained with learning rate 0.01, between 0.001 and 0.05."""
from utils import by_mode
from utils.datasets import load_imdb
from utils.lstm_gates import gate_values, saturated_share, train_small_lstm  # the lesson's functions
from utils.text import ReviewEncoder

MAX_TOKENS, SEQ_LEN = 10_000, 200
EPOCHS = by_mode(full=10, fast=1)
GATE_REVIEWS = by_mode(full=200, fast=5)
train = load_imdb("train", limit=by_mode(full=None, fast=200))
validation = load_imdb("validation", limit=by_mode(full=None, fast=100))
test = load_imdb("test", limit=by_mode(full=None, fast=100))
encode = ReviewEncoder(train["text"], vocab_size=MAX_TOKENS, max_len=SEQ_LEN)  # the last 200 words
x_train, y_train = encode(train["text"]), train["label"].to_numpy()
x_val, y_val = encode(validation["text"]), validation["label"].to_numpy()  # decides early stopping
x_test, y_test = encode(test["text"]), test["label"].to_numpy()  # measures


def fit_lstm(learning_rate, seed=1):  # the lesson's run: small_lstm to its best validation epoch
    return train_small_lstm(learning_rate, seed, (x_train, y_train), (x_val, y_val), epochs=EPOCHS, verbose=0,
                            vocab_size=MAX_TOKENS, seq_len=SEQ_LEN)[0]


shares = {}
for learning_rate in (0.001, 0.01, 0.05):
    model = fit_lstm(learning_rate)
    shares[f"lr {learning_rate}"] = saturated_share(gate_values(model, x_test, GATE_REVIEWS))  # mean of 3 gates
    accuracy = model.evaluate(x_test, y_test, verbose=0)[1]
    print(f"lr {learning_rate}: {shares[f'lr {learning_rate}']:.1%} of gate values saturated, "
          f"test accuracy {accuracy:.3f}")

closer = min(("lr 0.001", "lr 0.05"), key=lambda k: abs(shares["lr 0.01"] - shares[k]))
answer = {**shares, "closer_to": closer}
