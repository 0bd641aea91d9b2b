"""The Chorus flow: a map phase over chunks, then the global stages, as Prefect tasks.

Composition only. The map phase (``flows.chunked``): the inputs are planned into chunks,
and each chunk not yet in the chunk store runs ingest, scrub, facets, embed and lens in
a chunk task (in this process, a local process pool or on Dask: ``flows.runners``); the
global phase gathers every chunk's output (no raw text) into the run's data and runs
cluster, summarize, release and store (``flows.composition.STAGES``). Tasks exchange
references (a run id, chunk refs) and settings; raw text lives only inside a chunk
task's memory. No task persists a result or uses a cache key over its inputs.

``from_store=RUN_ID`` skips the map phase: the global phase reads the chunks that run
recorded (``chorus.core.chunk_store.read_plan``), so a finished run is published again
(new privacy thresholds, say) without reading its input.

Per-stage seconds and items go to the warehouse's ``run_stages`` (``data.stage_times``).

With ``cluster.period`` the planned conversations are checked against earlier periods
right after planning (``period_check_task``), before any chunk is scrubbed. A run holds
its chunk plan's lock until it ends; a succeeded run then collects the chunk store's
garbage (``chunk_gc_task``: ``run.keep_runs`` newest plans and every live one kept).
"""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import polars as pl
from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import wait
from prefect.logging import get_run_logger

from chorus.core.chunk_gc import collect_garbage
from chorus.core.chunk_store import (
    ChunkStore,
    chunk_root,
    read_plan,
    release_plan,
    write_plan,
)
from chorus.core.chunks import ChunkRef
from chorus.core.config import ChorusConfig, load_config
from chorus.core.errors import ChorusError, text_safe_errors
from chorus.core.rundata import RunData, run_data
from chorus.core.rundata import release as release_run_data
from chorus.core.schemas import QUARANTINE_SCHEMA, RUN_STAGE_SCHEMA
from flows.chunked import GLOBAL_STAGES, MAP_STAGE_NAMES, MapJob, map_chunk_task, map_config_hash
from flows.composition import Counts, RunContext, Stage, new_run_row, record, run_stages
from flows.runners import chunk_runner, effective_workers, threads_per_worker
from tasks.cluster.topics import preflight_period
from tasks.ingest import gather_task, plan_task, planned_ids
from tasks.report import render_markdown
from tasks.store import begin_run_task, write_run


def new_run_id() -> str:
    """UTC time plus a random suffix, e.g. 20261126T213000Z-3fa2c1."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + secrets.token_hex(3)


def _safe_error(exc: BaseException) -> str:
    """A failure message fit for the warehouse: ChorusError messages are text-free by
    contract; anything else is reduced to its type."""
    if isinstance(exc, ChorusError):
        return f"{type(exc).__name__}: {exc}"[:2000]
    return f"{type(exc).__name__} (message withheld)"


def as_prefect_task(stage: Stage, data: RunData, args: tuple) -> Counts:
    """Runner: the stage's Prefect task, given the run id (never the data)."""
    return stage.task(data.run_id, *args)


@task(name="record-failure", cache_policy=NO_CACHE, persist_result=False, retries=2)
def record_failure_task(run: dict, warehouse_path: str) -> None:
    """Write a 'failed' runs row (and the quarantine, when it was read)."""
    import polars as pl

    quarantine = run_data(run["run_id"]).quarantine
    write_run(warehouse_path, run, None,
              quarantine if quarantine is not None else pl.DataFrame(schema=QUARANTINE_SCHEMA))


@task(name="period-check", cache_policy=NO_CACHE, persist_result=False)
@text_safe_errors("period-check")
def period_check_task(run_id: str, cfg: ChorusConfig, store: ChunkStore, refs: list[ChunkRef],
                      not_after: datetime) -> int:
    """Refuse an overlapping ``cluster.period`` before any chunk is scrubbed: the planned
    conversation ids (``planned_ids``) against the earlier periods (``preflight_period``).
    Returns the number of ids checked."""
    ids = planned_ids(refs, store, cfg.ingest, not_after)
    preflight_period(run_id, str(cfg.cluster.period), ids, cfg.run.private_store)
    get_run_logger().info("period %s: %d planned conversations overlap no earlier period",
                          cfg.cluster.period, len(ids))
    return len(ids)


