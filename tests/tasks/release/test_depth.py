"""Length and depth (tasks.release.depth) and the run's rows: medians only on published
affective / task groups, each user counted once; none under DP; the warehouse view
``reliance_overview`` and ``chorus tree --lens reliance``'s lines."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from chorus.core.schemas import QUARANTINE_SCHEMA
from chorus.core.settings import DPSettings, LensSettings, PrivacySettings
from tasks.release import build_release
from tasks.report import reliance_lines, reliance_summary
from tests.tasks.release.conftest import NO_PII, facets_for, summaries, use_frame

pytestmark = pytest.mark.privacy

K = 5
PRIVACY = PrivacySettings(min_users=K, min_conversations=K)


def one_cluster(frame: pl.DataFrame, privacy: PrivacySettings = PRIVACY):
    return build_release(frame, np.zeros((1, frame.height), dtype=np.int32),
                         summaries([[0]]), NO_PII, frame.height, privacy,
                         LensSettings(concern_min_level=0))


def affective_rows(frame: pl.DataFrame) -> dict[str, dict]:
    return {r["value"]: r for r in frame.filter(pl.col("facet") == "affective")
            .iter_rows(named=True)}


def test_each_user_counts_once_in_a_median():
    # 10 users with one 2-turn conversation; one user with 30 conversations of 20 turns:
    # per conversation the median would be 20, per user it is 2
    users = [f"u{i}" for i in range(10)] + ["heavy"] * 30 + [f"t{i}" for i in range(10)]
    turns = [2] * 10 + [20] * 30 + [6] * 10
    chars = [104] * 10 + [2000] * 30 + [333] * 10
    rel = one_cluster(use_frame(users, [True] * 40 + [False] * 10, turns=turns, chars=chars))
    rows = affective_rows(rel.facets)
    assert rows["affective"]["median_user_turns"] == 2.0
    assert rows["affective"]["median_user_chars"] == 100.0         # rounded to 10
    assert rows["task"]["median_user_turns"] == 6.0
    assert rows["task"]["median_user_chars"] == 330.0
    run = affective_rows(rel.run_facets)
    assert run["affective"]["median_user_turns"] == 2.0 and run["affective"]["n_users"] == 11


def test_medians_only_on_the_affective_and_task_rows():
    users = [f"u{i}" for i in range(30)]
    rel = one_cluster(use_frame(users, [True] * 15 + [False] * 15))
    others = rel.facets.filter(pl.col("facet") != "affective")
    assert others.height and others["median_user_turns"].null_count() == others.height


@pytest.mark.parametrize("n_task, published", [(K - 1, False), (K, True), (K + 1, True)])
def test_no_median_for_a_group_the_gate_hides(n_task, published):
    users = [f"u{i}" for i in range(20 + n_task)]
    rel = one_cluster(use_frame(users, [True] * 20 + [False] * n_task,
                                turns=[3] * 20 + [9] * n_task))
    rows = affective_rows(rel.facets)
    if published:
        assert rows["task"]["median_user_turns"] == 9.0
        assert set(affective_rows(rel.run_facets)) == {"affective", "task"}
    else:  # one 'other' row: no median, and no run rows at all
        assert set(rows) == {"other"} and rows["other"]["median_user_turns"] is None
        assert rel.run_facets.is_empty()


def test_medians_are_null_without_the_depth_columns():
    users = [f"u{i}" for i in range(30)]
    frame = facets_for(users).with_columns(
        pl.Series("affective", [True] * 15 + [False] * 15),
        pl.Series("sentiment_shift", [0.0] * 30, dtype=pl.Float32),
        pl.Series("concern", [False] * 30), pl.Series("referral", [False] * 30))
    rel = one_cluster(frame)
    assert rel.facets["median_user_turns"].null_count() == rel.facets.height
    assert "boundary" not in set(rel.facets["facet"])      # no column: no boundary facets


def test_nothing_of_this_under_dp():
    privacy = PrivacySettings(min_users=K, min_conversations=K,
                              dp=DPSettings(enabled=True, epsilon=20.0))
    users = [f"u{i % 300}" for i in range(600)]
    rel = one_cluster(use_frame(users, [True] * 300 + [False] * 300,
                                boundary=[True] * 600), privacy)
    assert rel.facets.is_empty() and rel.run_facets.is_empty()


def test_the_warehouse_view_and_the_tree_lines(tmp_path):
    from tasks.store import connect, write_run

    users = ([f"a{i}" for i in range(3 * K)] + [f"b{i}" for i in range(K) for _ in range(2)]
             + [f"h{i}" for i in range(K) for _ in range(5)] + [f"t{i}" for i in range(20)])
    n_aff = len(users) - 20
    boundary = [i % 3 == 0 for i in range(len(users))]
    rel = one_cluster(use_frame(users, [True] * n_aff + [False] * 20, boundary=boundary,
                                turns=[4] * n_aff + [2] * 20))
    path = tmp_path / "w.duckdb"
    write_run(path, {"run_id": "r", "status": "succeeded", "min_users": K},
              rel, pl.DataFrame(schema=QUARANTINE_SCHEMA))
    con = connect(path, read_only=True)
    try:
        view = con.sql("SELECT * FROM reliance_overview").pl()
        run_facets = con.sql("SELECT * FROM run_facets WHERE run_id = 'r'").pl()
        table = con.sql("SELECT * FROM cluster_reliance").pl()
    finally:
        con.close()
    (row,) = view.iter_rows(named=True)
    assert row["reliance"] == f"1: {3 * K}, 2-3: {K}, 4+: {K}"
    assert row["run_reliance"] == row["reliance"] and row["n_affective_users"] == 5 * K
    assert row["median_turns_affective"] == 4.0 and row["median_turns_task"] == 2.0
    n_boundary = sum(boundary[:n_aff])
    assert row["boundary_rate"] == pytest.approx(n_boundary / n_aff)
    assert table.height == 1
    summary = reliance_summary(run_facets)
    assert f"1: {3 * K} · 2-3: {K} · 4+: {K}" in summary[0]
    assert "affective 4" in summary[1]
    (line,) = reliance_lines(view)
    assert f"{5 * K} affective users" in line and "boundary" in line
    assert reliance_summary(run_facets.clear())[0].startswith("reliance: withheld")
