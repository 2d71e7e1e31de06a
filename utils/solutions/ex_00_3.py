"""Exercise 00.3: 30-day windows built per period, and the windows that would straddle a boundary."""
from utils.datasets import load_sp500, split_by_date
from utils.sequences import dataset_to_arrays, make_windows

sp500 = load_sp500()
close = sp500["Close"].to_numpy()
whole = len(dataset_to_arrays(make_windows(close, window=30, batch_size=256))[0])
per_split = sum(len(dataset_to_arrays(make_windows(part["Close"].to_numpy(), window=30, batch_size=256))[0])
                for part in split_by_date(sp500))
print(f"whole series {whole} windows, per period {per_split}: {whole - per_split} would straddle a boundary")

answer = {"per_split": per_split, "straddling": whole - per_split}
