"""Write a run to the analyst warehouse (DuckDB) and the private store.

The analyst database receives a ``chorus.core.release.Release`` and the run's own counts and
nothing else. A run is written in one transaction: its old rows (a rerun of the same run
id) are deleted and the new ones inserted, so a rerun replaces and never duplicates, and
a failure leaves the previous state. The schema is ``warehouse/schema.sql``.
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb
import polars as pl
from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger

from chorus.core.errors import ChorusError, text_safe_errors
from chorus.core.private_store import PrivateStore
from chorus.core.release import Release
from chorus.core.rundata import RunData, required, run_data

log = logging.getLogger(__name__)

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "warehouse" / "schema.sql"
RUN_TABLES = ("clusters", "cluster_phrases", "cluster_facets", "pii_counts", "quarantine",
              "release_findings", "runs")


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; create it and its schema when writing."""
    path = Path(path)
    if read_only:
        if not path.exists():
            raise ChorusError(f"no warehouse at {path}; run `chorus run` first")
        return duckdb.connect(str(path), read_only=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    con.execute(SCHEMA_PATH.read_text())
    return con


def _insert(con: duckdb.DuckDBPyConnection, table: str, run_id: str, frame: pl.DataFrame) -> None:
    if frame.is_empty():
        return
    columns = ", ".join(f'"{c}"' for c in frame.columns + ["run_id"])
    # Called inside write_run's transaction: on an error its ROLLBACK drops the
    # registration too (unregistering in an aborted transaction would raise over it).
    con.register("data", frame.with_columns(pl.lit(run_id).alias("run_id")))
    con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM data")
    con.unregister("data")


def write_run(path: str | Path, run: dict, release: Release | None,
              quarantine: pl.DataFrame) -> None:
    """Replace run ``run['run_id']`` in the warehouse in one transaction.

    Args:
        path: warehouse file.
        run: one ``runs`` row (see schema.sql) as a dict.
        release: what the gate published; None for a failed run (only ``runs`` and
            ``quarantine`` are written then). A release the audit blocked writes only
            ``runs``, ``quarantine`` and its ``release_findings``.
        quarantine: source, record, reason.
    """
    run_id = run["run_id"]
    con = connect(path)
    try:
        con.execute("BEGIN TRANSACTION")
        for table in RUN_TABLES:
            con.execute(f"DELETE FROM {table} WHERE run_id = $r", {"r": run_id})
        _insert(con, "runs", run_id, pl.DataFrame([{k: v for k, v in run.items()
                                                    if k != "run_id"}]))
        _insert(con, "quarantine", run_id, quarantine)
        if release is not None and release.findings is not None:
            _insert(con, "release_findings", run_id, release.findings)
        if release is not None and not release.blocked:
            _insert(con, "clusters", run_id, release.clusters)
            _insert(con, "cluster_phrases", run_id, release.phrases)
            _insert(con, "cluster_facets", run_id, release.facets)
            _insert(con, "pii_counts", run_id, release.pii)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        con.close()
    log.info("stored run with %d clusters", 0 if release is None else release.clusters.height)


def assignments_frame(facets: pl.DataFrame, labels) -> pl.DataFrame:
    """Long frame conversation_id, user_id, level, cluster_key from labels (levels, n)."""
    parts = [facets.select("conversation_id", "user_id").with_columns(
        pl.lit(level, dtype=pl.Int32).alias("level"),
        pl.Series("cluster_key", row, dtype=pl.Int32)) for level, row in enumerate(labels)]
    return pl.concat(parts) if parts else pl.DataFrame()


# --- Prefect layer -----------------------------------------------------------------------


def store_stage(data: RunData, run: dict, warehouse_path: str, private_path: str) -> dict[str, int]:
    """``data.release`` + ``quarantine`` -> the warehouse; ``facets`` ids + ``labels`` -> the
    private store's assignments; row counts written."""
    release = required(data.release, "release", data.run_id)
    facets = required(data.facets, "facets", data.run_id)
    with PrivateStore(private_path) as store:
        store.write_assignments(data.run_id, assignments_frame(
            facets, required(data.labels, "labels", data.run_id)))
    write_run(warehouse_path, run, release, required(data.quarantine, "quarantine", data.run_id))
    return {"clusters": release.clusters.height, "phrases": release.phrases.height,
            "facet_rows": release.facets.height}


@task(name="store", cache_policy=NO_CACHE, persist_result=False, retries=2,
      retry_delay_seconds=3)
@text_safe_errors("store")
def store_task(run_id: str, run: dict, warehouse_path: str, private_path: str) -> dict[str, int]:
    """``store_stage`` on the run's data; returns row counts."""
    counts = store_stage(run_data(run_id), run, warehouse_path, private_path)
    get_run_logger().info("store: run written with %d cluster rows, %d phrases, %d facet rows",
                          counts["clusters"], counts["phrases"], counts["facet_rows"])
    return counts
