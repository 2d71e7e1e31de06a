"""Exercise 08.3: the noise rule by hand, on three seeds of the LSTM and the GRU."""
import numpy as np
from scipy import stats

from utils.verdicts import compare

lstm, gru = [0.821, 0.839, 0.833], [0.838, 0.845, 0.840]
gap = float(np.mean(gru) - np.mean(lstm))  # +0.010
interval = stats.ttest_ind(gru, lstm, equal_var=False).confidence_interval(0.95)  # Welch's 95% interval
half_width = float(interval.high - interval.low) / 2
verdict = "not decided" if interval.low <= 0 <= interval.high else ("gru better" if gap > 0 else "lstm better")
print(f"gap {gap:+.4f}, interval [{interval.low:+.4f}, {interval.high:+.4f}], half-width {half_width:.4f} -> {verdict}")
print("utils.verdicts says:", compare(gru, lstm, names=("gru", "lstm")))

answer = {"gap": gap, "noise": half_width, "verdict": verdict}
