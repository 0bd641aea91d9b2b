"""Typed run data: every frame a run's stages pass on, one field each, in memory only.

Prefect tasks exchange references (a run id), not data, as Prefect advises: the frames
live here, in this process's memory, for the length of one flow run, and ``release``
drops them. They are never pickled into a Prefect result, a cache or a file. Raw text
exists only in ``RunData.raw``, which the scrub stage empties.

Each stage's inputs and outputs are fields of ``RunData``: the stage functions say which
in their signatures, and ``flows.composition.STAGES`` lists them per stage.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, fields
from typing import TypeVar

import numpy as np
import polars as pl

from chorus.core.errors import ChorusError
from chorus.core.release import Release

T = TypeVar("T")


@dataclass
class RunData:
    """The frames of one run; None until the stage that writes a field has run.

    Attributes:
        raw: accepted conversations, ``schemas.CONVERSATION_SCHEMA`` (raw text; ingest
            writes it, scrub drops it).
        quarantine: ``schemas.QUARANTINE_SCHEMA`` rows (ingest).
        chunk_rows: a chunk's ``record`` (line or row number) and ``empty_messages`` per
            accepted conversation, row-aligned with ``raw`` and every frame after it
            (the chunked ingest only; see ``flows.chunked``).
        scrubbed: ``schemas.SCRUBBED_SCHEMA`` (scrub; facets drops it).
        pii_counts: ``schemas.PII_COUNTS_SCHEMA`` (scrub).
        facets: per-conversation frame with the request and facet columns (facets).
        embeddings: (n, d) float32 unit rows of ``facets["request"]`` (embed).
        lens: per-conversation lens columns, row-aligned with ``facets`` (lens).
        labels: (levels, n) int32 cluster labels, -1 noise (cluster).
        summaries: ``schemas.SUMMARY_SCHEMA`` (summarize).
        release: what the gate published, audited (release).
        stage_times: ``schemas.RUN_STAGE_SCHEMA`` rows, seconds and items per stage so
            far (the flow fills it; the store stage writes it to ``run_stages``).
    """

    run_id: str
    raw: pl.DataFrame | None = None
    quarantine: pl.DataFrame | None = None
    chunk_rows: pl.DataFrame | None = None
    scrubbed: pl.DataFrame | None = None
    pii_counts: pl.DataFrame | None = None
    facets: pl.DataFrame | None = None
    embeddings: np.ndarray | None = None
    lens: pl.DataFrame | None = None
    labels: np.ndarray | None = None
    summaries: pl.DataFrame | None = None
    release: Release | None = None
    stage_times: pl.DataFrame | None = None

    @staticmethod
    def field_names() -> tuple[str, ...]:
        return tuple(f.name for f in fields(RunData) if f.name != "run_id")

    def held(self) -> list[str]:
        """Names of the fields that hold data now."""
        return [name for name in self.field_names() if getattr(self, name) is not None]


def required(value: T | None, name: str, run_id: str = "") -> T:
    """``value``, or a ChorusError naming the missing field (an upstream stage did not run)."""
    if value is None:
        raise ChorusError(f"run {run_id or '?'} has no {name!r} yet: the stage that "
                          "writes it has not run")
    return value


_LOCK = threading.Lock()
_RUNS: dict[str, RunData] = {}


def run_data(run_id: str) -> RunData:
    """The run data of ``run_id`` in this process, created on first use."""
    with _LOCK:
        if run_id not in _RUNS:
            _RUNS[run_id] = RunData(run_id)
        return _RUNS[run_id]


def release(run_id: str) -> None:
    """Forget everything the run held."""
    with _LOCK:
        _RUNS.pop(run_id, None)
