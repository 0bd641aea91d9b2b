"""Chunked runs publish what a one-chunk run publishes; a killed run resumes; a finished
run is published again from its chunk store without its input; the Dask path agrees.

Every part is real: the flow under the session's Prefect API, a process pool of two
spawned workers, ``chorus run`` subprocesses killed with SIGKILL, a Dask LocalCluster.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.flows.test_crash import Proc

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PUBLISHED = {"clusters": "* EXCLUDE (run_id)", "cluster_phrases": "* EXCLUDE (run_id)",
             "cluster_facets": "* EXCLUDE (run_id)", "run_facets": "* EXCLUDE (run_id)",
             "pii_counts": "* EXCLUDE (run_id)", "quarantine": "* EXCLUDE (run_id)",
             "runs": "status, n_read, n_accepted, n_quarantined, n_noise, n_published, "
                     "n_suppressed, n_affective, affective_share, min_users"}


def published(query, warehouse: Path, run_id: str) -> dict[str, list[tuple]]:
    """Every published row of a run, run id aside, sorted per table."""
    return {table: sorted(query(warehouse, f"SELECT {cols} FROM {table} WHERE run_id = "
                                           f"'{run_id}'"), key=repr)
            for table, cols in PUBLISHED.items()}


def make_input(path: Path, n: int = 240) -> Path:
    """Demo conversations, plus a bad line, a blank line and a conversation id repeated
    in a later chunk (quarantined as a duplicate, the first kept)."""
    from chorus.demo import generate

    conversations = generate(n, seed=23)[0]
    lines = [json.dumps(c) for c in conversations]
    lines.insert(30, "{not json")
    lines.insert(31, "")
    lines.append(json.dumps({**conversations[5], "user_id": "someone-else"}))
    path.write_text("\n".join(lines) + "\n")
    return path


def overrides(data: Path, out: Path, private: Path, *extra: str) -> list[str]:
    return [f"run.inputs=['{data}']", f"run.warehouse='{out / 'chorus.duckdb'}'",
            f"run.private_store='{private / 'p.duckdb'}'", "privacy.min_users=5",
            "privacy.min_conversations=5", "scrub.progress=false", "embed.progress=false",
            *extra]


def test_small_chunks_in_two_processes_publish_what_one_chunk_does(tmp_path, prefect_harness,
                                                                   query):
    from flows.pipeline import chorus_pipeline

    data = make_input(tmp_path / "in.jsonl")
    private = tmp_path / "private"  # one pseudonym key for both runs
    one = chorus_pipeline("configs/chorus.toml", overrides(
        data, tmp_path / "one", private, "run.chunk_size=100000", "run.workers=1"), "one")
    many = chorus_pipeline("configs/chorus.toml", overrides(
        data, tmp_path / "many", private, "run.chunk_size=50", "run.workers=2"), "many")
    assert one["status"] == many["status"] == "succeeded"
    assert (many["n_read"], many["n_quarantined"]) == (242, 2)
    a = published(query, tmp_path / "one" / "chorus.duckdb", "one")
    b = published(query, tmp_path / "many" / "chorus.duckdb", "many")
    assert a["clusters"], "something was published"
    assert a == b
    reasons = [r[2] for r in b["quarantine"]]
    assert sorted(reasons)[0] == "duplicate conversation_id"
    stages = dict(query(tmp_path / "many" / "chorus.duckdb",
                        "SELECT stage, chunks FROM run_stages WHERE run_id = 'many'"))
    assert stages["scrub"] == 5 and stages["map"] == 5 and "cluster" in stages  # 243 lines
    workers = query(tmp_path / "many" / "chorus.duckdb",
                    "SELECT workers FROM run_stages WHERE stage = 'map'")
    assert workers == [(2,)]
    # one folder per finished chunk under the map-hash folder (runs/ holds the two plans)
    chunk_dirs = [d for d in (private / "chunks").glob("*/*")
                  if d.is_dir() and d.parent.name != "runs" and not d.name.startswith(".")]
    assert len(chunk_dirs) == 6  # 1 + 5 chunks
    assert len(list((private / "chunks" / "runs").glob("*.json"))) == 2


def test_a_killed_run_resumes_and_a_finished_run_republishes_from_the_store(
        tmp_path, query, prefect_harness):
    data = make_input(tmp_path / "in.jsonl", 200)
    private, out = tmp_path / "private", tmp_path / "out"
    home = tmp_path / "prefect-home"
    args = ["-m", "chorus.cli", "run", "--no-tree", "--run-id", "resumed"]
    for item in overrides(data, out, private, "run.chunk_size=40", "run.workers=1"):
        args += ["--set", item]
    first = Proc(args, home)
    try:
        first.wait_for(r"ingest: chunk 2: read", 600)
    finally:
        first.kill()
    store = next((private / "chunks").glob("*/"))
    done = [d for d in store.iterdir() if not d.name.startswith(".")]
    assert 2 <= len(done) < 6, "killed in the middle of the map phase"
    orphan = store / ".tmp-planted-0-dead"  # what a kill during a write leaves
    orphan.mkdir()
    (orphan / "conversations.parquet").write_bytes(b"partial")

    rerun = Proc(args, home)
    resumed = rerun.wait_for(r"map: 6 chunks, (\d+) stored already, (\d+) to run on .*; "
                             r"(\d+) partial", 600)
    assert int(resumed.group(1)) == len(done) and int(resumed.group(3)) >= 1
    rerun.wait_for(r"run resumed succeeded", 900)
    assert rerun.popen.wait(timeout=120) == 0
    assert not orphan.exists()
    assert not [d for d in store.iterdir() if d.name.startswith(".tmp-")]

    # the same run uninterrupted, from nothing stored (same key, fresh chunks and warehouse)
    clean = tmp_path / "clean"
    clean_args = ["-m", "chorus.cli", "run", "--no-tree", "--run-id", "clean"]
    for item in overrides(data, clean, private, "run.chunk_size=40", "run.workers=1"):
        clean_args += ["--set", item]
    for chunk in [d for d in store.iterdir() if not d.name.startswith(".")]:
        chunk.rename(tmp_path / chunk.name)
    whole = Proc(clean_args, home)
    whole.wait_for(r"map: 6 chunks, 0 stored already", 600)
    whole.wait_for(r"run clean succeeded", 900)
    assert whole.popen.wait(timeout=120) == 0
    a = published(query, out / "chorus.duckdb", "resumed")
    assert a == published(query, clean / "chorus.duckdb", "clean")
    assert query(out / "chorus.duckdb", "SELECT count(*) FROM runs") == [(1,)]

    # published again from the store with a larger k, the input gone
    data.rename(tmp_path / "gone.jsonl")
    again = Proc([*args, "--from-store", "resumed", "--set", "privacy.min_users=8",
                  "--set", "privacy.min_conversations=8"], home)
    again.wait_for(r"run resumed succeeded", 900)
    assert again.popen.wait(timeout=120) == 0
    rows = query(out / "chorus.duckdb", "SELECT min_users, n_read, n_accepted FROM runs")
    assert rows == [(8, a["runs"][0][1], a["runs"][0][2])]
    assert query(out / "chorus.duckdb", "SELECT min(n_users) FROM clusters WHERE "
                                         "run_id = 'resumed'")[0][0] >= 8


def test_the_dask_path_publishes_what_the_local_path_does(tmp_path, prefect_harness,
                                                          dask_cluster, query):
    from flows.pipeline import chorus_pipeline

    data = make_input(tmp_path / "in.jsonl", 160)
    private = tmp_path / "private"
    local = chorus_pipeline("configs/chorus.toml", overrides(
        data, tmp_path / "local", private, "run.chunk_size=100000", "run.workers=1"), "local")
    remote = chorus_pipeline("configs/chorus.toml", overrides(
        data, tmp_path / "dask", private, "run.chunk_size=60",
        f"run.dask_address='{dask_cluster['address']}'"), "dask")
    assert local["status"] == remote["status"] == "succeeded"
    assert published(query, tmp_path / "local" / "chorus.duckdb", "local") == published(
        query, tmp_path / "dask" / "chorus.duckdb", "dask")
    assert query(tmp_path / "dask" / "chorus.duckdb",
                 "SELECT chunks, workers FROM run_stages WHERE stage = 'map'") == [(3, None)]