@task(name="chunk-gc", cache_policy=NO_CACHE, persist_result=False)
def chunk_gc_task(cfg: ChorusConfig) -> None:
    """After a succeeded run: delete the chunks and plans no kept or live run needs
    (``collect_garbage``, ``run.keep_runs``). A failure is logged, never fails the run."""
    logger = get_run_logger()
    try:
        r = collect_garbage(chunk_root(cfg.run.private_store), cfg.run.keep_runs)
    except (ChorusError, OSError) as exc:
        logger.warning("chunk gc skipped: %s", type(exc).__name__)
        return
    logger.info("chunk gc: %d run plans kept, %d removed; %d chunks kept, %d removed, %d "
                "partial; %.1f MB freed", r.plans_kept, r.plans_removed, r.chunks_kept,
                r.chunks_removed, r.partials_removed, r.bytes_removed / 1e6)


def _stage_row(stage: str, phase: str, seconds: float, items: int, chunks: int | None = None,
               reused: int | None = None, workers: int | None = None) -> dict[str, Any]:
    return {"stage": stage, "phase": phase, "seconds": round(seconds, 4), "items": items,
            "chunks": chunks, "chunks_reused": reused, "workers": workers}


def _worker_config(cfg: ChorusConfig, workers: int) -> ChorusConfig:
    """The config chunk tasks get: in a process pool, torch threads cores // workers
    unless ``embed.threads`` is set (not part of the map hash)."""
    if workers <= 1 or cfg.run.dask_address or cfg.embed.threads:
        return cfg
    embed = cfg.embed.model_copy(update={"threads": threads_per_worker(workers)})
    return cfg.model_copy(update={"embed": embed})


def map_phase(cfg: ChorusConfig, run: dict[str, Any], logger: Any
              ) -> tuple[ChunkStore, list[ChunkRef], list[dict[str, Any]]]:
    """Plan the chunks, run every one not stored yet, return (store, refs, stage rows)."""
    t0 = time.perf_counter()
    root, map_hash = chunk_root(cfg.run.private_store), map_config_hash(cfg)
    refs = plan_task(cfg.run.inputs, cfg.run.chunk_size)
    store = ChunkStore(root, map_hash)
    not_after = run["started_at"] + timedelta(hours=cfg.ingest.max_future_hours)
    if cfg.cluster.period:  # refused here, before anything is scrubbed
        period_check_task(run["run_id"], cfg, store, refs, not_after)
    removed = store.remove_partials()
    write_plan(root, run["run_id"], map_hash, refs)  # held until the run ends
    todo = [ref for ref in refs if not store.done(ref)]
    workers = 0 if cfg.run.dask_address else effective_workers(cfg.run, len(todo))
    logger.info("map: %d chunks, %d stored already, %d to run on %s; %d partial chunk "
                "outputs of killed runs removed", len(refs), len(refs) - len(todo),
                len(todo), "Dask" if cfg.run.dask_address else f"{workers} process(es)",
                removed)
    job = MapJob(run["run_id"], _worker_config(cfg, workers), not_after, str(root), map_hash)
    results: list[dict[str, Any]] = []
    if todo:
        with chunk_runner(cfg.run, len(todo)) as runner:
            futures = [runner.submit(map_chunk_task, {"ref": ref, "job": job}) for ref in todo]
            wait(futures)
            results = [future.result() for future in futures]  # the first failure raises
    computed = [r for r in results if not r["reused"]]
    rows = [_stage_row(name, "map", sum(r["seconds"].get(name, 0.0) for r in computed),
                       sum(r["items"].get(name, 0) for r in computed), len(computed))
            for name in MAP_STAGE_NAMES if any(name in r["seconds"] for r in computed)]
    rows.append(_stage_row("map", "wall", time.perf_counter() - t0,
                           sum(r["counts"]["read"] for r in computed), len(refs),
                           len(refs) - len(computed), workers or None))
    return store, refs, rows


