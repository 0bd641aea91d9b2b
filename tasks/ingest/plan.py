"""Plan a run's chunks: the input files checked (``preflight``), then cut
(``chorus.core.chunks.plan_chunks``)."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger

from chorus.core.chunks import ChunkRef, plan_chunks
from chorus.core.errors import text_safe_errors
from tasks.ingest.preflight import preflight_inputs


def plan_inputs(paths: list[str], chunk_size: int) -> list[ChunkRef]:
    """Check every input (``preflight_inputs``), then its chunks in input order.

    Raises:
        ChorusError: as ``preflight_inputs``.
    """
    files = preflight_inputs(paths)
    return plan_chunks([(f.path, f.kind, f.n_rows) for f in files], chunk_size)


@task(name="plan-chunks", cache_policy=NO_CACHE, persist_result=False, retries=1,
      retry_delay_seconds=2)
@text_safe_errors("plan", passthrough=(OSError,))
def plan_task(paths: list[str], chunk_size: int) -> list[ChunkRef]:
    """``plan_inputs`` as a task; its result is references (paths, ranges, hashes)."""
    refs = plan_inputs(paths, chunk_size)
    get_run_logger().info("plan: %d input file(s) in %d chunks of up to %d records",
                          len(paths), len(refs), chunk_size)
    return refs
