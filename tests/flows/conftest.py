"""Helpers of the flow tests: read what a run left in a DuckDB file."""

from __future__ import annotations

from collections.abc import Callable
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
