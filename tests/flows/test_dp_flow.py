"""The whole flow with differential privacy on: what reaches the warehouse under DP."""

from __future__ import annotations

import json

import pytest

from chorus.demo import generate

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.privacy]

K = 5
EPSILON = 8.0  # a 240-conversation run is far too small to select anything at epsilon 1


@pytest.fixture(scope="module")
def dp_run(tmp_path_factory, prefect_harness):
    from flows.pipeline import chorus_pipeline

    base = tmp_path_factory.mktemp("dp")
    conversations, _ = generate(240, seed=5)
    path = base / "input.jsonl"
    path.write_text("\n".join(json.dumps(c) for c in conversations) + "\n")
    warehouse = base / "chorus.duckdb"
    overrides = [f"run.inputs=['{path}']", f"run.warehouse='{warehouse}'",
                 f"run.private_store='{base / 'p.duckdb'}'",
                 f"privacy.min_users={K}", f"privacy.min_conversations={K}",
                 "privacy.dp.enabled=true", f"privacy.dp.epsilon={EPSILON}",
                 "scrub.progress=false", "embed.progress=false"]
    result = chorus_pipeline("configs/chorus.toml", overrides, "dp-run")
    return {"result": result, "warehouse": warehouse}


def test_dp_run_records_its_budget_and_publishes_noisy_users_only(dp_run, query):
    wh = dp_run["warehouse"]
    status, eps, delta, n_published = query(
        wh, "SELECT status, dp_epsilon, dp_delta, n_published FROM runs")[0]
    assert status == "succeeded" and eps == EPSILON and delta == 1e-6
    rows = query(wh, "SELECT kind, n_conversations, share, n_users, level FROM clusters")
    assert rows, "the DP run published clusters"
    assert len(rows) == n_published >= 1, "epsilon 8 selects the large clusters"
    assert all(kind == "cluster" for kind, *_ in rows)           # no 'other' rows
    assert all(n_conv is None and share is None for _, n_conv, share, _, _ in rows)
    assert all(n_users >= K for *_, n_users, _ in rows)
    for table in ("cluster_facets", "pii_counts"):
        assert query(wh, f"SELECT count(*) FROM {table}")[0][0] == 0


def test_tree_and_svg_render_a_dp_run(dp_run, tmp_path):
    from typer.testing import CliRunner

    from chorus.cli import app

    out = CliRunner().invoke(app, ["tree", "--warehouse", str(dp_run["warehouse"])])
    assert out.exit_code == 0, out.output
    assert "users, DP" in out.output
    svg = tmp_path / "tree.svg"
    out = CliRunner().invoke(app, ["tree", "--warehouse", str(dp_run["warehouse"]),
                                   "--svg", str(svg)])
    assert out.exit_code == 0, out.output
    assert svg.read_text().startswith("<svg") and "users (DP)" in svg.read_text()
