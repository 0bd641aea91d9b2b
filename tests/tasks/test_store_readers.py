"""Store: readers in other processes, serialised writers, crash leftovers, a run's start.

Every holder of a lock here is a real second process (``duckdb.connect`` in a
``python -c`` subprocess, or an ``flock``), because DuckDB's and the kernel's locks are
per process: a holder in this process would prove nothing.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from chorus.core.errors import ChorusError
from chorus.core.private_store import PrivateStore
from chorus.core.schemas import QUARANTINE_SCHEMA
from tasks.store import ABANDONED_ERROR, begin_run, run_lock_path, write_run
from tests.tasks.test_store import counts, release, run_row

EMPTY_Q = pl.DataFrame(schema=QUARANTINE_SCHEMA)

# Opens the file, prints the runs it sees, waits for a line on stdin, prints again from
# the same connection, exits.
HOLD_DUCKDB = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "ro")
see = lambda: sorted(r for (r,) in con.sql("SELECT run_id FROM runs").fetchall())
print(",".join(see()), flush=True)
sys.stdin.readline()
print(",".join(see()), flush=True)
"""
# Takes an exclusive flock on argv[1], says so, holds it until stdin closes.
HOLD_FLOCK = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.readline()
"""


class Holder:
    """A second process running ``code`` with ``args``; ``line()`` reads what it prints,
    ``release()`` sends it the line it waits for and reaps it."""

    def __init__(self, code: str, *args: str) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", code, *args], text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def line(self) -> str:
        assert self.proc.stdout is not None
        return self.proc.stdout.readline().strip()

    def release(self) -> str:
        out, _ = self.proc.communicate("go\n", timeout=60)
        return out.strip()

    def __enter__(self) -> Holder:
        return self

    def __exit__(self, *exc) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=60)


def runs(path: Path) -> dict[str, tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {r[0]: r[1:] for r in con.sql(
            "SELECT run_id, status, finished_at IS NOT NULL, error, n_read FROM runs").fetchall()}
    finally:
        con.close()


def test_a_reader_never_blocks_a_write_and_keeps_its_snapshot(tmp_path):
    path = tmp_path / "w.duckdb"
    write_run(path, run_row("r1", 1), release(), EMPTY_Q)
    with Holder(HOLD_DUCKDB, str(path), "ro") as reader:
        assert reader.line() == "r1"
        write_run(path, run_row("r2", 2), release(), EMPTY_Q)  # failed with a lock error before
        write_run(path, run_row("r1", 3), release(), EMPTY_Q)  # and a rerun replaces
        assert reader.release() == "r1", "an open connection keeps the snapshot it opened"
    assert set(runs(path)) == {"r1", "r2"}
    assert counts(path)["clusters"] == 6
    assert not Path(f"{path}.new").exists() and not Path(f"{path}.wal").exists()


def test_a_read_write_holder_is_waited_for_then_named_in_one_line(tmp_path, caplog):
    from chorus.core.duckdb_files import connect_retrying

    path = tmp_path / "w.duckdb"
    write_run(path, run_row("r1", 1), release(), EMPTY_Q)
    with Holder(HOLD_DUCKDB, str(path), "rw") as writer:
        assert writer.line() == "r1"
        with pytest.raises(ChorusError) as err:
            connect_retrying(path, read_only=True, wait_s=0.5)
        message = str(err.value)
        assert str(path) in message and "\n" not in message
        assert err.value.__context__ is None and err.value.__cause__ is None
        assert len([r for r in caplog.records if r.levelname == "WARNING"]) == 1
        # released while a reader waits: the reader gets in
        threading.Timer(0.5, writer.release).start()
        con = connect_retrying(path, read_only=True, wait_s=30)
        assert con.sql("SELECT count(*) FROM runs").fetchall() == [(1,)]
        con.close()


def test_concurrent_writers_are_serialised(tmp_path):
    """Each write copies the published file: without the writer lock two concurrent
    writes would start from the same copy and the later swap would drop the other's run."""
    path = tmp_path / "w.duckdb"
    errors: list[BaseException] = []

    def writer(w: int) -> None:
        try:
            for i in range(3):
                write_run(path, run_row(f"w{w}-{i}", 1), release(), EMPTY_Q)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    assert len(runs(path)) == 12 and counts(path)["clusters"] == 36


def test_a_killed_writers_copy_is_removed_and_a_failed_write_swaps_nothing(tmp_path):
    path = tmp_path / "w.duckdb"
    write_run(path, run_row("r1", 1), release(), EMPTY_Q)
    before = counts(path)
    Path(f"{path}.new").write_bytes(b"half a database")  # what a kill mid-write leaves
    Path(f"{path}.new.wal").write_bytes(b"half a log")

    def fail() -> None:
        raise RuntimeError("the private store failed")

    with pytest.raises(RuntimeError):
        write_run(path, run_row("r2", 2), release(), EMPTY_Q, before_swap=fail)
    assert counts(path) == before
    assert not Path(f"{path}.new").exists() and not Path(f"{path}.new.wal").exists()


