"""The Chorus flow: every stage of ``flows.composition.STAGES`` as a Prefect task.

Composition only. Tasks exchange a run id and settings; conversation text stays in the
run's in-memory data (``chorus.core.rundata``) and is dropped when the flow ends. No task
persists a result or uses a cache key over its inputs.
"""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger

from chorus.core.config import load_config
from chorus.core.errors import ChorusError
from chorus.core.rundata import RunData, run_data
from chorus.core.rundata import release as release_run_data
from chorus.core.schemas import QUARANTINE_SCHEMA
from flows.composition import Counts, RunContext, Stage, new_run_row, run_stages
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


@flow(name="chorus-pipeline", persist_result=False, log_prints=False)
def chorus_pipeline(config_path: str | None = None, overrides: list[str] | None = None,
                    run_id: str | None = None) -> dict:
    """Run every stage once over the configured input.

    Args:
        config_path: TOML config (default ``configs/chorus.toml``).
        overrides: ``section.key=value`` strings, applied after the file.
        run_id: reuse to replace an earlier run; generated when omitted.

    Returns:
        The ``runs`` row written to the warehouse (counts only).
    """
    logger = get_run_logger()
    cfg = load_config(config_path, overrides)
    run_id = run_id or new_run_id()
    ctx = RunContext(cfg, new_run_row(cfg, run_id))
    run = ctx.run
    logger.info("run %s: config %s, %d input file(s)", run_id, run["config_hash"][:12],
                len(cfg.run.inputs))
    # The run's 'running' row, stale runs marked abandoned, orphan private rows removed;
    # before the try: a run id already running elsewhere must not be recorded as failed.
    begin_run_task(run, cfg.run.warehouse, cfg.run.private_store)
    data = run_data(run_id)
    try:
        results = run_stages(data, ctx, as_prefect_task)
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
        release_run_data(run_id)
