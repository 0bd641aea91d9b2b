"""``chorus explore`` and ``chorus export`` on a synthetic warehouse."""

from __future__ import annotations

import pyarrow.parquet as pq
from typer.testing import CliRunner

from bench.explorer_data import synthetic_warehouse
from chorus.cli import app


def test_explore_writes_one_html_file(tmp_path):
    wh = synthetic_warehouse(tmp_path / "w.duckdb", 25)
    out = tmp_path / "sub" / "report.html"
    res = CliRunner().invoke(app, ["explore", "--warehouse", str(wh), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "25 clusters on the map" in res.output
    assert out.read_text().startswith("<!DOCTYPE html>")


def test_export_writes_parquet_and_refuses_other_formats_and_runs(tmp_path):
    wh = synthetic_warehouse(tmp_path / "w.duckdb", 25, run_id="r1")
    out = tmp_path / "export"
    runner = CliRunner()
    res = runner.invoke(app, ["export", "--format", "parquet", "--out", str(out),
                              "--warehouse", str(wh), "--run-id", "r1"])
    assert res.exit_code == 0, res.output
    assert pq.read_table(out / "clusters.parquet").num_rows == 25
    assert (out / "SCHEMA.md").is_file()
    bad = runner.invoke(app, ["export", "--format", "csv", "--out", str(out),
                              "--warehouse", str(wh)])
    assert bad.exit_code == 2 and "only format is 'parquet'" in bad.output
    missing = runner.invoke(app, ["explore", "--warehouse", str(wh), "--run-id", "nope",
                                  "--out", str(tmp_path / "x.html")])
    assert missing.exit_code == 2 and "no run 'nope'" in missing.output
