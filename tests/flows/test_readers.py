"""Analysts' readers during a real run, and the warehouse trace of a killed run (issue 13).

One module fixture:

1. a real flow run in a subprocess (``killed-run``) is killed with SIGKILL as soon as its
   'running' row is in the warehouse; private assignments are planted for it and for a
   run the warehouse never heard of (what a crash between the two stores leaves);
2. a second process opens the warehouse read-only and keeps that connection open, and
   meanwhile opens, reads and closes new read-only connections every few milliseconds;
3. a real flow run (``reader-run``) runs in this process under ``prefect_harness``.

Before the swap design the store of step 3 failed with DuckDB's lock error, after its
retries, and the failure could not be recorded either.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest

from chorus.core.private_store import PrivateStore
from chorus.core.schemas import QUARANTINE_SCHEMA

pytestmark = [pytest.mark.integration, pytest.mark.slow]

K = 5
ROOT = Path(__file__).resolve().parents[2]

# argv: mode, warehouse, stop file, result file. Until the stop file exists it reads every
# run's status with its cluster and phrase counts, every 10 ms: mode 'hold' over one
# read-only connection opened at the start, mode 'poll' over a new read-only connection
# each time (opened, read, closed). Writes the distinct snapshots it saw and every error.
# Two processes, because within one process DuckDB hands a new connection to a file the
# instance a held connection keeps open.
READER = r"""
import json, os, sys, time, duckdb
mode, path, stop, result = sys.argv[1:5]
SQL = ("SELECT r.run_id, r.status, (SELECT count(*) FROM clusters c WHERE c.run_id = r.run_id),"
       " (SELECT count(*) FROM cluster_phrases p WHERE p.run_id = r.run_id) FROM runs r")
held = duckdb.connect(path, read_only=True) if mode == "hold" else None
seen, errors, opened = set(), [], 0
print("ready", flush=True)
while not os.path.exists(stop):
    try:
        con = held or duckdb.connect(path, read_only=True)
        opened += 1
        seen.add(tuple(sorted(tuple(r) for r in con.execute(SQL).fetchall())))
        if held is None:
            con.close()
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
    time.sleep(0.01)
