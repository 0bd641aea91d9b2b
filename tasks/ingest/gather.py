"""The global phase's ingest: every chunk's stored output into the run's data.

``gather_stage`` loads the chunk store's outputs of a run's chunks
(``chorus.core.chunk_store.gather``: no raw text, user ids already pseudonyms) into
``RunData`` (``facets``, ``lens``, ``embeddings``, ``pii_counts``, ``quarantine``) and
checks the quarantine bound over all chunks. The quarantine is set before the bound is
checked, so a run that fails on it still stores its rows.
"""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger

from chorus.core.chunk_store import ChunkStore, gather
from chorus.core.chunks import ChunkRef
from chorus.core.errors import text_safe_errors
from chorus.core.rundata import RunData, run_data
from chorus.core.settings import IngestSettings
from tasks.ingest.read import check_share


def gather_stage(data: RunData, store: ChunkStore, refs: list[ChunkRef],
                 settings: IngestSettings) -> dict[str, int]:
    """The chunks of ``refs`` -> ``data.quarantine``, then (bound kept) ``facets``,
    ``lens``, ``embeddings`` and ``pii_counts``; ingest's counts plus
    ``duplicates_across_chunks``.

    Raises:
        ChorusError: a chunk is not stored, or the input holds no records.
        QuarantineExceeded: the bound failed over all chunks (``data.quarantine`` set).
    """
    gathered = gather(store, refs)
    data.quarantine = gathered.quarantine
    counts = gathered.counts
    check_share(counts["read"], gathered.quarantine, counts["blank"],
                settings.max_quarantine_share)
    data.facets, data.lens = gathered.facets, gathered.lens
    data.embeddings, data.pii_counts = gathered.embeddings, gathered.pii_counts
    return counts


@task(name="gather", cache_policy=NO_CACHE, persist_result=False)
@text_safe_errors("gather")
def gather_task(run_id: str, store: ChunkStore, refs: list[ChunkRef],
                settings: IngestSettings) -> dict[str, int]:
    """``gather_stage`` on the run's data; returns counts only."""
    counts = gather_stage(run_data(run_id), store, refs, settings)
    get_run_logger().info(
        "gather: %d chunks: read %d, accepted %d, quarantined %d (%d duplicates across "
        "chunks); %d blank lines", len(refs), counts["read"], counts["accepted"],
        counts["quarantined"], counts["duplicates_across_chunks"], counts["blank"])
    return counts
