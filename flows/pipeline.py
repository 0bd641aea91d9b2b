"""The Chorus flow: ingest -> scrub -> facets -> embed -> lens -> cluster -> summarize -> suppress
-> store.

Composition only. Tasks exchange a run id, names and settings; conversation text stays in
the run's in-memory workspace (``chorus.workspace``) and is dropped when the flow ends.
No task persists a result or uses a cache key over its inputs.
"""

from __future__ import annotations

import secrets
import time
from datetime import datetime, timezone

import chorus  # noqa: F401 - offline environment defaults before Prefect is imported
from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger

from chorus.config import load_config
from chorus.errors import ChorusError
from chorus.workspace import release as release_workspace
from chorus.workspace import workspace
from tasks.cluster import cluster_task
from tasks.embed import embed_task
from tasks.facets import facets_task
from tasks.ingest import ingest_task
from tasks.lens import lens_task
from tasks.report import render_markdown
from tasks.scrub import scrub_task
from tasks.store import write_run
from tasks.store import store_task
from tasks.summarize import summarize_task
from tasks.suppress import LENS_RUN_COLUMNS, suppress_task


def new_run_id() -> str:
    """UTC time plus a random suffix, e.g. 20261126T213000Z-3fa2c1."""
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ-") + secrets.token_hex(3)


def _safe_error(exc: BaseException) -> str:
    """A failure message fit for the warehouse: ChorusError messages are text-free by
    contract; anything else is reduced to its type."""
    if isinstance(exc, ChorusError):
        return f"{type(exc).__name__}: {exc}"[:2000]
    return f"{type(exc).__name__} (message withheld)"


@task(name="record-failure", cache_policy=NO_CACHE, persist_result=False, retries=2)
def record_failure_task(run: dict, warehouse_path: str) -> None:
    """Write a 'failed' runs row (and the quarantine, when it was read)."""
    import polars as pl

    from tasks.ingest import QUARANTINE_SCHEMA

    ws = workspace(run["run_id"])
    quarantine = (ws.get("quarantine") if "quarantine" in ws.names()
                  else pl.DataFrame(schema=QUARANTINE_SCHEMA))
    write_run(warehouse_path, run, None, quarantine)


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
    started = datetime.now(timezone.utc)
    t0 = time.perf_counter()
    run = {"run_id": run_id, "started_at": started, "status": "running",
           "config_hash": cfg.config_hash(), "chorus_version": chorus.__version__,
           "embed_model": cfg.embed.model, "min_users": cfg.privacy.min_users,
           "min_conversations": cfg.privacy.min_conversations,
           "dp_epsilon": cfg.privacy.dp.epsilon if cfg.privacy.dp.enabled else None,
           "dp_delta": cfg.privacy.dp.delta if cfg.privacy.dp.enabled else None}
    logger.info("run %s: config %s, %d input file(s)", run_id, run["config_hash"][:12],
                len(cfg.run.inputs))
    try:
        counts = ingest_task(run_id, cfg.run.inputs, cfg.ingest)
        run.update(n_read=counts["read"], n_accepted=counts["accepted"],
                   n_quarantined=counts["quarantined"])
        scrub_task(run_id, cfg.scrub)
        facets_task(run_id, cfg.facets)
        embed_task(run_id, cfg.embed, cfg.run.private_store)
        if cfg.lens.enabled:
            lens_task(run_id, cfg.lens, cfg.embed)
        clustering = cluster_task(run_id, cfg.cluster,
                                  (cfg.privacy.min_users, cfg.privacy.min_conversations))
        run.update(n_noise_reassigned=clustering["reassigned"])
        summarize_task(run_id, cfg.summarize, cfg.embed, cfg.privacy.min_users)
        published = suppress_task(run_id, cfg.privacy, counts["accepted"], cfg.scrub,
                                  cfg.lens)
        # n_noise as the gate published it: None when noise was below k and folded away.
        # A blocked run publishes nothing: its counts say so.
        blocked = published["blocked"]
        run.update(n_noise=None if blocked else published["noise_published"],
                   n_published=0 if blocked else published["published"],
                   n_suppressed=published["suppressed"] + (published["published"] if blocked else 0),
                   # the lens's run counts as the gate published them (None: withheld)
                   **{key: None if blocked else published.get(key)
                      for key in LENS_RUN_COLUMNS},
                   status="blocked" if published["blocked"] else "succeeded",
                   error=(f"release audit: {published['blocking_findings']} blocking findings"
                          if published["blocked"] else None),
                   finished_at=datetime.now(timezone.utc),
                   seconds=round(time.perf_counter() - t0, 3))
        store_task(run_id, run, cfg.run.warehouse, cfg.run.private_store)
        create_markdown_artifact(
            markdown=render_markdown(run, workspace(run_id).get("release")),
            key="chorus-run", description="Chorus run: counts and the published tree")
        logger.info("run %s %s in %.1f s: %d published, %d suppressed, %d noise",
                    run_id, run["status"], run["seconds"], run["n_published"], run["n_suppressed"],
                    clustering["noise"])
        return run
    except BaseException as exc:
        run.update(status="failed", error=_safe_error(exc),
                   finished_at=datetime.now(timezone.utc),
                   seconds=round(time.perf_counter() - t0, 3))
        try:
            record_failure_task(run, cfg.run.warehouse)
        except Exception:  # noqa: BLE001 - the original failure matters more
            logger.error("run %s: could not record the failure", run_id)
        raise
    finally:
        release_workspace(run_id)
