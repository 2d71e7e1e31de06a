"""Helpers shared by the course notebooks: data sets, windows, plots, run mode and results.

The model code each lesson teaches lives in the notebook; this package holds only the plumbing. Its map, the
modules by concern with the lessons that use each, is utils/README.md:

* data in, sequences out: datasets, sequences, text, chars, integrity;
* models and training shared by several lessons: cells, lesson_functions, adding_task, memory_task, sentiment,
  attention, training, tuning, transformer, counting, edge;
* baselines and scores: ngram, compression, sampling, units, forecasting, forecast_baselines, volatility,
  probabilistic;
* deciding: verdicts (the noise rule), calibration, claims;
* measuring, storing, reporting: runmode, environment, measure, benchmark, latency, results, predictions, report,
  plots, checks; exercises/ and solutions/.
"""

from utils.runmode import by_mode, is_fast, run_mode

__all__ = ["by_mode", "is_fast", "run_mode"]
