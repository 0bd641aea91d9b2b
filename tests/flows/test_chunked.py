"""Chunked runs publish what a one-chunk run publishes; a killed run resumes; a finished
run is published again from its chunk store without its input; the Dask path agrees.

Every part is real: the flow under the session's Prefect API, a process pool of two
spawned workers, a ``chorus run`` subprocess killed with SIGKILL, a Dask LocalCluster.
An input already counted in an earlier period is refused before any chunk is scrubbed.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from bench.compare_trees import published_rows
from tests.flows.test_crash import Proc

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PUBLISHED = {"clusters": "* EXCLUDE (run_id)", "cluster_phrases": "* EXCLUDE (run_id)",
             "cluster_facets": "* EXCLUDE (run_id)", "run_facets": "* EXCLUDE (run_id)",
             "pii_counts": "* EXCLUDE (run_id)", "quarantine": "* EXCLUDE (run_id)",
             "runs": "status, n_read, n_accepted, n_quarantined, n_noise, n_published, "
                     "n_suppressed, n_affective, affective_share, min_users"}


def published(warehouse: Path, run_id: str) -> dict[str, list[tuple]]:
    """Every published row of a run, run id aside, sorted per table."""
    return published_rows(warehouse, run_id, PUBLISHED)[1]


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
    a = published(tmp_path / "one" / "chorus.duckdb", "one")
    b = published(tmp_path / "many" / "chorus.duckdb", "many")
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
    assert len(chunk_dirs(private)) == 6  # 1 + 5 chunks
    assert len(list((private / "chunks" / "runs").glob("*.json"))) == 2


def chunk_dirs(private: Path) -> list[Path]:
    """The finished chunk folders of every map-hash folder (``runs/`` holds plans)."""
    return [d for d in (private / "chunks").glob("*/*")
            if d.is_dir() and d.parent.name != "runs" and not d.name.startswith(".")]


def wait_for_chunks(proc: Proc, private: Path, n: int, timeout: float) -> None:
    """Poll the chunk store until ``n`` chunks are stored (or the process exits)."""
    deadline = time.monotonic() + timeout
    while len(chunk_dirs(private)) < n:
        assert proc.popen.poll() is None, "".join(proc.lines[-30:])
        assert time.monotonic() < deadline, f"fewer than {n} chunks within {timeout} s"
        time.sleep(0.1)


def test_a_killed_run_resumes_and_a_finished_run_republishes_from_the_store(
        tmp_path, query, prefect_harness):
    """A ``chorus run`` subprocess (against the session's Prefect API) is killed with
    SIGKILL once two of its five chunks are stored; the same command, rerun, computes
    only the rest and publishes what an uninterrupted run does; then the finished run is
    published again from its chunk store, its input gone. The rerun, the uninterrupted
    run and the republish run in this process (the CLI through typer's runner): only the
    killed run needs a process of its own."""
    from prefect.settings import PREFECT_API_URL
    from typer.testing import CliRunner

    from chorus.cli import app

    data = make_input(tmp_path / "in.jsonl", 160)  # 163 lines: 5 chunks of 40
    private, out = tmp_path / "private", tmp_path / "out"
    args = ["run", "--no-tree", "--run-id", "resumed"]
    for item in overrides(data, out, private, "run.chunk_size=40", "run.workers=1"):
        args += ["--set", item]
    code = ("import os, sys; os.environ['PREFECT_API_URL'] = sys.argv.pop(1); "
            "from chorus.cli import app; app()")
    first = Proc(["-c", code, str(PREFECT_API_URL.value()), *args], tmp_path / "home")
    try:
        wait_for_chunks(first, private, 2, 600)
    finally:
        first.kill()
    done = chunk_dirs(private)
    assert 2 <= len(done) < 5, "killed in the middle of the map phase"
    store = done[0].parent
    orphan = store / ".tmp-planted-0-dead"  # what a kill during a write leaves
    orphan.mkdir()
    (orphan / "conversations.parquet").write_bytes(b"partial")

    cli = CliRunner()
    rerun = cli.invoke(app, args)
    assert rerun.exit_code == 0, rerun.output
    assert query(out / "chorus.duckdb", "SELECT chunks, chunks_reused FROM run_stages "
                 "WHERE run_id = 'resumed' AND stage = 'map'") == [(5, len(done))]
    assert not orphan.exists()
    assert not [d for d in store.iterdir() if d.name.startswith(".tmp-")]

    # the same run uninterrupted, from nothing stored (same key, fresh chunks and warehouse)
    clean = tmp_path / "clean"
    for chunk in chunk_dirs(private):
        chunk.rename(tmp_path / chunk.name)
    whole = cli.invoke(app, [*args[:3], "clean", *args[4:],
                             "--set", f"run.warehouse='{clean / 'chorus.duckdb'}'"])
    assert whole.exit_code == 0, whole.output
    assert query(clean / "chorus.duckdb", "SELECT chunks_reused FROM run_stages "
                 "WHERE stage = 'map'") == [(0,)]
    a = published(out / "chorus.duckdb", "resumed")
    assert a == published(clean / "chorus.duckdb", "clean")
    assert query(out / "chorus.duckdb", "SELECT count(*) FROM runs") == [(1,)]

    # published again from the store with a larger k, the input gone
    data.rename(tmp_path / "gone.jsonl")
    again = cli.invoke(app, [*args, "--from-store", "resumed", "--set", "privacy.min_users=8",
                             "--set", "privacy.min_conversations=8"])
    assert again.exit_code == 0, again.output
    rows = query(out / "chorus.duckdb", "SELECT min_users, n_read, n_accepted FROM runs")
    assert rows == [(8, a["runs"][0][1], a["runs"][0][2])]
    assert query(out / "chorus.duckdb", "SELECT min(n_users) FROM clusters WHERE "
                                         "run_id = 'resumed'")[0][0] >= 8


@pytest.mark.privacy
def test_an_input_counted_in_an_earlier_period_is_refused_before_any_chunk_is_scrubbed(
        tmp_path, prefect_harness, query):
    """An earlier published period run (its warehouse row and private rows written
    directly) holds one of the input's conversations: the run fails right after
    planning, with the overlap named, no chunk stored and no scrub timed."""
    import polars as pl

    from chorus.core.config import load_config
    from chorus.core.errors import ChorusError
    from chorus.core.private_store import PrivateStore
    from chorus.core.schemas import QUARANTINE_SCHEMA
    from flows.composition import new_run_row
    from flows.pipeline import chorus_pipeline
    from tasks.cluster.topics import conversation_keys
    from tasks.store import write_run

    data = make_input(tmp_path / "in.jsonl", 60)
    private, out = tmp_path / "private", tmp_path / "out"
    private.mkdir()
    settings = overrides(data, out, private, "run.chunk_size=20", "run.workers=1",
                         "cluster.period='2026-11'")
    october = {**new_run_row(load_config("configs/chorus.toml", settings), "october"),
               "status": "succeeded", "period": "2026-10"}
    out.mkdir()
    write_run(out / "chorus.duckdb", october, None, pl.DataFrame(schema=QUARANTINE_SCHEMA))
    first_id = json.loads(data.read_text().splitlines()[0])["conversation_id"]
    with PrivateStore(private / "p.duckdb") as store:
        topics = store.topics()
        topics.put_run({"run_id": "october", "mode": "fit", "model_id": "m",
                        "source_run_id": None, "period": "2026-10"},
                       pl.DataFrame(schema={"level": pl.Int32, "cluster_key": pl.Int32,
                                            "topic_key": pl.Utf8, "parent_key": pl.Int32,
                                            "n_members": pl.Int64,
                                            "centroid": pl.List(pl.Float32)}),
                       conversation_keys([first_id, "not-in-this-input"]))
        topics.set_published("october", True)
    with pytest.raises(ChorusError, match=r"periods must not overlap.*'october' \(1 "):
        chorus_pipeline("configs/chorus.toml", settings, "november")
    assert not chunk_dirs(private) and not (private / "chunks").exists()
    rows = query(out / "chorus.duckdb",
                 "SELECT status, error FROM runs WHERE run_id = 'november'")
    assert rows[0][0] == "failed" and "periods must not overlap" in rows[0][1]
    assert query(out / "chorus.duckdb", "SELECT count(*) FROM run_stages") == [(0,)]


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
    assert published(tmp_path / "local" / "chorus.duckdb", "local") == published(
        tmp_path / "dask" / "chorus.duckdb", "dask")
    assert query(tmp_path / "dask" / "chorus.duckdb",
                 "SELECT chunks, workers FROM run_stages WHERE stage = 'map'") == [(3, None)]
