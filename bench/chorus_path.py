"""Run Chorus's own stages on labelled records, exactly as the flow composes them.

Records are validated as ingest does (``tasks.ingest.validate_record``), then the
composition's scrub -> facets -> embed (no cache, so it is measured cold) -> cluster
stages run on them (``flows.composition.run_stages``), each timed by the meter. Nothing
here re-implements or re-orders a stage; settings come from ``configs/chorus.toml``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

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
        facets: the facets stage's frame (request, user_id, language, ...), for the
            stages after cluster (``bench.naming_eval`` runs summarize on it).
    """

    labels: np.ndarray
    parents: np.ndarray | None
    requests: list[str]
    embeddings: np.ndarray
    cluster_labels: np.ndarray
    n_reassigned: int
    users: np.ndarray
    facets: pl.DataFrame | None = None


def to_frame(records: list[dict], max_message_chars: int) -> tuple[pl.DataFrame, list[dict]]:
    """Validate records like ingest does; return (CONVERSATION_SCHEMA frame, kept records)."""
    from chorus.core.schemas import CONVERSATION_SCHEMA
    from tasks.ingest import validate_record

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
    from chorus.core.config import load_config as _load
    from chorus.core.env import PROJECT_ROOT

    return _load(PROJECT_ROOT / "configs" / "chorus.toml",
                 ["scrub.progress=false", "embed.progress=false", *(overrides or [])])


EVAL_STAGES = ("scrub", "facets", "embed", "cluster")


def run_chorus(name: str, records: list[dict], meter: Meter, cfg=None) -> ChorusOutput:
    """Scrub, facet, embed and cluster ``records``; stage times go to ``meter``."""
    import shutil
    import tempfile

    from chorus.core.rundata import RunData
    from flows.composition import RunContext, Stage, new_run_row, run_stages
    from tasks.embedders import build_embedder
    from tasks.recognizers.analyzer import build_analyzer

    cfg = (cfg or load_config()).model_copy(deep=True)
    cfg.embed.cache = False  # measured cold
    # the cluster stage keeps topic state in a private store: a scratch one, never the
    # project's (an evaluation run must leave nothing behind)
    scratch = tempfile.mkdtemp(prefix="chorus-eval-")
    cfg.run.private_store = str(Path(scratch) / "private.duckdb")
    frame, kept = to_frame(records, cfg.ingest.max_message_chars)
    n = frame.height
    build_analyzer(cfg.scrub)  # model load is setup, not throughput (cached per process)
    build_embedder(cfg.embed).embed(["warm up"])
    n_user = sum(1 for r in kept for m in r["messages"] if m["role"] == "user")

    def timed(stage: Stage, data: RunData, args: tuple) -> dict:
        with meter.stage(name, stage.name, n):
            counts = stage.func(data, *args)
        if stage.name == "scrub":
            meter.rows[-1]["user_messages"] = n_user
        return counts

    data = RunData(f"eval-{name}", raw=frame)
    ctx = RunContext(cfg, new_run_row(cfg, data.run_id))
    try:
        results = run_stages(data, ctx, timed, EVAL_STAGES)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    assert data.facets is not None and data.embeddings is not None and data.labels is not None
    parents = [r.get("parent_label") for r in kept]
    return ChorusOutput(
        labels=np.array([r["label"] for r in kept], dtype=object),
        parents=None if all(p is None for p in parents) else np.array(parents, dtype=object),
        requests=data.facets["request"].to_list(), embeddings=data.embeddings,
        cluster_labels=data.labels, n_reassigned=int(results["cluster"]["reassigned"]),
        users=np.array([r["user_id"] for r in kept], dtype=object), facets=data.facets)
