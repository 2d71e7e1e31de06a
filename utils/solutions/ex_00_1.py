"""Exercise 00.1: the shape of 60-day windows over Close and Volume."""
from utils.datasets import load_sp500
from utils.sequences import dataset_to_arrays, make_windows

sp500 = load_sp500()
two_columns = sp500[["Close", "Volume"]].to_numpy(dtype="float32")  # [days, 2]
x, y = dataset_to_arrays(make_windows(two_columns, window=60, target_column=0, batch_size=256))
print("inputs", x.shape, "targets", y.shape)  # 5,031 days - 60 = 4,971 windows

answer = x.shape
