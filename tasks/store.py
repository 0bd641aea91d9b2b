"""Write a run to the analyst warehouse (DuckDB) and the private store.

The analyst database receives a ``chorus.core.release.Release`` and the run's own counts and
nothing else; ``run_frames`` is the one list of the tables a run writes. The schema is
``warehouse/schema.sql``.

Readers never block a write and never see half of one: every write builds a new copy of
the warehouse and swaps it in atomically (``chorus.core.duckdb_files.rewrite``, under
the file's writer lock), so analysts may hold read-only connections at any time; a
connection keeps the snapshot it opened until it reconnects. In the copy a run is written
in one transaction: its old rows (a rerun of the same run id) are deleted and the new ones
inserted, so a rerun replaces and never duplicates, and a failure leaves the previous state.

A run's life in ``runs.status`` (see schema.sql): ``begin_run`` writes 'running' when the
flow starts, and holds the run's liveness lock (``<warehouse>.runs/<hash>.lock``, an
``flock`` the kernel drops when the process dies) until the run's final row is written:
'succeeded', 'blocked' or 'failed'. The next ``begin_run`` marks a 'running' row whose
lock nobody holds 'abandoned' (its process was killed), and deletes the private store's
assignments of every run without a 'succeeded', 'blocked' or live 'running' row. The
private assignments are written before the warehouse swap, under the same writer lock,
so a crash between the two leaves only rows that this cleanup removes.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger

from chorus.core import liveness
from chorus.core.duckdb_files import connect_retrying, rewrite, writer_lock
from chorus.core.errors import ChorusError, text_safe_errors
from chorus.core.private_store import PrivateStore
from chorus.core.release import Release
from chorus.core.rundata import RunData, required, run_data
from chorus.core.schemas import QUARANTINE_SCHEMA

log = logging.getLogger(__name__)

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "warehouse" / "schema.sql"
RUN_TABLES = ("clusters", "cluster_phrases", "cluster_facets", "run_facets", "pii_counts",
              "quarantine", "release_findings", "run_stages", "runs")
KEEP_PRIVATE = ("succeeded", "blocked", "running")  # statuses whose assignments stay
ABANDONED_ERROR = "the process running it ended without recording a result (killed?)"
PRIVATE_CLEANUP_WAIT_S = 30.0  # a busy private store defers the cleanup to the next run


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse, waiting out a conflicting lock (``connect_retrying``).

    Readers use ``read_only=True``. Writing opens the published file in place and creates
    or migrates its schema: for tools and tests only, since it blocks readers; runs
    write through ``write_run``.
    """
    path = Path(path)
    if read_only:
        if not path.exists():
            raise ChorusError(f"no warehouse at {path}; run `chorus run` first")
        return connect_retrying(path, read_only=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = connect_retrying(path, read_only=False)
    con.execute(SCHEMA_PATH.read_text())
    return con


def run_frames(run: dict, release: Release | None, quarantine: pl.DataFrame,
               stages: pl.DataFrame | None = None) -> dict[str, pl.DataFrame]:
    """Every table a run writes, with its rows (``run_id`` is added on insert).

    ``release`` None (a run starting or failed) writes ``runs`` and ``quarantine``; a
    release the audit blocked adds only its ``release_findings``. ``stages``: the run's
    ``run_stages`` rows (seconds and items per stage; counts only), when given.
    """
    frames = {"runs": pl.DataFrame([{k: v for k, v in run.items() if k != "run_id"}]),
              "quarantine": quarantine}
    if stages is not None:
        frames["run_stages"] = stages
    if release is not None and release.findings is not None:
        frames["release_findings"] = release.findings
    if release is not None and not release.blocked:
        frames.update(clusters=release.clusters, cluster_phrases=release.phrases,
                      cluster_facets=release.facets, run_facets=release.run_facets,
                      pii_counts=release.pii)
    return frames


def _insert(con: duckdb.DuckDBPyConnection, table: str, run_id: str, frame: pl.DataFrame) -> None:
    if frame.is_empty():
        return
    columns = ", ".join(f'"{c}"' for c in frame.columns + ["run_id"])
    # Called inside a transaction: on an error its ROLLBACK drops the registration too
    # (unregistering in an aborted transaction would raise over it).
    con.register("data", frame.with_columns(pl.lit(run_id).alias("run_id")))
    con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM data")
    con.unregister("data")


def _replace_run(con: duckdb.DuckDBPyConnection, run_id: str,
                 frames: dict[str, pl.DataFrame]) -> None:
    """Inside the open transaction: delete the run's rows everywhere, insert ``frames``."""
    for table in RUN_TABLES:
        con.execute(f"DELETE FROM {table} WHERE run_id = $r", {"r": run_id})
    for table, frame in frames.items():
        _insert(con, table, run_id, frame)


def _transaction(con: duckdb.DuckDBPyConnection, body: Callable[[], None]) -> None:
    con.execute("BEGIN TRANSACTION")
    try:
        body()
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def write_run(path: str | Path, run: dict, release: Release | None,
              quarantine: pl.DataFrame, before_swap: Callable[[], None] | None = None,
              stages: pl.DataFrame | None = None) -> None:
    """Replace run ``run['run_id']`` in the warehouse: one transaction in a new copy,
    swapped in atomically.

    Args:
        path: warehouse file.
        run: one ``runs`` row (see schema.sql) as a dict.
        release: what the gate published, or None (see ``run_frames``).
        quarantine: source, record, reason.
        before_swap: called under the writer lock once the copy is complete and before
            it is swapped in (the store stage writes the private assignments there);
            when it raises, nothing is swapped in.
        stages: the run's ``run_stages`` rows (see ``run_frames``).
    """
    run_id = run["run_id"]
    with writer_lock(path), rewrite(path) as con:
        con.execute(SCHEMA_PATH.read_text())
        _transaction(con, lambda: _replace_run(con, run_id, run_frames(run, release,
                                                                        quarantine, stages)))
        if before_swap is not None:
            before_swap()
    if run.get("status") != "running":
        release_run_lock(path, run_id)
    log.info("stored run with %d clusters", 0 if release is None else release.clusters.height)


# --- a run's liveness lock, and the start of a run ----------------------------------------

def run_lock_path(warehouse: str | Path, run_id: str) -> Path:
    """``<warehouse>.runs/<sha256(run_id)[:32]>.lock`` (run ids are any string)."""
    digest = hashlib.sha256(run_id.encode()).hexdigest()[:32]
    return Path(f"{Path(warehouse).resolve()}.runs") / f"{digest}.lock"


def release_run_lock(warehouse: str | Path, run_id: str) -> None:
    """Drop the run's liveness lock if this process holds it."""
    liveness.release(run_lock_path(warehouse, run_id))


def _start_in_warehouse(warehouse: str | Path, row: dict) -> tuple[list[str], set[str]]:
    """In one swapped-in copy: stale 'running' rows -> 'abandoned', ``row`` written (its
    run's other rows deleted). Returns (the abandoned run ids, the run ids whose private
    assignments stay)."""
    with rewrite(warehouse) as con:
        con.execute(SCHEMA_PATH.read_text())
        running = con.execute("SELECT run_id FROM runs WHERE status = 'running' AND "
                              "run_id <> $r", {"r": row["run_id"]}).fetchall()
        stale = [r for (r,) in running if liveness.owner_gone(run_lock_path(warehouse, r))]

        def body() -> None:
            if stale:
                con.execute("UPDATE runs SET status = 'abandoned', error = $e, finished_at = "
                            "$t WHERE list_contains($ids::VARCHAR[], run_id)",
                            {"e": ABANDONED_ERROR, "t": datetime.now(UTC), "ids": stale})
            _replace_run(con, row["run_id"],
                         run_frames(row, None, pl.DataFrame(schema=QUARANTINE_SCHEMA)))

        _transaction(con, body)
        keep = {r for (r,) in con.execute(
            "SELECT run_id FROM runs WHERE list_contains($s::VARCHAR[], status)",
            {"s": list(KEEP_PRIVATE)}).fetchall()}
    return stale, keep


def begin_run(warehouse: str | Path, private_store: str | Path, run: dict) -> dict[str, int]:
    """Start run ``run['run_id']``: take its liveness lock, mark every stale 'running' row
    'abandoned' (finished_at now), write this run's 'running' row (replacing any rows of
    the run id), then delete the private assignments of runs without a 'succeeded',
    'blocked' or 'running' row. All under the warehouse's writer lock.

    Returns:
        counts: ``abandoned`` rows marked, ``orphans_removed`` private rows deleted (-1
        when the private store stayed busy and the cleanup was left to the next run).

    Raises:
        ChorusError: the run id is running in another process, or the warehouse stayed
        locked.
    """
    run_id = run["run_id"]
    lock = run_lock_path(warehouse, run_id)
    if not liveness.hold(lock):
        raise ChorusError(f"run {run_id!r} is already running in another process (it "
                          f"holds {lock})")
    try:
        with writer_lock(warehouse):
            stale, keep = _start_in_warehouse(warehouse, {**run, "status": "running"})
            try:
                with PrivateStore(private_store, wait_s=PRIVATE_CLEANUP_WAIT_S) as store:
                    removed = store.remove_assignments_except(keep)
            except ChorusError:
                log.warning("private store %s is busy; its orphan cleanup is left to the "
                            "next run", private_store)
                removed = -1
    except BaseException:
        liveness.release(lock)
        raise
    return {"abandoned": len(stale), "orphans_removed": removed}


def with_published_topic_keys(clusters: pl.DataFrame, members: dict[int, np.ndarray], labels,
                    keys: dict[tuple[int, int], str]) -> pl.DataFrame:
    """``clusters`` plus ``topic_key``: each published 'cluster' row's key, looked up by
    (level, internal cluster key of its members) in ``keys`` (the cluster stage's, from
    the private store); NULL on 'other' rows and when the run kept no topic state."""
    topic = []
    for cid, level, kind in clusters.select("cluster_id", "level", "kind").iter_rows():
        idx = members.get(cid)
        topic.append(keys.get((level, int(labels[level, idx[0]])))
                     if kind == "cluster" and idx is not None and idx.size else None)
    return clusters.with_columns(pl.Series("topic_key", topic, dtype=pl.Utf8))


def assignments_frame(facets: pl.DataFrame, labels) -> pl.DataFrame:
    """Long frame conversation_id, user_id, level, cluster_key from labels (levels, n)."""
    parts = [facets.select("conversation_id", "user_id").with_columns(
        pl.lit(level, dtype=pl.Int32).alias("level"),
        pl.Series("cluster_key", row, dtype=pl.Int32)) for level, row in enumerate(labels)]
    return pl.concat(parts) if parts else pl.DataFrame()


def check_period_free(store: PrivateStore, run_id: str, period: str) -> None:
    """Raise ``ChorusError`` when another published period run shares the label or any
    of the conversations the cluster stage recorded for ``run_id`` (periods are disjoint:
    PRIVACY.md, item 9)."""
    conflicts = store.topics().period_conflicts(run_id, period)
    if conflicts:
        raise ChorusError(f"run period {period!r} overlaps published run(s) "
                          f"{[r for r, _ in conflicts][:5]} ({sum(n for _, n in conflicts)} "
                          "conversations shared, or the same label); nothing was published")


# --- Prefect layer -----------------------------------------------------------------------


def store_stage(data: RunData, run: dict, warehouse_path: str, private_path: str) -> dict[str, int]:
    """``data.release`` + ``quarantine`` -> the warehouse; ``facets`` ids + ``labels`` -> the
    private store's assignments, written just before the warehouse copy is swapped in;
    row counts written."""
    release = required(data.release, "release", data.run_id)
    facets = required(data.facets, "facets", data.run_id)
    labels = required(data.labels, "labels", data.run_id)
    assignments = assignments_frame(facets, labels)
    with PrivateStore(private_path) as store:  # the cluster stage's topic state, if any
        topic_run = store.topics().run(data.run_id)
        keys = {(r["level"], r["cluster_key"]): r["topic_key"] for r in
                store.topics().centroids(data.run_id).iter_rows(named=True)}
    period = topic_run["period"] if topic_run else None
    run = {**run, "period": period}
    release.clusters = with_published_topic_keys(release.clusters, release.members, labels, keys)

    def write_private() -> None:
        with PrivateStore(private_path) as store:
            if period is not None and not release.blocked:
                # again under the writer lock: a concurrent run may have published since
                check_period_free(store, data.run_id, period)
            store.write_assignments(data.run_id, assignments)
            if topic_run is not None:
                store.topics().set_published(data.run_id, not release.blocked)

    write_run(warehouse_path, run, release, required(data.quarantine, "quarantine", data.run_id),
              before_swap=write_private, stages=data.stage_times)
    return {"clusters": release.clusters.height, "phrases": release.phrases.height,
            "facet_rows": release.facets.height}


# No Prefect retries: lock conflicts are waited out inside (chorus.core.duckdb_files), and
# a retry would only repeat any other failure.
@task(name="store", cache_policy=NO_CACHE, persist_result=False)
@text_safe_errors("store")
def store_task(run_id: str, run: dict, warehouse_path: str, private_path: str) -> dict[str, int]:
    """``store_stage`` on the run's data; returns row counts."""
    counts = store_stage(run_data(run_id), run, warehouse_path, private_path)
    get_run_logger().info("store: run written with %d cluster rows, %d phrases, %d facet rows",
                          counts["clusters"], counts["phrases"], counts["facet_rows"])
    return counts


@task(name="begin-run", cache_policy=NO_CACHE, persist_result=False)
def begin_run_task(run: dict, warehouse_path: str, private_path: str) -> dict[str, int]:
    """``begin_run``: the run's 'running' row, stale runs abandoned, orphans removed."""
    counts = begin_run(warehouse_path, private_path, run)
    get_run_logger().info("begin: %d stale running rows marked abandoned, %d orphan private "
                          "assignment rows removed", counts["abandoned"],
                          counts["orphans_removed"])
    return counts