def test_a_write_ahead_log_left_beside_the_warehouse_is_kept(tmp_path):
    """An old-style writer killed before its checkpoint leaves ``<file>.wal``: the next
    write carries its rows into the new file and removes it (it would not fit the new
    file)."""
    path = tmp_path / "w.duckdb"
    write_run(path, run_row("r1", 1), release(), EMPTY_Q)
    subprocess.run([sys.executable, "-c", f"""
import duckdb, os
con = duckdb.connect({str(path)!r})
con.execute("SET checkpoint_threshold = '1GB'")
con.execute("INSERT INTO runs (run_id, status) VALUES ('from-wal', 'failed')")
os._exit(0)
"""], check=True, timeout=60)
    assert Path(f"{path}.wal").exists()
    write_run(path, run_row("r2", 2), release(), EMPTY_Q)
    assert not Path(f"{path}.wal").exists()
    assert set(runs(path)) == {"r1", "r2", "from-wal"}


# --- the start of a run ---------------------------------------------------------------------

def two_each(run_ids: list[str]) -> dict[str, int]:
    return dict.fromkeys(run_ids, 2)


def plant_private(path: Path, run_ids: list[str]) -> None:
    with PrivateStore(path) as store:
        for run_id in run_ids:
            store.write_assignments(run_id, pl.DataFrame({
                "conversation_id": ["c1", "c2"], "user_id": ["u1", "u2"],
                "level": [0, 0], "cluster_key": [0, 1]}))


def private_runs(path: Path) -> dict[str, int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return dict(con.sql("SELECT run_id, count(*) FROM assignments GROUP BY 1").fetchall())
    finally:
        con.close()


def test_begin_run_abandons_dead_runs_and_removes_orphan_private_rows(tmp_path):
    path, private = tmp_path / "w.duckdb", tmp_path / "private" / "p.duckdb"
    write_run(path, run_row("ok", 1), release(), EMPTY_Q)
    write_run(path, run_row("blk", 2, "blocked"), None, EMPTY_Q)
    write_run(path, run_row("bad", 3, "failed"), None, EMPTY_Q)
    write_run(path, {"run_id": "dead", "status": "running"}, None, EMPTY_Q)  # no lock: dead
    write_run(path, {"run_id": "alive", "status": "running"}, None, EMPTY_Q)
    all_runs = ["ok", "blk", "bad", "dead", "alive", "ghost", "new"]
    plant_private(private, all_runs)  # 'ghost': no warehouse row at all
    alive_lock = run_lock_path(path, "alive")
    alive_lock.parent.mkdir(parents=True, exist_ok=True)
    with Holder(HOLD_FLOCK, str(alive_lock)) as alive:
        assert alive.line() == "held"
        got = begin_run(path, private, {"run_id": "new", "status": "running",
                                        "started_at": datetime.now(UTC)})
        assert got == {"abandoned": 1, "orphans_removed": 6}  # bad, dead, ghost: 2 rows each
        after = runs(path)
        assert after["dead"] == ("abandoned", True, ABANDONED_ERROR, None)
        assert after["alive"][0] == "running", "its process still holds its lock"
        assert after["new"] == ("running", False, None, None)  # counts NULL until the end
        assert {k: v[0] for k, v in after.items() if k in ("ok", "blk", "bad")} == {
            "ok": "succeeded", "blk": "blocked", "bad": "failed"}
        assert private_runs(private) == two_each(["ok", "blk", "alive", "new"])
        alive.release()
    # its process gone, the next start abandons 'alive' and drops its private rows
    got = begin_run(path, private, {"run_id": "next", "status": "running"})
    assert got == {"abandoned": 1, "orphans_removed": 2}
    assert runs(path)["alive"][0] == "abandoned"
    assert runs(path)["new"][0] == "running", "this process still runs it"
    write_run(path, {**run_row("new", 4), "status": "failed"}, None, EMPTY_Q)
    assert not run_lock_path(path, "new").exists(), "the final row releases the run's lock"


def test_begin_run_refuses_a_run_id_that_another_process_runs(tmp_path):
    path, private = tmp_path / "w.duckdb", tmp_path / "p.duckdb"
    lock = run_lock_path(path, "busy")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with Holder(HOLD_FLOCK, str(lock)) as other:
        assert other.line() == "held"
        with pytest.raises(ChorusError, match="'busy' is already running"):
            begin_run(path, private, {"run_id": "busy", "status": "running"})
    assert not path.exists(), "nothing was written"
