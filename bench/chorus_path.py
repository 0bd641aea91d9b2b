"""Run Chorus's own stages on labelled records, exactly as the flow composes them.

ingest validation (``tasks.ingest.validate_record``) -> scrub (``scrub_conversations``)
-> facets (``compute_facets``: the request that is embedded) -> embed
(``build_embedder`` + ``embed_with_cache`` without a cache, so it is measured cold) ->
cluster (``cluster_embeddings`` with the configuration's ``ClusterSettings``).
Nothing here re-implements a stage; settings come from ``configs/chorus.toml``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import polars as pl

from bench.throughput import Meter

log = logging.getLogger(__name__)


@dataclass
class ChorusOutput:
    """What the stages produced for n accepted records.

    Attributes:
        labels: (n,) true labels; parents: (n,) parent labels or None.
        requests: n embedded texts (scrubbed, cut by the facet settings).
        embeddings: (n, d) float32 unit rows.
        cluster_labels: (levels, n) int32, row 0 base clusters, -1 noise.
        n_reassigned: noise points moved by the configured reassignment.
        users: (n,) user ids.
    """

    labels: np.ndarray
    parents: np.ndarray | None
    requests: list[str]
    embeddings: np.ndarray
    cluster_labels: np.ndarray
    n_reassigned: int
    users: np.ndarray


def to_frame(records: list[dict], max_message_chars: int) -> tuple[pl.DataFrame, list[dict]]:
    """Validate records like ingest does; return (CONVERSATION_SCHEMA frame, kept records)."""
    from tasks.ingest import CONVERSATION_SCHEMA, validate_record

    clean, kept = [], []
    for record in records:
        row, reason = validate_record(record, max_message_chars)
        if row is None:
            log.warning("record %s dropped: %s", record.get("conversation_id"), reason)
            continue
        clean.append(row)
        kept.append(record)
    return pl.DataFrame(clean, schema=CONVERSATION_SCHEMA), kept


def load_config(overrides: list[str] | None = None):
    from chorus.config import load_config as _load
    from chorus.env import PROJECT_ROOT

    return _load(PROJECT_ROOT / "configs" / "chorus.toml",
                 ["scrub.progress=false", "embed.progress=false", *(overrides or [])])


def run_chorus(name: str, records: list[dict], meter: Meter, cfg=None) -> ChorusOutput:
    """Scrub, facet, embed and cluster ``records``; stage times go to ``meter``."""
    from tasks.cluster import cluster_embeddings
    from tasks.embed import build_embedder, embed_with_cache
    from tasks.facets import compute_facets
    from tasks.scrub import build_analyzer, scrub_conversations

    cfg = cfg or load_config()
    frame, kept = to_frame(records, cfg.ingest.max_message_chars)
    n = frame.height
    analyzer = build_analyzer(cfg.scrub)  # model load is setup, not throughput
    n_user = sum(1 for r in kept for m in r["messages"] if m["role"] == "user")
    with meter.stage(name, "scrub", n):
        scrubbed, _ = scrub_conversations(frame, analyzer, cfg.scrub)
    meter.rows[-1]["user_messages"] = n_user
    with meter.stage(name, "facets", n):
        facets = compute_facets(scrubbed, cfg.facets)
    requests = facets["request"].to_list()
    embedder = build_embedder(cfg.embed)
    embedder.embed(["warm up"])
    with meter.stage(name, "embed", n):
        vectors, _ = embed_with_cache(requests, embedder, None)
    with meter.stage(name, "cluster", n):
        result = cluster_embeddings(vectors, cfg.cluster)
    parents = [r.get("parent_label") for r in kept]
    return ChorusOutput(
        labels=np.array([r["label"] for r in kept], dtype=object),
        parents=None if all(p is None for p in parents) else np.array(parents, dtype=object),
        requests=requests, embeddings=vectors, cluster_labels=result.labels,
        n_reassigned=result.n_reassigned,
        users=np.array([r["user_id"] for r in kept], dtype=object))
