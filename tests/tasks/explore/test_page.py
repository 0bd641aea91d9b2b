"""The explorer page from synthetic warehouses: self-contained, escaped, model-consistent."""

from __future__ import annotations

import json
import re

import duckdb
import pytest

from bench.explorer_data import synthetic_warehouse
from chorus.core.errors import ChorusError
from tasks.explore import build_explorer
from tasks.explore.model import hierarchy_layout, page_model
from tasks.explore.page import bokeh_js
from tasks.explore.read import read_run

EVIL = '</script><img src=x onerror="alert(1)">&amp;'


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = synthetic_warehouse(tmp_path_factory.mktemp("page") / "w.duckdb", 60)
    con = duckdb.connect(str(path))
    con.execute("UPDATE clusters SET name = $n WHERE cluster_id = 5", {"n": EVIL})
    con.close()
    return path


def build(path, run_id=None):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return build_explorer(con, run_id)
    finally:
        con.close()


def blocks(html: str) -> dict[str, object]:
    return {m.group(1): json.loads(m.group(2)) for m in re.finditer(
        r'<script type="application/json" id="([^"]+)">(.*?)</script>', html, flags=re.S)}


def test_one_self_contained_file_with_no_url_to_load(warehouse):
    page = build(warehouse)
    html = page.html
    assert page.n_map == 60 and page.run_id == "synthetic"
    assert not re.search(r"""<(script|link|img|iframe)[^>]*\s(src|href)\s*=\s*["']?https?:""",
                         html, flags=re.I)
    assert not re.search(r"""url\(\s*["']?https?:""", html, flags=re.I)
    assert "@import" not in html and "<link" not in html
    assert "connect-src 'none'" in html  # the page's CSP forbids any fetch
    assert bokeh_js() in html, "BokehJS is inlined, whole"


def test_published_strings_cannot_break_out_of_their_json(warehouse):
    html = build(warehouse).html
    assert "</script><img" not in html and 'onerror="alert' not in html
    data = blocks(html)["chorus-data"]
    assert any(c["name"] == EVIL for c in data["clusters"]), "the string survives as data"


def test_map_columns_match_the_published_clusters(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    view = read_run(con)
    con.close()
    model = page_model(view)
    ids = sorted(c["cluster_id"] for c in view.clusters if c["kind"] == "cluster")
    assert sorted(model["map"]["cluster_id"]) == ids
    levels = model["map"]["level"]
    assert levels == sorted(levels, reverse=True), "parents first: children draw on top"
    assert model["layout"] == "pca"
    assert {len(v) for v in model["map"].values()} == {len(ids)}
    tops = {c["id"]: c["top"] for c in model["clusters"]}
    colour = dict(zip(model["map"]["cluster_id"], model["map"]["color_topic"], strict=True))
    assert all(colour[i] == colour[tops[i]] for i in ids), "coloured by top-level topic"


def test_without_a_stored_layout_positions_follow_the_tree(tmp_path):
    path = synthetic_warehouse(tmp_path / "dp.duckdb", 40)
    con = duckdb.connect(str(path))
    con.execute("UPDATE clusters SET x = NULL, y = NULL, n_conversations = NULL, share = NULL")
    con.execute("UPDATE runs SET dp_epsilon = 1.0, dp_delta = 1e-6")
    con.close()
    con = duckdb.connect(str(path), read_only=True)
    model = page_model(read_run(con))
    con.close()
    assert model["layout"] == "hierarchy"
    assert len(set(zip(model["map"]["x"], model["map"]["y"], strict=True))) > 30
    assert any("Differential privacy is on" in s for s in model["withheld"])
    assert set(model["map"]["share"]) == {"DP"}


def test_hierarchy_layout_is_deterministic_and_places_every_cluster():
    rows = [{"cluster_id": i, "parent_id": None if i < 3 else i % 3, "kind": "cluster",
             "n_users": 10 + i} for i in range(12)]
    assert hierarchy_layout(rows) == hierarchy_layout(list(rows))
    assert set(hierarchy_layout(rows)) == set(range(12))


def test_withheld_statement_and_header_counts(warehouse):
    con = duckdb.connect(str(warehouse))
    con.execute("UPDATE runs SET n_suppressed = 7, n_noise = NULL, n_quarantined = 3")
    con.close()
    data = blocks(build(warehouse).html)["chorus-data"]
    text = " ".join(data["withheld"])
    assert "7 clusters (all levels) below k" in text
    assert "noise) is withheld" in text and "3 malformed input records quarantined" in text
    assert data["run"]["n_suppressed"] == 7 and data["trends"] is None


def test_an_unknown_run_is_an_error(warehouse):
    with pytest.raises(ChorusError, match="no run 'nope'"):
        build(warehouse, "nope")
