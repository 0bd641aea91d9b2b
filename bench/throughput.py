"""Wall time and peak resident memory of a block, as bench/pipeline_bench.py measures them.

``Meter.stage(dataset, stage, items)`` is a context manager; each use appends one row::

    {"dataset": str, "stage": str, "items": int, "seconds": float,
     "items_per_s": float | None, "peak_mb": int}

Peak memory is the process's resident set size sampled every 20 ms during the block; it
includes whatever earlier stages and data sets left in the process.
"""

from __future__ import annotations

import logging
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from bench.pipeline_bench import rss_mb

log = logging.getLogger(__name__)


@dataclass
class Meter:
    """Collects one row per measured block (see module docstring)."""

    rows: list[dict] = field(default_factory=list)

    @contextmanager
    def stage(self, dataset: str, stage: str, items: int):
        peak = [rss_mb()]
        stop = threading.Event()

        def sample() -> None:
            while not stop.wait(0.02):
                peak[0] = max(peak[0], rss_mb())

        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
        t0 = time.perf_counter()
        try:
            yield
        finally:
            seconds = time.perf_counter() - t0
            stop.set()
            thread.join()
        row = {"dataset": dataset, "stage": stage, "items": items,
               "seconds": round(seconds, 2),
               "items_per_s": round(items / seconds, 1) if seconds > 0 else None,
               "peak_mb": round(max(peak[0], rss_mb()))}
        self.rows.append(row)
        log.info("%s %s: %d items in %.2f s (%.1f/s), peak %d MB", dataset, stage, items,
                 seconds, row["items_per_s"] or 0.0, row["peak_mb"])

    def seconds(self, dataset: str, stage: str) -> float:
        """Seconds of the last row for (dataset, stage)."""
        for row in reversed(self.rows):
            if row["dataset"] == dataset and row["stage"] == stage:
                return row["seconds"]
        raise KeyError((dataset, stage))
