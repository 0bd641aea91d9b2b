"""Store: one transaction per run, replace on rerun, failed runs, views."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import numpy as np
import polars as pl
import pytest

from chorus.core.release import LENS_RUN_COLUMNS
from chorus.core.schemas import QUARANTINE_SCHEMA, SUMMARY_SCHEMA
from chorus.core.settings import LensSettings, PrivacySettings
from tasks.release import build_release
from tasks.store import connect, write_run

K = PrivacySettings(min_users=3, min_conversations=3)


def release(n_users: int = 8):
    users = [f"u{i}" for i in range(n_users * 2)]
    facets = pl.DataFrame({"conversation_id": [f"c{i}" for i in range(len(users))],
                           "user_id": users, "request": ["sleep at night"] * len(users),
                           "language": ["en"] * len(users), "turns_bucket": ["1"] * len(users)})
    labels = np.array([[0] * n_users + [1] * n_users, [0] * (2 * n_users)], dtype=np.int32)
    summaries = pl.DataFrame([{"level": lvl, "cluster_key": key, "name": "Sleep night",
                               "description": "Requests about sleep night.",
                               "phrases": [{"phrase": "sleep", "score": 1.0, "n_users": 9}]}
                              for lvl, keys in ((0, (0, 1)), (1, (0,))) for key in keys],
                             schema=SUMMARY_SCHEMA)
    pii = pl.DataFrame({"entity_type": ["PERSON"], "n_entities": [9], "n_conversations": [9],
                        "n_users": [9]})
    return build_release(facets, labels, summaries, pii, len(users), K)


def run_row(run_id: str, finished: int, status: str = "succeeded") -> dict:
    return {"run_id": run_id, "status": status, "n_read": 10, "n_accepted": 10,
            "finished_at": datetime(2026, 11, 1, finished, tzinfo=UTC)}


def counts(path):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: con.sql(f"SELECT count(*) FROM {t}").fetchall()[0][0]
                for t in ("runs", "clusters", "cluster_phrases", "cluster_facets", "pii_counts",
                          "quarantine")}
    finally:
        con.close()


def test_rerun_replaces_rows(tmp_path):
    path = tmp_path / "w.duckdb"
    q = pl.DataFrame({"source": ["in.jsonl"], "record": [3], "reason": ["invalid JSON"]})
    write_run(path, run_row("r1", 1), release(), q)
    first = counts(path)
    write_run(path, run_row("r1", 2), release(), q)
    assert counts(path) == first
    assert first["clusters"] == 3 and first["quarantine"] == 1


def test_latest_views_follow_the_newest_succeeded_run(tmp_path):
    path = tmp_path / "w.duckdb"
    empty_q = pl.DataFrame(schema=QUARANTINE_SCHEMA)
    write_run(path, run_row("old", 1), release(4), empty_q)
    write_run(path, run_row("new", 2), release(8), empty_q)
    write_run(path, run_row("broken", 3, "failed"), None, empty_q)
    con = duckdb.connect(str(path), read_only=True)
    assert con.sql("SELECT run_id FROM latest_run").fetchall()[0][0] == "new"
    latest = con.sql("SELECT DISTINCT run_id FROM latest_clusters").fetchall()
    assert {r[0] for r in latest} == {"new"}
    paths = [r[0] for r in con.sql("SELECT path FROM cluster_tree WHERE run_id = 'new' "
                                   "ORDER BY sort_key").fetchall()]
    assert paths[0] == "Sleep night" and paths[1].startswith("Sleep night > ")
    assert con.sql("SELECT status FROM runs WHERE run_id = 'broken'").fetchall()[0][0] == "failed"
    con.close()


def test_failed_write_leaves_previous_state(tmp_path):
    path = tmp_path / "w.duckdb"
    empty_q = pl.DataFrame(schema=QUARANTINE_SCHEMA)
    write_run(path, run_row("r1", 1), release(), empty_q)
    before = counts(path)
    bad = release()
    bad.clusters = bad.clusters.with_columns(pl.lit(None, dtype=pl.Int64).alias("n_users"))
    with pytest.raises(duckdb.Error):
        write_run(path, run_row("r1", 2), bad, empty_q)
    assert counts(path) == before


# --- the emotional-support lens (issue 5) -------------------------------------------------

def lens_release():
    """Two base clusters (20 users each) under one parent; the lens columns planted."""
    n = 40
    users = [f"u{i}" for i in range(n)]
    facets = pl.DataFrame({
        "conversation_id": [f"c{i}" for i in range(n)], "user_id": users,
        "request": ["sleep at night"] * n, "language": ["en"] * n, "turns_bucket": ["2-3"] * n,
        # cluster 0: 15 affective, 5 task; cluster 1: all task
        "affective": [True] * 15 + [False] * 25,
        "sentiment_shift": [0.5] * 10 + [-0.5] * 5 + [0.0] * 25,
        "concern": [True] * 8 + [False] * 32,
        "referral": [True] * 4 + [False] * 36,
    }).with_columns(pl.col("sentiment_shift").cast(pl.Float32))
    labels = np.array([[0] * 20 + [1] * 20, [0] * n], dtype=np.int32)
    summaries = pl.DataFrame([{"level": lvl, "cluster_key": key, "name": "Sleep night",
                               "description": "Requests about sleep night.",
                               "phrases": [{"phrase": "sleep", "score": 1.0, "n_users": 9}]}
                              for lvl, keys in ((0, (0, 1)), (1, (0,))) for key in keys],
                             schema=SUMMARY_SCHEMA)
    pii = pl.DataFrame(schema={"entity_type": pl.Utf8, "n_entities": pl.Int64,
                               "n_conversations": pl.Int64, "n_users": pl.Int64})
    return build_release(facets, labels, summaries, pii, n, K,
                         LensSettings(concern_min_level=0))


def test_lens_columns_and_support_overview(tmp_path):
    path = tmp_path / "w.duckdb"
    rel = lens_release()
    run = {**run_row("lens", 1), "n_accepted": 40,
           **{k: rel.counts[k] for k in LENS_RUN_COLUMNS}}
    write_run(path, run, rel, pl.DataFrame(schema=QUARANTINE_SCHEMA))
    con = duckdb.connect(str(path), read_only=True)
    try:
        n_aff, share, adjusted = con.sql("SELECT n_affective, affective_share, "
                                         "affective_share_adjusted FROM runs").fetchall()[0]
        assert n_aff == 15 and share == pytest.approx(15 / 40) and 0 <= adjusted <= 1
        overview = con.sql("SELECT * FROM support_overview ORDER BY level DESC, "
                           "n_affective DESC").pl()
    finally:
        con.close()
    assert overview.height == 3  # the parent and both base clusters
    assert set(overview.columns) >= {
        "level", "cluster_id", "parent_id", "name", "n_conversations", "n_users",
        "n_affective", "affective_share", "mean_sentiment_shift", "share_better",
        "share_worse", "concern_rate", "referral_rate_among_concern",
        "run_affective_share", "run_affective_share_adjusted"}
    rows = {(r["level"], r["n_affective"]): r for r in overview.iter_rows(named=True)}
    parent, affective, task = rows[(1, 15)], rows[(0, 15)], rows[(0, 0)]
    assert parent["affective_share"] == pytest.approx(15 / 40)
    assert affective["affective_share"] == pytest.approx(0.75)
    assert task["affective_share"] == 0.0  # only a 'task' row and no 'other' row: exactly 0
    assert affective["share_better"] == pytest.approx(0.5)
    assert affective["share_worse"] == pytest.approx(0.25)
    assert affective["mean_sentiment_shift"] == pytest.approx(0.125)
    assert affective["concern_rate"] == pytest.approx(0.4)
    assert affective["referral_rate_among_concern"] == pytest.approx(0.5)
    assert task["concern_rate"] == 0.0 and task["referral_rate_among_concern"] is None
    assert overview["run_affective_share"].to_list() == pytest.approx([15 / 40] * 3)


def test_support_overview_is_null_where_the_gate_withheld(tmp_path):
    path = tmp_path / "w.duckdb"
    write_run(path, run_row("plain", 1), release(), pl.DataFrame(schema=QUARANTINE_SCHEMA))
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.sql("SELECT n_affective, affective_share, share_better, concern_rate, "
                       "mean_sentiment_shift, run_affective_share FROM support_overview"
                       ).fetchall()
    finally:
        con.close()
    assert rows and all(v is None for row in rows for v in row)


def test_old_warehouse_gets_the_lens_columns(tmp_path):
    path = tmp_path / "w.duckdb"
    con = connect(path)
    con.execute("DROP VIEW support_overview; DROP VIEW cluster_support")
    for table, column in (("clusters", "mean_sentiment_shift"), ("runs", "n_affective"),
                          ("runs", "affective_share_adjusted")):
        con.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    con.close()
    rel = lens_release()
    write_run(path, {**run_row("r", 1), **{k: rel.counts[k] for k in LENS_RUN_COLUMNS}}, rel,
              pl.DataFrame(schema=QUARANTINE_SCHEMA))
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert con.sql("SELECT count(*) FROM support_overview").fetchall()[0][0] == 3
    finally:
        con.close()
