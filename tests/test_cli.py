"""CLI: clear errors before anything starts, demo data, tree on an empty warehouse."""

from __future__ import annotations

import polars as pl
from typer.testing import CliRunner

from chorus.cli import app

runner = CliRunner()


def test_invalid_override_fails_fast_with_the_field_named():
    result = runner.invoke(app, ["run", "--set", "privacy.min_users=1"])
    assert result.exit_code == 2
    assert "privacy.min_users" in result.output


def test_demo_data_writes_contract_and_truth(tmp_path):
    out = tmp_path / "demo.jsonl"
    result = runner.invoke(app, ["demo-data", "--n", "60", "--seed", "3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    frame = pl.read_ndjson(out)
    assert frame.height == 60
    assert set(frame.columns) == {"conversation_id", "user_id", "created_at", "messages"}
    assert (tmp_path / "demo.truth.jsonl").exists()


def test_tree_without_warehouse_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["tree", "--warehouse", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2 and "chorus run" in result.output


def test_serve_needs_exactly_one_schedule():
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 2 and "--cron" in result.output


def test_icicle_svg_draws_only_published_rows():
    from tasks.report import icicle_svg

    clusters = pl.DataFrame({
        "cluster_id": [1, 2, 3], "parent_id": [None, 1, 1], "level": [1, 0, 0],
        "kind": ["cluster", "cluster", "other"], "name": ["Sleep", "Insomnia", "Other (suppressed)"],
        "n_conversations": [30, 20, 10], "n_users": [25, 15, 10], "share": [0.5, 0.33, 0.17]})
    svg = icicle_svg(clusters, "t")
    assert svg.startswith("<svg") and svg.count("<rect") == 4  # background + 3 boxes
    assert "Insomnia" in svg and "#c8c8c8" in svg
