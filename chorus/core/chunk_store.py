"""The private chunk store: what each chunk's map stages produced, on disk, without raw text.

Layout, under ``<private store folder>/chunks/`` (``chunk_root``)::

    <map_hash[:16]>/                    one folder per map-stage configuration
        <ChunkRef.key>/                 one finished chunk (renamed into place whole)
            conversations.parquet       accepted conversations: record, ids (user_id is
                                        a keyed pseudonym), facet columns, the scrubbed
                                        request, lens columns, per-conversation PII
                                        counts, embedding (Array(Float32, d))
            quarantine.parquet          record, reason (no source: added from the ref)
            manifest.json               counts, entity types, per-stage seconds
        .tmp-<key>-<pid>-<rand>/        a chunk being written (never read)
        .tmp-<key>-<pid>-<rand>.lock    its writer's liveness lock
    runs/<sha256(run_id)[:32]>.json     a run's plan: its chunk refs and map hash, so
                                        ``chorus run --from-store`` finds its chunks
    runs/<sha256(run_id)[:32]>.lock     held by the run while it runs (``write_plan``)
    runs/<sha256(run_id)[:32]>.tmp-<pid>  a plan being written (renamed under gc.lock)
    gc.lock                             plans are written and collected under it

A chunk is keyed by (input fingerprint and range: ``ChunkRef.key``, map-stage config
hash): any run over the same bytes with the same map settings reuses it, which is how a
killed run resumes. A chunk is written into a temporary folder under its writer's liveness
lock and renamed into place in one ``os.rename``: a reader sees a chunk whole or not at
all, and ``remove_partials`` deletes the temporary folders whose writer is gone (killed
mid-write), never one being written. ``chorus.core.chunk_gc`` deletes the chunks and
plans no kept or live run needs.

The store holds scrubbed requests and embeddings (which can be partly inverted to text)
and conversation ids: operators only, like the rest of ``warehouse/private/``.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from chorus.core import liveness
from chorus.core.chunks import ChunkRef, source_name
from chorus.core.duckdb_files import fsync, writer_lock
from chorus.core.errors import ChorusError
from chorus.core.schemas import PII_COUNTS_SCHEMA, QUARANTINE_SCHEMA

CHUNK_FORMAT = 1
CONVERSATIONS, QUARANTINE, MANIFEST = "conversations.parquet", "quarantine.parquet", "manifest.json"
TMP_PREFIX = ".tmp-"
PLAN_TMP = ".tmp-"  # runs/<hash>.tmp-<pid>: a plan being written (renamed under gc.lock)
RUNS = "runs"
GC_LOCK = "gc"  # writer_lock(<chunk root>/gc): <chunk root>/gc.lock, plans vs collection
CHUNK_QUARANTINE_SCHEMA = {"record": pl.Int64, "reason": pl.Utf8}
# columns of a chunk's conversations frame that are not facet columns
RECORD, EMPTY, EMBEDDING, PII = "record", "empty_messages", "embedding", "pii"


def chunk_root(private_store: str | Path) -> Path:
    """``<folder of the private DuckDB file>/chunks``."""
    return Path(private_store).parent / "chunks"


@dataclass
class ChunkOutput:
    """What one chunk's map stages leave: no raw text.

    Attributes:
        conversations: one row per accepted record: ``record`` (Int64), the facet
            columns (``user_turns`` excluded), ``empty_messages`` (UInt32), lens columns
            when the lens ran, ``pii`` (List(Struct{entity_type, n})), ``embedding``.
        quarantine: ``record``, ``reason``.
        manifest: counts (``read``, ``accepted``, ``quarantined``, ``blank``,
            ``empty_messages``), ``entity_types``, ``lens_columns``, ``seconds`` and
            ``items`` per map stage; JSON-safe, no text.
    """

    conversations: pl.DataFrame
    quarantine: pl.DataFrame
    manifest: dict[str, Any] = field(default_factory=dict)


class ChunkStore:
    """The chunks of one map-stage configuration (``map_hash``) under ``root``."""

    def __init__(self, root: str | Path, map_hash: str) -> None:
        self.root = Path(root)
        self.map_hash = map_hash
        self.dir = self.root / map_hash[:16]

    def path(self, ref: ChunkRef) -> Path:
        return self.dir / ref.key

    def done(self, ref: ChunkRef) -> bool:
        """Whether the chunk's output is stored whole."""
        return (self.path(ref) / MANIFEST).is_file()

    def write(self, ref: ChunkRef, output: ChunkOutput) -> bool:
        """Store ``output`` as ``ref``'s chunk: temporary folder, fsync, atomic rename.

        Returns:
            True when written now, False when another writer stored it first (its copy is
            kept; both come from the same bytes and settings).
        """
        self.dir.mkdir(parents=True, exist_ok=True)
        name = f"{TMP_PREFIX}{ref.key}-{os.getpid()}-{secrets.token_hex(4)}"
        tmp, lock = self.dir / name, self.dir / f"{name}.lock"
        if not liveness.hold(lock):  # taken before the folder exists: never orphan-looking
            raise ChorusError(f"chunk store: could not lock {lock}")
        try:
            tmp.mkdir()
            output.conversations.write_parquet(tmp / CONVERSATIONS)
            output.quarantine.write_parquet(tmp / QUARANTINE)
            manifest = {"format": CHUNK_FORMAT, "map_hash": self.map_hash, "ref": asdict(ref),
                        **output.manifest}
            (tmp / MANIFEST).write_text(json.dumps(manifest, sort_keys=True))
            for item in (CONVERSATIONS, QUARANTINE, MANIFEST):
                fsync(tmp / item)
            fsync(tmp, directory=True)
            try:
                os.rename(tmp, self.path(ref))
            except OSError:  # the chunk is there already (another writer)
                if not self.done(ref):
                    raise
                shutil.rmtree(tmp, ignore_errors=True)
                return False
            fsync(self.dir, directory=True)
            return True
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        finally:
            liveness.release(lock)

    def read(self, ref: ChunkRef) -> ChunkOutput:
        """The stored output of ``ref`` (a ``ChorusError`` when it is not stored)."""
        folder = self.path(ref)
        if not self.done(ref):
            raise ChorusError(f"chunk store: chunk {ref.index} ({ref.key}) is not stored "
                              f"under {self.dir}")
        manifest = json.loads((folder / MANIFEST).read_text())
        return ChunkOutput(pl.read_parquet(folder / CONVERSATIONS),
                           pl.read_parquet(folder / QUARANTINE), manifest)

    def remove_partials(self) -> int:
        """Delete every temporary chunk folder (of any configuration) whose writer is
        gone; returns how many."""
        removed = 0
        for config_dir in self.root.glob("*/"):
            for tmp in config_dir.glob(f"{TMP_PREFIX}*"):
                if tmp.suffix == ".lock" or not tmp.is_dir():
                    continue
                if liveness.owner_gone(Path(f"{tmp}.lock")):
                    shutil.rmtree(tmp, ignore_errors=True)
                    removed += 1
        return removed


