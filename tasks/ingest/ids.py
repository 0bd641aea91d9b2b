"""The conversation ids a planned run will accept, before any chunk is scrubbed.

``planned_ids(refs, store, settings, not_after)`` gives, per chunk in plan order, the ids
of the conversations the chunk's ingest accepts: read from the chunk store when the chunk
is stored (its ``conversation_id`` column; the input is not read), else by validating
the chunk's range as its chunk task will (``read_chunk``, the same ``not_after``). The
union over chunks is the set of ids the run's global phase keeps (a repeat across chunks
is dropped there, and a set does not see it), so a check over them (the period overlap:
``tasks.cluster.topics.preflight_period``) decides what the cluster stage would, in
the seconds ingest takes instead of after scrub and embed.

Raw text exists only inside ``read_chunk`` for one chunk at a time, in this process's
memory; what is returned is ids.
"""

from __future__ import annotations

from datetime import datetime

import polars as pl

from chorus.core.chunk_store import CONVERSATIONS, ChunkStore
from chorus.core.chunks import ChunkRef
from chorus.core.settings import IngestSettings
from tasks.ingest.read import read_chunk


def planned_ids(refs: list[ChunkRef], store: ChunkStore, settings: IngestSettings,
                not_after: datetime | None) -> list[str]:
    """Accepted conversation ids of every chunk of ``refs``, chunk by chunk (see the
    module docstring); a chunk's ids in record order.

    Raises:
        ChorusError: as ``read_chunk`` (the file changed since it was planned).
    """
    ids: list[str] = []
    for ref in refs:
        if store.done(ref):
            ids += pl.read_parquet(store.path(ref) / CONVERSATIONS,
                                   columns=["conversation_id"])["conversation_id"].to_list()
        else:
            ids += read_chunk(ref, settings, not_after).conversations["conversation_id"].to_list()
    return ids
