"""pytest configuration shared by the unit tests and nbval's notebook runs.

nbval compares the outputs of cells tagged ``nbval-check-output``. Warnings that libraries print
on stderr differ between machines and versions, so stderr is never compared.
"""

import os

# The notebook kernels are started by nbval and inherit this environment.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("PYTHONHASHSEED", "0")


def pytest_collectstart(collector):
    if str(getattr(collector, "path", "")).endswith(".ipynb"):
        collector.skip_compare = (*collector.skip_compare, "stderr")
