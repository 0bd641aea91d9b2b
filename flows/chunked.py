"""The map phase: ingest, scrub, facets, embed and lens per chunk, into the chunk store.

Composition only. A chunk task (``map_chunk_task``) gets a ``ChunkRef`` (path, range,
fingerprint) and a ``MapJob`` (run id, config, store location): no text. In the process
that runs it, it reads its own range (``tasks.ingest.ingest_chunk_stage``), runs the map
stages of ``flows.composition.STAGES`` on a chunk-local ``RunData`` (each stage's task
function called directly, inside the chunk's task run), replaces user ids by keyed
pseudonyms, writes the result to the chunk store (``chorus.core.chunk_store``) and
returns counts and per-stage seconds only. Raw text lives in that process's memory,
for one chunk, and ends at scrub, as in a single pass.

A chunk already stored under the same key (input bytes, range, ``map_config_hash``) is
not computed again: that is how a killed run resumes, and why the same input and map
settings reuse each other's chunks whatever the run id.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from prefect import task
from prefect.cache_policies import NO_CACHE

import chorus
from chorus.core.chunk_store import CHUNK_FORMAT, EMBEDDING, ChunkOutput, ChunkStore
from chorus.core.chunks import ChunkRef
from chorus.core.config import ChorusConfig
from chorus.core.env import PROJECT_ROOT
from chorus.core.errors import text_safe_errors
from chorus.core.private_store import pseudonymize, user_key
from chorus.core.rundata import RunData, run_data
from chorus.core.rundata import release as release_run_data
from chorus.core.schemas import SCRUBBED_SCHEMA
from flows.composition import STAGES, RunContext
from tasks.ingest import ingest_chunk_task

MAP_STAGES = ("scrub", "facets", "embed", "lens")  # after the chunk's own ingest
MAP_STAGE_NAMES = ("ingest", *MAP_STAGES)
# every other stage of the composition runs once, over the gathered chunks
GLOBAL_STAGES = tuple(s.name for s in STAGES if s.name not in MAP_STAGE_NAMES)
# Settings that do not change what a map stage computes (how fast, how loud): left out
# of the map hash, so changing them keeps the stored chunks.
NOT_HASHED = {"ingest": {"max_quarantine_share"},
              "scrub": {"batch_size", "progress"},
              "embed": {"batch_size", "threads", "cache", "cache_batch", "progress"},
              "lens": {"calibration_tpr", "calibration_fpr", "outcome_margin",
                       "concern_min_level"}}


def _file_digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def map_config_hash(cfg: ChorusConfig) -> str:
    """sha256 over what decides a chunk's output: the map stages' settings (less
    ``NOT_HASHED``), the recognizers file and the lens model's bytes, the Chorus version
    and the chunk format. A change of any of them computes chunks anew."""
    sections = {name: getattr(cfg, name).model_dump(mode="json", exclude=NOT_HASHED.get(name))
                for name in ("ingest", "scrub", "facets", "embed", "lens")}
    lens_model = Path(cfg.lens.affective_model)
    extra = {"version": chorus.__version__, "format": CHUNK_FORMAT,
             "recognizers": _file_digest(cfg.scrub.resolved_recognizers_config()),
             "lens_model": _file_digest(lens_model if lens_model.is_absolute()
                                        else PROJECT_ROOT / lens_model)
             if cfg.lens.affective_model else None}
    blob = json.dumps({"sections": sections, **extra}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


@dataclass(frozen=True)
class MapJob:
    """What every chunk task of a run gets besides its ref (no text).

    Attributes:
        run_id: the run.
        cfg: the run's configuration.
        not_after: the latest ``created_at`` accepted (the run's start plus
            ``ingest.max_future_hours``), the same for every chunk of the run.
        store_root: the chunk store's folder (``chunk_root``).
        map_hash: ``map_config_hash(cfg)``.
    """

    run_id: str
    cfg: ChorusConfig
    not_after: datetime
    store_root: str
    map_hash: str


def _empty_output_frame() -> pl.DataFrame:
    return pl.DataFrame(schema={"record": pl.Int64, "conversation_id": pl.Utf8,
                                "user_id": pl.Utf8, "empty_messages": pl.UInt32,
                                "pii": SCRUBBED_SCHEMA["pii"], EMBEDDING: pl.List(pl.Float32)})


def chunk_output(data: RunData, key: bytes, manifest: dict[str, Any]) -> ChunkOutput:
    """The chunk's stored form: facet columns (no ``user_turns``), record numbers, lens
    columns, embeddings; user ids replaced by pseudonyms; quarantine without source."""
    quarantine = (data.quarantine if data.quarantine is not None else pl.DataFrame(
        schema={"record": pl.Int64, "reason": pl.Utf8})).select("record", "reason")
    if data.facets is None or data.facets.is_empty():
        frame = _empty_output_frame()
    else:
        facets = data.facets.drop("user_turns", strict=False)
        facets = facets.with_columns(pl.Series(
            "user_id", pseudonymize(facets["user_id"].to_list(), key), dtype=pl.Utf8))
        parts = [data.chunk_rows, facets.drop("empty_messages", strict=False)]
        if data.lens is not None:
            parts.append(data.lens)
        vectors = np.asarray(data.embeddings, dtype=np.float32)
        frame = pl.concat([p for p in parts if p is not None], how="horizontal").with_columns(
            pl.Series(EMBEDDING, vectors, dtype=pl.Array(pl.Float32, vectors.shape[1])))
        manifest["dim"] = int(vectors.shape[1])
    manifest["lens_columns"] = list(data.lens.columns) if data.lens is not None else []
    manifest["entity_types"] = (sorted(data.pii_counts["entity_type"].to_list())
                                if data.pii_counts is not None else [])
    return ChunkOutput(frame, quarantine, manifest)


def map_chunk(ref: ChunkRef, job: MapJob) -> dict[str, Any]:
    """Run the map stages on one chunk and store the result (see the module docstring).

    Call inside a Prefect task run (the stages' task functions log to it).

    Returns:
        ``chunk``, ``reused`` (already stored: nothing computed), and when computed
        ``counts`` (ingest's), ``seconds`` and ``items`` per map stage.
    """
    store = ChunkStore(job.store_root, job.map_hash)
    if store.done(ref):
        return {"chunk": ref.index, "reused": True}
    chunk_id = f"{job.run_id}#chunk-{ref.index}"
    data = run_data(chunk_id)
    ctx = RunContext(job.cfg, {"run_id": chunk_id})
    seconds: dict[str, float] = {}
    items: dict[str, int] = {}
    try:
        t0 = time.perf_counter()
        counts = ingest_chunk_task.fn(chunk_id, ref, job.cfg.ingest, job.not_after)
        seconds["ingest"], items["ingest"] = time.perf_counter() - t0, counts["read"]
        if data.raw is not None and data.raw.height:
            for stage in STAGES:
                if stage.name not in MAP_STAGES or not stage.enabled(job.cfg):
                    continue
                t0 = time.perf_counter()
                stage.task.fn(chunk_id, *stage.args(ctx))
                seconds[stage.name] = time.perf_counter() - t0
                items[stage.name] = counts["accepted"]
        else:
            data.raw = None  # nothing accepted: nothing to scrub
        manifest = {**{k: counts[k] for k in ("read", "accepted", "quarantined", "blank",
                                                "empty_messages")},
                    "seconds": seconds, "items": items}
        t0 = time.perf_counter()
        store.write(ref, chunk_output(data, user_key(job.cfg.run.private_store), manifest))
        seconds["write"] = time.perf_counter() - t0
    finally:
        release_run_data(chunk_id)
    return {"chunk": ref.index, "reused": False, "counts": counts, "seconds": seconds,
            "items": items}


@task(name="map-chunk", cache_policy=NO_CACHE, persist_result=False)
@text_safe_errors("map")
def map_chunk_task(ref: ChunkRef, job: MapJob) -> dict[str, Any]:
    """``map_chunk`` as a Prefect task: gets a reference, returns counts only."""
    return map_chunk(ref, job)