json.dump({"opened": opened, "errors": errors, "seen": sorted(seen)}, open(result, "w"))
"""


def _overrides(base: Path, warehouse: Path, private: Path) -> list[str]:
    from chorus.demo import generate

    path = base / "input.jsonl"
    path.write_text("\n".join(json.dumps(c) for c in generate(200, seed=29)[0]) + "\n")
    return [f"run.inputs=['{path}']", f"run.warehouse='{warehouse}'",
            f"run.private_store='{private}'", f"privacy.min_users={K}",
            f"privacy.min_conversations={K}", "scrub.progress=false", "embed.progress=false"]


def _status(query, warehouse: Path, run_id: str) -> str | None:
    if not warehouse.exists():
        return None
    rows = query(warehouse, f"SELECT status FROM runs WHERE run_id = '{run_id}'")
    return rows[0][0] if rows else None


def _plant(private: Path, *run_ids: str) -> None:
    with PrivateStore(private) as store:
        for run_id in run_ids:
            store.write_assignments(run_id, pl.DataFrame({
                "conversation_id": ["p1", "p2"], "user_id": ["q1", "q2"], "level": [0, 0],
                "cluster_key": [0, 0]}))


def _kill_once_running(base: Path, overrides: list[str], query, warehouse: Path) -> None:
    """Run the flow as ``killed-run`` in a subprocess; SIGKILL it once its row is there."""
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value()),
           "PYTHONPATH": str(ROOT)}
    code = ("import json, sys; from flows.pipeline import chorus_pipeline; "
            "chorus_pipeline('configs/chorus.toml', json.loads(sys.argv[1]), 'killed-run')")
    log = (base / "killed-run.log").open("w")
    proc = subprocess.Popen([sys.executable, "-c", code, json.dumps(overrides)], cwd=ROOT,
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 240
        while _status(query, warehouse, "killed-run") != "running":
            assert proc.poll() is None, (base / "killed-run.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "no 'running' row within 240 s"
            time.sleep(0.05)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        log.close()


@pytest.fixture(scope="module")
def world(tmp_path_factory, prefect_harness, query):
    from flows.pipeline import chorus_pipeline
    from tasks.store import write_run
    from tests.tasks.test_store import release, run_row

    base = tmp_path_factory.mktemp("readers")
    warehouse, private = base / "out" / "chorus.duckdb", base / "out" / "private" / "p.duckdb"
    overrides = _overrides(base, warehouse, private)
    write_run(warehouse, run_row("old-ok", 1), release(), pl.DataFrame(schema=QUARANTINE_SCHEMA))
    _kill_once_running(base, overrides, query, warehouse)
    _plant(private, "old-ok", "killed-run", "ghost-run")
    before = dict(query(warehouse, "SELECT run_id, status FROM runs"))

    stop = base / "stop"
    readers = {mode: subprocess.Popen(
        [sys.executable, "-c", READER, mode, str(warehouse), str(stop), str(base / mode)],
        stdout=subprocess.PIPE, text=True) for mode in ("hold", "poll")}
    try:
        for reader in readers.values():
            assert reader.stdout is not None and reader.stdout.readline().strip() == "ready"
        run = chorus_pipeline("configs/chorus.toml", overrides, "reader-run")
        time.sleep(0.3)  # a few reads of the finished run
    finally:
        stop.touch()
        for reader in readers.values():
            reader.wait(timeout=120)
    return {"warehouse": warehouse, "private": private, "run": run, "before": before,
            "seen": {m: json.loads((base / m).read_text()) for m in readers},
            "rc": {m: r.returncode for m, r in readers.items()}}


def test_a_run_succeeds_while_a_reader_holds_the_warehouse(world, query):
    run, seen = world["run"], world["seen"]
    assert run["status"] == "succeeded"
    assert world["rc"] == {"hold": 0, "poll": 0}
    assert seen["hold"]["errors"] == [] and seen["poll"]["errors"] == [], seen
    assert min(s["opened"] for s in seen.values()) >= 20, "both read all along the run"
    # the held connection saw the warehouse as it was when it opened, all along
    assert len(seen["hold"]["seen"]) == 1
    assert {r[0]: r[1] for r in seen["hold"]["seen"][0]} == world["before"]
    # new connections saw the run 'running' with nothing published, then all of it
    n_clusters, n_phrases = query(world["warehouse"], (
        "SELECT (SELECT count(*) FROM clusters WHERE run_id = 'reader-run'), "
        "(SELECT count(*) FROM cluster_phrases WHERE run_id = 'reader-run')"))[0]
    assert n_clusters > 0 and n_phrases > 0
    polled = [{r[0]: tuple(r[1:]) for r in snapshot} for snapshot in seen["poll"]["seen"]]
    states = {snap.get("reader-run") for snap in polled}
    # (None: read before the run's start was written)
    assert states - {None} == {("running", 0, 0), ("succeeded", n_clusters, n_phrases)}, states
    killed = {snap["killed-run"][0] for snap in polled}
    assert "abandoned" in killed and killed <= {"running", "abandoned"}, killed


def test_a_killed_run_is_marked_abandoned_and_leaves_no_private_rows(world, query):
    from tasks.store import ABANDONED_ERROR, run_lock_path

    warehouse = world["warehouse"]
    assert world["before"]["killed-run"] == "running", "the kill left its 'running' row"
    rows = query(warehouse, "SELECT status, finished_at IS NOT NULL, error, n_read FROM runs "
                            "WHERE run_id = 'killed-run'")
    assert rows == [("abandoned", True, ABANDONED_ERROR, None)]
    private_runs = {r for (r,) in query(world["private"],
                                        "SELECT DISTINCT run_id FROM assignments")}
    assert private_runs == {"old-ok", "reader-run"}
    assert not run_lock_path(warehouse, "reader-run").exists()
    assert not run_lock_path(warehouse, "killed-run").exists()
    assert not Path(f"{warehouse}.new").exists()
