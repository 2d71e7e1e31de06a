"""Exercise 08.3: the noise rule by hand, on three seeds of the LSTM and the GRU."""
import numpy as np

from utils.verdicts import compare

lstm, gru = [0.821, 0.839, 0.833], [0.838, 0.845, 0.840]
gap = abs(np.mean(gru) - np.mean(lstm))  # 0.010
noise = max(max(lstm) - min(lstm), max(gru) - min(gru))  # the larger range: 0.018
verdict = "no difference" if gap <= noise else ("gru better" if np.mean(gru) > np.mean(lstm) else "lstm better")
print(f"gap {gap:.4f}, noise {noise:.4f} -> {verdict}")
print("utils.verdicts says:", compare(gru, lstm, names=("gru", "lstm"), noise_kind="seed spread"))

answer = {"gap": float(gap), "noise": float(noise), "verdict": verdict}
