"""Wall time and peak resident memory of a block, as bench/pipeline_bench.py measures them.

``Meter.stage(dataset, stage, items)`` is a context manager; each use appends one row::

    {"dataset": str, "stage": str, "items": int, "seconds": float,
     "items_per_s": float | None, "peak_mb": int}

Peak memory is the process's resident set size sampled every 20 ms during the block; it
includes whatever earlier stages and data sets left in the process.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass, field

from bench.pipeline_bench import timed_peak

log = logging.getLogger(__name__)


@dataclass
class Meter:
    """Collects one row per measured block (see module docstring)."""

    rows: list[dict] = field(default_factory=list)

    @contextmanager
    def stage(self, dataset: str, stage: str, items: int):
        with timed_peak() as t:
            yield
        seconds = t["seconds"]
        row = {"dataset": dataset, "stage": stage, "items": items,
               "seconds": round(seconds, 2),
               "items_per_s": round(items / seconds, 1) if seconds > 0 else None,
               "peak_mb": round(t["peak_mb"])}
        self.rows.append(row)
        log.info("%s %s: %d items in %.2f s (%.1f/s), peak %d MB", dataset, stage, items,
                 seconds, row["items_per_s"] or 0.0, row["peak_mb"])

    def seconds(self, dataset: str, stage: str) -> float:
        """Seconds of the last row for (dataset, stage)."""
        for row in reversed(self.rows):
            if row["dataset"] == dataset and row["stage"] == stage:
                return row["seconds"]
        raise KeyError((dataset, stage))
