"""``export_run`` on a synthetic warehouse: files per run-keyed object, one run, documented."""

from __future__ import annotations

import duckdb
import pyarrow.parquet as pq
import pytest

from bench.explorer_data import synthetic_warehouse
from chorus.core.errors import ChorusError
from tasks.explore import export_run
from tasks.store import SCHEMA_PATH


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "w.duckdb"
    synthetic_warehouse(path, 30, run_id="older")
    synthetic_warehouse(path, 20, seed=2, run_id="newer")
    return path


def export(path, out, run_id=None):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return export_run(con, out, run_id, SCHEMA_PATH.read_text())
    finally:
        con.close()


def test_one_file_per_table_and_view_with_only_that_run(warehouse, tmp_path):
    result = export(warehouse, tmp_path, "older")
    assert result.run_id == "older"
    assert {"runs", "clusters", "cluster_phrases", "cluster_facets", "pii_counts",
            "quarantine", "release_findings", "cluster_tree", "cluster_support"} <= set(
        result.rows)
    assert {"latest_run", "latest_clusters", "support_overview"} <= set(result.skipped)
    assert result.rows["clusters"] == 30 and result.rows["runs"] == 1
    for name in result.rows:
        table = pq.read_table(tmp_path / f"{name}.parquet")
        assert set(table.column("run_id").to_pylist()) <= {"older"}
    assert sorted(p.stem for p in tmp_path.glob("*.parquet")) == sorted(result.rows)


def test_the_latest_run_is_the_default(warehouse, tmp_path):
    assert export(warehouse, tmp_path).run_id in {"older", "newer"}
    with pytest.raises(ChorusError, match="no run"):
        export(warehouse, tmp_path, "missing")


def test_the_schema_is_documented_in_the_files_and_beside_them(warehouse, tmp_path):
    result = export(warehouse, tmp_path, "newer")
    schema = pq.read_schema(tmp_path / "clusters.parquet")
    assert b"published cluster" in schema.metadata[b"description"]
    assert b"PCA" in schema.field("x").metadata[b"description"]
    assert b"k-user rule" in schema.field("name").metadata[b"description"]
    doc = (tmp_path / "SCHEMA.md").read_text()
    for name in result.rows:
        assert f"## `{name}.parquet`" in doc
    assert "| `n_users` | int64 | distinct users; under DP a noisy count |" in doc