def from_store_phase(cfg: ChorusConfig, run: dict[str, Any], source_run: str
                     ) -> tuple[ChunkStore, list[ChunkRef], list[dict[str, Any]]]:
    """The chunks an earlier run recorded, checked against this config's map hash."""
    root, map_hash = chunk_root(cfg.run.private_store), map_config_hash(cfg)
    recorded_hash, refs = read_plan(root, source_run)
    if recorded_hash != map_hash:
        raise ChorusError(f"run {source_run!r} was mapped with other map-stage settings "
                          "(ingest, scrub, facets, embed, lens); --from-store may change only "
                          "the global stages' settings (cluster, summarize, privacy, ...)")
    store = ChunkStore(root, map_hash)
    if cfg.cluster.period:
        period_check_task(run["run_id"], cfg, store, refs, run["started_at"])
    write_plan(root, run["run_id"], map_hash, refs)  # held until the run ends
    return store, refs, []


class Timed:
    """Runner: ``as_prefect_task``, timed into ``data.stage_times`` (before each stage
    runs the frame holds every earlier stage, so the store stage writes them all)."""

    def __init__(self, rows: list[dict[str, Any]], items: int) -> None:
        self.rows, self.items = rows, items

    def __call__(self, stage: Stage, data: RunData, args: tuple) -> Counts:
        data.stage_times = pl.DataFrame(self.rows, schema=RUN_STAGE_SCHEMA)
        t0 = time.perf_counter()
        counts = as_prefect_task(stage, data, args)
        self.rows.append(_stage_row(stage.name, "global", time.perf_counter() - t0,
                                    self.items))
        return counts


@flow(name="chorus-pipeline", persist_result=False, log_prints=False)
def chorus_pipeline(config_path: str | None = None, overrides: list[str] | None = None,
                    run_id: str | None = None, from_store: str | None = None) -> dict:
    """Run the map phase over the configured input, then the global stages.

    Args:
        config_path: TOML config (default ``configs/chorus.toml``).
        overrides: ``section.key=value`` strings, applied after the file.
        run_id: reuse to replace an earlier run; generated when omitted (with
            ``from_store``: that run's id, so the run is replaced).
        from_store: publish again from this earlier run's stored chunks, without reading
            the input (the map-stage settings must be the ones it ran with).

    Returns:
        The ``runs`` row written to the warehouse (counts only).
    """
    logger = get_run_logger()
    cfg = load_config(config_path, overrides)
    run_id = run_id or from_store or new_run_id()
    ctx = RunContext(cfg, new_run_row(cfg, run_id))
    run = ctx.run
    logger.info("run %s: config %s, %d input file(s)%s", run_id, run["config_hash"][:12],
                len(cfg.run.inputs), " (from the chunk store)" if from_store else "")
    # The run's 'running' row, stale runs marked abandoned, orphan private rows removed;
    # before the try: a run id already running elsewhere must not be recorded as failed.
    begin_run_task(run, cfg.run.warehouse, cfg.run.private_store)
    data = run_data(run_id)
    try:
        store, refs, rows = (from_store_phase(cfg, run, from_store) if from_store
                             else map_phase(cfg, run, logger))
        t0 = time.perf_counter()
        record(ctx, "ingest", gather_task(run_id, store, refs, cfg.ingest))
        rows.append(_stage_row("gather", "global", time.perf_counter() - t0,
                               run["n_read"], len(refs)))
        results = run_stages(data, ctx, Timed(rows, run["n_accepted"]), GLOBAL_STAGES)
        if run["status"] == "succeeded":
            chunk_gc_task(cfg)
        create_markdown_artifact(
            markdown=render_markdown(run, data.release),
            key="chorus-run", description="Chorus run: counts and the published tree")
        logger.info("run %s %s in %.1f s: %d published, %d suppressed, %d noise",
                    run_id, run["status"], run["seconds"], run["n_published"], run["n_suppressed"],
                    results["cluster"]["noise"])
        return run
    except BaseException as exc:
        run.update(status="failed", error=_safe_error(exc),
                   finished_at=datetime.now(UTC),
                   seconds=round(time.perf_counter() - ctx.t0, 3))
        try:
            record_failure_task(run, cfg.run.warehouse)
        except Exception:  # noqa: BLE001 - the original failure matters more
            logger.error("run %s: could not record the failure", run_id)
        raise
    finally:
        release_plan(chunk_root(cfg.run.private_store), run_id)
        release_run_data(run_id)
