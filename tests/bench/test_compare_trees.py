"""bench.compare_trees: equal published rows compare identical; one changed cell does not."""

from __future__ import annotations

import duckdb
import pytest

from bench.compare_trees import TABLES, compare, main, published_rows


def make_warehouse(path, name: str = "Sleep worries", run_id: str = "r1") -> None:
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE runs (run_id VARCHAR, finished_at TIMESTAMP)")
    con.execute("INSERT INTO runs VALUES (?, now())", [run_id])
    con.execute("CREATE VIEW latest_run AS SELECT * FROM runs")
    con.execute("CREATE TABLE clusters (run_id VARCHAR, cluster_id INT, name VARCHAR)")
    con.execute("INSERT INTO clusters VALUES (?, 0, ?), (?, 1, 'Trip plans')",
                [run_id, name, run_id])
    for table in TABLES[1:]:
        con.execute(f"CREATE TABLE {table} (run_id VARCHAR, cluster_id INT, v VARCHAR)")
        con.execute(f"INSERT INTO {table} VALUES (?, 0, 'a')", [run_id])
    con.close()


@pytest.mark.parametrize(("name_b", "run_b", "identical"), [
    ("Sleep worries", "r1", True),
    ("Sleep worries", "other-id", True),      # run ids are not compared
    ("Sleep worry", "r1", False),
])
def test_compare(tmp_path, name_b, run_b, identical):
    make_warehouse(tmp_path / "a.duckdb")
    make_warehouse(tmp_path / "b.duckdb", name_b, run_b)
    _, a = published_rows(tmp_path / "a.duckdb")
    run, b = published_rows(tmp_path / "b.duckdb")
    assert run == run_b
    rows = compare(a, b)
    assert [r["table"] for r in rows] == list(TABLES)
    assert all(r["identical"] for r in rows) is identical
    assert main([str(tmp_path / "a.duckdb"), str(tmp_path / "b.duckdb"),
                 "--out", str(tmp_path / "o.json")]) == (0 if identical else 1)
