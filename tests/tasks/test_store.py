"""Store: one transaction per run, replace on rerun, failed runs, views."""

from __future__ import annotations

from datetime import datetime, timezone

import duckdb
import numpy as np
import polars as pl
import pytest

from tasks.ingest import QUARANTINE_SCHEMA
from tasks.store import write_run
from tasks.summarize import SUMMARY_SCHEMA
from tasks.suppress import PrivacySettings, build_release

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
            "finished_at": datetime(2026, 11, 1, finished, tzinfo=timezone.utc)}


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
    assert {r[0] for r in con.sql("SELECT DISTINCT run_id FROM latest_clusters").fetchall()} == {"new"}
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
