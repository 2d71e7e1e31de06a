"""Timing and memory measurements for training runs.

Memory is the process's resident set size (RSS), sampled by a background thread: what the
operating system sees the Python process hold, TensorFlow's buffers included.
"""

import os
import threading
import time

from utils.checks import positive_seconds

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def rss_bytes() -> int:
    """Current resident memory of this process in bytes (Linux; 0 where /proc is missing)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * _PAGE
    except OSError:
        return 0


class Measure:
    """Context manager: wall seconds and peak RSS while the block runs.

    >>> with Measure() as m:
    ...     model.fit(...)
    >>> m.seconds, m.peak_mb, m.added_mb
    """

    def __init__(self, interval: float = 0.05):
        self.interval = positive_seconds(interval, "interval", upper=threading.TIMEOUT_MAX)
        self.seconds = 0.0
        self.peak_mb = 0.0
        self.added_mb = 0.0

    def _watch(self):
        while not self._stop.is_set():
            self._peak = max(self._peak, rss_bytes())
            self._stop.wait(self.interval)

    def __enter__(self):
        self._before = rss_bytes()
        self._peak = self._before
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        self._t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self._t0
        self._stop.set()
        self._thread.join()
        self._peak = max(self._peak, rss_bytes())
        self.peak_mb = self._peak / 2**20
        self.added_mb = max(0, self._peak - self._before) / 2**20
        return False
