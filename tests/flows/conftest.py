"""Helpers of the flow tests: read what a run left in a DuckDB file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

Query = Callable[[Path, str], list[tuple]]


def _query(path: Path, sql: str) -> list[tuple]:
    """Every row of ``sql`` over the DuckDB file at ``path``, opened read-only."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="session")
def query() -> Query:
    """``query(path, sql) -> rows``: read a warehouse or private store without locking it."""
    return _query


NO_SPILL = {"DASK_DISTRIBUTED__WORKER__MEMORY__TARGET": "False",
            "DASK_DISTRIBUTED__WORKER__MEMORY__SPILL": "False"}


@pytest.fixture(scope="session")
def dask_cluster(prefect_harness) -> Iterator[dict]:
    """A real ``distributed.LocalCluster`` on loopback: two worker processes of one thread,
    spilling off, their local directory in a scannable temporary folder, reporting to
    the session's Prefect API (its real URL: a worker would otherwise start a temporary
    server of its own)."""
    import dask
    from prefect.settings import PREFECT_API_URL

    local = Path(tempfile.mkdtemp(prefix="chorus-test-dask-"))
    env = {**NO_SPILL, "PREFECT_API_URL": PREFECT_API_URL.value()}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    import distributed

    try:
        with dask.config.set({"distributed.worker.memory.target": False,
                              "distributed.worker.memory.spill": False}), \
                distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                         host="127.0.0.1", dashboard_address=None,
                                         local_directory=str(local)) as cluster:
            yield {"address": cluster.scheduler_address, "local_directory": local}
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
