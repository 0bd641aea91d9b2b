"""The page model's reliance rows (``tasks.explore.model``): bucket order, per-cluster
rows and the run overview, from hand-made published rows; and ``read_run`` reading them
from a real DuckDB warehouse."""

from __future__ import annotations

import duckdb
import pytest

from tasks.explore.model import bucket_order, page_model, reliance_model, run_reliance
from tasks.explore.read import RELIANCE_COLUMNS, RunView, read_run
from tests.tasks.explore.conftest import RELIANCE_RUN, reliance_warehouse


def row(value: str, n_users: int = 10, n_conversations: int = 20) -> dict:
    return {"value": value, "n_conversations": n_conversations, "n_users": n_users}


@pytest.mark.parametrize(("values", "want"), [
    (["10+", "1", "4-9", "2-3"], ["1", "2-3", "4-9", "10+"]),
    (["4+", "1", "2-3"], ["1", "2-3", "4+"]),
    (["2-9", "10+", "1"], ["1", "2-9", "10+"]),
    (["1+"], ["1+"]),
    ([], []),
])
def test_bucket_order_by_lower_bound(values: list[str], want: list[str]) -> None:
    assert [r["value"] for r in bucket_order([row(v) for v in values])] == want


def cluster(cid: int, parent: int | None = None, level: int = 1) -> dict:
    return {"cluster_id": cid, "parent_id": parent, "level": level, "kind": "cluster",
            "name": f"c{cid}", "description": None, "n_conversations": 40, "n_users": 30,
            "share": 0.5, "mean_sentiment_shift": None, "x": 0.0, "y": 0.0}


COLS = {"n_affective_users": 25, "median_turns_affective": 4.5, "median_turns_task": 2.0,
        "median_chars_affective": 610.0, "median_chars_task": 220.0, "boundary_rate": 0.1,
        "boundary_rate_among_concern": None}


def view(**kw) -> RunView:
    run = {"run_id": "r", "status": "succeeded", "min_users": 5, "min_conversations": 5,
           "n_suppressed": 0, "n_noise": 0, "n_affective": 30}
    return RunView(run, [cluster(1), cluster(2, parent=1, level=0)], **kw)


def test_a_top_level_cluster_gets_its_histogram_in_bucket_order_and_its_columns() -> None:
    v = view(facets={1: {"reliance": [row("2-9", 8), row("1", 17)]}},
             reliance={1: dict(COLS), 2: dict(COLS)})
    got = reliance_model(v.clusters[0], v)
    assert got is not None and got["top_level"] is True
    assert [r["value"] for r in got["histogram"]] == ["1", "2-9"]
    assert {k: got[k] for k in RELIANCE_COLUMNS} == COLS


def test_without_a_published_histogram_the_list_is_empty_and_children_say_so() -> None:
    v = view(reliance={1: dict(COLS), 2: dict(COLS)})
    top, child = (reliance_model(c, v) for c in v.clusters)
    assert top is not None and top["histogram"] == [] and top["top_level"]
    assert child is not None and child["histogram"] == [] and not child["top_level"]


def test_a_warehouse_without_the_view_has_no_reliance_rows() -> None:
    v = view()
    assert reliance_model(v.clusters[0], v) is None and run_reliance(v) is None


def test_run_overview_from_run_facets() -> None:
    aff = {**row("affective", 30, 60), "median_user_turns": 4.0, "median_user_chars": 500.0}
    task = {**row("task", 40, 90), "median_user_turns": 2.0, "median_user_chars": 200.0}
    v = view(run_facets={"reliance": [row("4+", 6), row("1", 14), row("2-3", 10)],
                         "affective": [aff, task]})
    got = run_reliance(v)
    assert got is not None
    assert [r["value"] for r in got["histogram"]] == ["1", "2-3", "4+"]
    assert got["groups"] == {"affective": aff, "task": task}
    model = page_model(v)
    assert model["run_reliance"] == got
    assert all("reliance" in c for c in model["clusters"])


@pytest.fixture
def warehouse(tmp_path):
    return reliance_warehouse(tmp_path / "w.duckdb")


def test_read_run_reads_run_facets_and_the_cluster_reliance_view(warehouse) -> None:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        v = read_run(con, RELIANCE_RUN)
    finally:
        con.close()
    assert set(v.run_facets) == {"reliance", "affective"}
    assert {r["value"]: r["n_users"] for r in v.run_facets["reliance"]} == {"1": 12, "2+": 8}
    assert v.reliance[1]["n_affective_users"] == 20
    assert v.reliance[1]["boundary_rate"] == pytest.approx(0.2)
    assert v.reliance[1]["median_chars_affective"] == 610
    model = page_model(v)
    top = next(c for c in model["clusters"] if c["id"] == 1)
    assert [r["value"] for r in top["reliance"]["histogram"]] == ["1", "2+"]
    child = next(c for c in model["clusters"] if c["id"] == 2)
    assert child["reliance"]["histogram"] == [] and child["reliance"]["boundary_rate"] is None
