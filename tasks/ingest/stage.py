"""The ingest stage over the run's data, and its thin Prefect task.

The quarantine rows (source, record number, reason: never text) are put into the run's
data before the quarantine bound is checked, so a run that fails on the bound still
writes them (``flows.pipeline.record_failure_task``) and the bad records can be found.
The raw conversations are kept only when the run goes on.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import polars as pl
from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger

from chorus.core.chunks import ChunkRef
from chorus.core.errors import text_safe_errors
from chorus.core.rundata import RunData, run_data
from chorus.core.settings import IngestSettings
from tasks.ingest.read import check_quarantine_share, read_chunk, read_inputs


def _retry_on_io(task_obj, task_run, state) -> bool:
    """Retry only transient I/O failures, never a bad input or a quarantine breach."""
    try:
        state.result()
    except OSError:
        return True
    except Exception:  # noqa: BLE001 - any other failure: no retry (the task then fails)
        return False
    return False


def ingest_stage(data: RunData, paths: list[str], settings: IngestSettings) -> dict[str, int]:
    """Input files -> ``data.quarantine``, then (bound kept) ``data.raw``; counts.

    Returns:
        ``read`` (= ``accepted`` + ``quarantined``), ``accepted``, ``quarantined``,
        ``blank`` (blank lines, not records) and ``empty_messages`` (messages without
        content dropped from accepted records).

    Raises:
        ChorusError: a bad input file (``preflight_inputs``) or no records.
        QuarantineExceeded: the bound failed; ``data.quarantine`` is set already.
    """
    result = read_inputs([Path(p) for p in paths], settings)
    data.quarantine = result.quarantine
    check_quarantine_share(result, settings.max_quarantine_share)
    data.raw = result.conversations
    return {"read": result.n_read, "accepted": result.conversations.height,
            "quarantined": result.quarantine.height, "blank": result.n_blank,
            "empty_messages": result.n_empty_messages}


@task(name="ingest", cache_policy=NO_CACHE, persist_result=False, retries=2,
      retry_delay_seconds=2, retry_condition_fn=_retry_on_io)
@text_safe_errors("ingest", passthrough=(OSError,))
def ingest_task(run_id: str, paths: list[str], settings: IngestSettings) -> dict[str, int]:
    """``ingest_stage`` on the run's data; returns counts only."""
    counts = ingest_stage(run_data(run_id), paths, settings)
    get_run_logger().info(
        "ingest: read %d, accepted %d, quarantined %d; %d blank lines, %d empty messages "
        "dropped", counts["read"], counts["accepted"], counts["quarantined"],
        counts["blank"], counts["empty_messages"])
    return counts


def ingest_chunk_stage(data: RunData, ref: ChunkRef, settings: IngestSettings,
                       not_after: datetime | None) -> dict[str, int]:
    """One chunk's records -> ``data.raw``, ``data.quarantine`` and ``data.chunk_rows``
    (record number and empty messages per accepted conversation); counts as
    ``ingest_stage``'s. No quarantine bound here: the run checks it over all chunks.

    Raises:
        ChorusError: the file changed since it was planned, or a Parquet range cannot be
            read.
    """
    result = read_chunk(ref, settings, not_after)
    data.quarantine = result.quarantine
    data.raw = result.conversations
    data.chunk_rows = pl.DataFrame({"record": result.records,
                                    "empty_messages": result.empty_per_record},
                                   schema={"record": pl.Int64, "empty_messages": pl.UInt32})
    return {"read": result.n_read, "accepted": result.conversations.height,
            "quarantined": result.quarantine.height, "blank": result.n_blank,
            "empty_messages": result.n_empty_messages}


@task(name="ingest-chunk", cache_policy=NO_CACHE, persist_result=False)
@text_safe_errors("ingest")
def ingest_chunk_task(run_id: str, ref: ChunkRef, settings: IngestSettings,
                      not_after: datetime | None) -> dict[str, int]:
    """``ingest_chunk_stage`` on the (chunk's) run data; returns counts only. The chunk
    task calls its function directly (``.fn``), inside its own task run."""
    counts = ingest_chunk_stage(run_data(run_id), ref, settings, not_after)
    get_run_logger().info("ingest: chunk %d: read %d, accepted %d, quarantined %d; %d blank "
                          "lines", ref.index, counts["read"], counts["accepted"],
                          counts["quarantined"], counts["blank"])
    return counts
