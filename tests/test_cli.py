"""CLI: clear errors before anything starts, demo data, tree on an empty warehouse."""

from __future__ import annotations

import json

import polars as pl
import pytest
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
    truth = [json.loads(line) for line in
             (tmp_path / "demo.truth.jsonl").read_text().splitlines()]
    assert len(truth) == 60, "one truth record per conversation"
    assert [t["conversation_id"] for t in truth] == frame["conversation_id"].to_list()


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
        "kind": ["cluster", "cluster", "other"],
        "name": ["Sleep", "Insomnia", "Other (suppressed)"],
        "n_conversations": [30, 20, 10], "n_users": [25, 15, 10], "share": [0.5, 0.33, 0.17]})
    svg = icicle_svg(clusters, "t")
    assert svg.startswith("<svg") and svg.count("<rect") == 4  # background + 3 boxes
    assert "Insomnia" in svg and "#c8c8c8" in svg


def test_tree_lens_support_prints_the_affective_tree(tmp_path):
    from chorus.core.release import LENS_RUN_COLUMNS
    from chorus.core.schemas import QUARANTINE_SCHEMA
    from tasks.store import write_run
    from tests.tasks.test_store import lens_release, run_row

    path = tmp_path / "w.duckdb"
    rel = lens_release()
    write_run(path, {**run_row("lens", 1), "n_accepted": 40, "min_users": 3,
                     "min_conversations": 3, "n_published": 3, "n_suppressed": 0,
                     **{k: rel.counts[k] for k in LENS_RUN_COLUMNS}},
              rel, pl.DataFrame(schema=QUARANTINE_SCHEMA))
    result = runner.invoke(app, ["tree", "--warehouse", str(path), "--lens", "support"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "affective conversations: 15 of 40 (37.5%" in out
    lines = [line for line in out.splitlines() if "affective of" in line]
    # the parent and its affective child; the all-task child is pruned
    assert len(lines) == 2 and lines[1].startswith("    ")
    assert "15 affective of 20 (75%)" in lines[1]
    assert "better 50%" in lines[1] and "worse 25%" in lines[1]
    assert "concern 40%" in lines[1] and "referred 50%" in lines[1]
    bad = runner.invoke(app, ["tree", "--warehouse", str(path), "--lens", "nope"])
    assert bad.exit_code == 2 and "support" in bad.output


@pytest.mark.parametrize("extra, plans_left", [([], 3), (["--delete"], 1)])
def test_store_gc_is_a_dry_run_unless_told_to_delete(tmp_path, extra, plans_left):
    from chorus.core.chunk_store import ChunkStore, chunk_root, release_plan, write_plan
    from tests.core.test_chunk_gc import ref
    from tests.core.test_chunk_store import output

    private = tmp_path / "private" / "p.duckdb"
    root = chunk_root(private)
    for i in range(3):
        ChunkStore(root, "a" * 64).write(ref(i), output([f"c{i}"], ["u"], [1], [[]]))
        write_plan(root, f"run-{i}", "a" * 64, [ref(i)])
        release_plan(root, f"run-{i}")
    result = runner.invoke(app, ["store", "gc", "--keep-runs", "1",
                                 "--set", f"run.private_store='{private}'", *extra])
    assert result.exit_code == 0, result.output
    verb = "removed" if extra else "would remove"
    assert f"kept 1 run plans (0 running) and 1 chunks; {verb} 2 run plans, 2 chunks" \
        in result.output
    assert len(list((root / "runs").glob("*.json"))) == plans_left
    assert len([d for d in (root / ("a" * 16)).iterdir() if d.is_dir()]) == plans_left
