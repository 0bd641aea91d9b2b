"""The Parquet export of a real flow run: every run-keyed table and view, its rows."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from tests.tasks.explore.conftest import RUN_ID, published

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_every_analyst_table_and_view_is_exported_with_the_run_rows(explore_run):
    export, warehouse = explore_run["export"], explore_run["warehouse"]
    objects = {n for (n,) in published(warehouse, "SELECT DISTINCT table_name FROM "
                                       "information_schema.columns WHERE column_name = "
                                       "'run_id'", {})}
    assert set(export.rows) | set(export.skipped) == objects
    assert {"runs", "clusters", "cluster_phrases", "cluster_facets", "pii_counts",
            "quarantine", "cluster_tree", "cluster_support"} <= set(export.rows)
    for name, n in export.rows.items():
        table = pq.read_table(export.out / f"{name}.parquet")
        want = published(warehouse, f'SELECT count(*) FROM "{name}" WHERE run_id = $r')[0][0]
        assert table.num_rows == n == want, name
        assert set(table.column("run_id").to_pylist()) <= {RUN_ID}
    assert export.rows["quarantine"] == 1 and export.rows["runs"] == 1
    clusters = pq.read_table(export.out / "clusters.parquet").to_pylist()
    assert all((c["x"] is None) == (c["kind"] == "other") for c in clusters)