# --- a run's plan ---------------------------------------------------------------------------

def plan_path(root: str | Path, run_id: str) -> Path:
    digest = hashlib.sha256(run_id.encode()).hexdigest()[:32]
    return Path(root) / RUNS / f"{digest}.json"


def plan_lock(root: str | Path, run_id: str) -> Path:
    """The liveness lock a run holds on its plan while it runs (``runs/<digest>.lock``)."""
    return plan_path(root, run_id).with_suffix(".lock")


def write_plan(root: str | Path, run_id: str, map_hash: str, refs: list[ChunkRef]) -> None:
    """Record which chunks (and map hash) run ``run_id`` reads, atomically, and hold the
    plan's liveness lock (``plan_lock``) until ``release_plan`` or this process ends.

    Garbage collection (``chorus.core.chunk_gc``) keeps every chunk a live plan names.
    The plan is written under the store's gc lock, so a collection either ends before it
    (and the run then finds the chunks it deleted missing, and computes them) or sees it.

    Raises:
        ChorusError: another live process holds the run's plan lock.
    """
    path = plan_path(root, run_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    with writer_lock(Path(root) / GC_LOCK):
        lock = plan_lock(root, run_id)
        if not liveness.hold(lock):
            raise ChorusError(f"chunk store: run {run_id!r} is being run by another live "
                              f"process (it holds {lock})")
        tmp = path.with_suffix(f"{PLAN_TMP}{os.getpid()}")
        tmp.write_text(json.dumps({"run_id": run_id, "map_hash": map_hash,
                                   "refs": [asdict(r) for r in refs]}))
        os.replace(tmp, path)


def release_plan(root: str | Path, run_id: str) -> None:
    """Drop the run's plan lock if this process holds it (the plan stays)."""
    liveness.release(plan_lock(root, run_id))


def read_plan(root: str | Path, run_id: str) -> tuple[str, list[ChunkRef]]:
    """(map hash, chunk refs) of an earlier run; a ``ChorusError`` when unknown."""
    path = plan_path(root, run_id)
    if not path.is_file():
        raise ChorusError(f"the chunk store {root} has no plan of run {run_id!r} (was it "
                          "run with this private store?)")
    plan = json.loads(path.read_text())
    return plan["map_hash"], [ChunkRef(**r) for r in plan["refs"]]


# --- the global phase's input -----------------------------------------------------------------

@dataclass
class Gathered:
    """Every chunk's output, as one run's data (no raw text).

    Attributes:
        facets: the facet columns of every kept conversation, in input order.
        lens: the lens columns row-aligned with ``facets`` (None: the lens did not run).
        embeddings: (n, d) float32.
        pii_counts: ``PII_COUNTS_SCHEMA``, over the kept conversations.
        quarantine: ``QUARANTINE_SCHEMA``, in input order (cross-chunk duplicates too).
        counts: ``read``, ``accepted``, ``quarantined``, ``blank``, ``empty_messages``,
            ``duplicates_across_chunks``.
    """

    facets: pl.DataFrame
    lens: pl.DataFrame | None
    embeddings: np.ndarray
    pii_counts: pl.DataFrame
    quarantine: pl.DataFrame
    counts: dict[str, int]


def pii_counts(pii: pl.Series, users: pl.Series, entity_types: set[str]) -> pl.DataFrame:
    """``PII_COUNTS_SCHEMA`` from per-conversation ``pii`` lists (as scrub counts them):
    one row per type of ``entity_types`` or found, zeros included, sorted by type."""
    long = (pl.DataFrame({"conv": pl.int_range(pii.len(), eager=True, dtype=pl.UInt64),
                          "user_id": users, "pii": pii})
            .explode("pii").drop_nulls("pii").unnest("pii"))
    found = long.group_by("entity_type").agg(
        pl.col("n").sum().cast(pl.UInt64).alias("n_entities"),
        pl.col("conv").n_unique().cast(pl.UInt64).alias("n_conversations"),
        pl.col("user_id").n_unique().cast(pl.UInt64).alias("n_users"))
    types = pl.DataFrame({"entity_type": sorted(entity_types | set(found["entity_type"]))},
                         schema={"entity_type": pl.Utf8})
    return (types.join(found, on="entity_type", how="left")
            .with_columns(pl.col(c).fill_null(0) for c in ("n_entities", "n_conversations",
                                                           "n_users"))
            .select(pl.col(n).cast(t) for n, t in PII_COUNTS_SCHEMA.items())
            .sort("entity_type"))


def gather(store: ChunkStore, refs: list[ChunkRef]) -> Gathered:
    """Load every chunk of ``refs`` (all must be stored) into one run's data.

    A ``conversation_id`` accepted in more than one chunk is kept in the first (by chunk,
    then record) and quarantined as ``duplicate conversation_id`` elsewhere, as a
    single pass keeps the first occurrence. Counts reconcile: read = accepted +
    quarantined.
    """
    frames, quarantines, entity_types, lens_columns = [], [], set(), None
    blank = 0
    for ref in refs:
        out = store.read(ref)
        source = source_name(Path(ref.path))
        frames.append(out.conversations.with_columns(pl.lit(ref.index, pl.Int64).alias("_chunk"),
                                                     pl.lit(source).alias("_source")))
        quarantines.append(out.quarantine.select(
            pl.lit(source).alias("source"), pl.col("record").cast(pl.Int64),
            pl.col("reason").cast(pl.Utf8), pl.lit(ref.index, pl.Int64).alias("_chunk")))
        entity_types |= set(out.manifest["entity_types"])
        lens_columns = out.manifest.get("lens_columns") if lens_columns is None else lens_columns
        blank += int(out.manifest["blank"])
    if not refs:
        raise ChorusError("no chunks to gather")
    # the embedding's width may differ only for chunks with no rows (no vector to size it)
    sized = [f for f in frames if f.height] or frames[:1]
    frame = pl.concat(sized, how="vertical")
    first = frame["conversation_id"].is_first_distinct()
    dups = frame.filter(~first).select(
        pl.col("_source").alias("source"), pl.col(RECORD).alias("record"),
        pl.lit("duplicate conversation_id").alias("reason"), "_chunk")
    frame = frame.filter(first)
    quarantine = (pl.concat([*quarantines, dups], how="vertical")
                  .sort(["_chunk", "record"], maintain_order=True)
                  .select(pl.col(n).cast(t) for n, t in QUARANTINE_SCHEMA.items()))
    vectors = (frame[EMBEDDING].to_numpy().astype(np.float32, copy=False)
               if frame.height else np.zeros((0, 0), dtype=np.float32))
    lens_cols = list(lens_columns or [])
    facet_cols = [c for c in frame.columns
                  if c not in {RECORD, EMPTY, EMBEDDING, PII, "_chunk", "_source", *lens_cols}]
    counts = {"read": frame.height + quarantine.height, "accepted": frame.height,
              "quarantined": quarantine.height, "blank": blank,
              "empty_messages": int(frame[EMPTY].sum()) if frame.height else 0,
              "duplicates_across_chunks": dups.height}
    return Gathered(facets=frame.select(facet_cols),
                    lens=frame.select(lens_cols) if lens_cols else None,
                    embeddings=vectors,
                    pii_counts=pii_counts(frame[PII], frame["user_id"], entity_types),
                    quarantine=quarantine, counts=counts)
