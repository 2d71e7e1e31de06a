"""Helpers shared by the course notebooks: data sets, windows, plots, run mode and results.

The model code each lesson teaches lives in the notebook; this package holds only the plumbing.
"""

from utils.runmode import by_mode, is_fast, run_mode

__all__ = ["by_mode", "is_fast", "run_mode"]
