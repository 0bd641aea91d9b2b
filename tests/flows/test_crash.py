"""SIGKILL of a Chorus process: its Prefect server dies with it, its flow run is marked
CRASHED by the next start, and the embeddings it cached survive.

Every process here is real: ``prefect server start`` children (``flows.server``), a real
SQLite Prefect database in a temporary ``PREFECT_HOME``, real SIGKILL. The cheap tests
kill a tiny parent that holds ``managed_server()``; the slow one kills ``chorus run``
itself in the middle of its embed stage.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from chorus.core.env import PROJECT_ROOT
from flows.stale_runs import HomeLease

SERVER_LINE = re.compile(r"managed Prefect server pid (\d+) on http://127\.0\.0\.1:(\d+)/api")


class Proc:
    """A child Python process whose merged output is read line by line in a thread."""

    def __init__(self, args: list[str], home: Path) -> None:
        env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
        env.update(PREFECT_HOME=str(home), PREFECT_LOCAL_STORAGE_PATH=str(home / "storage"),
                   COLUMNS="400", PYTHONUNBUFFERED="1")
        self.popen = subprocess.Popen([sys.executable, *args], cwd=PROJECT_ROOT, env=env,
                                      stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.popen.stdout is not None
        for line in self.popen.stdout:
            self._queue.put(line)
        self._queue.put(None)

    def wait_for(self, pattern: str, timeout: float) -> re.Match[str]:
        """The first new line matching ``pattern``; fails on timeout or exit."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                pytest.fail(f"process exited ({self.popen.wait()}) before {pattern!r}:\n"
                            + "".join(self.lines[-30:]))
            self.lines.append(line)
            if match := re.search(pattern, line):
                return match
        pytest.fail(f"no {pattern!r} within {timeout} s:\n" + "".join(self.lines[-30:]))

    def kill(self) -> None:
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(timeout=10)


def gone(pid: int) -> bool:
    """True when ``pid`` no longer runs (absent, or a zombie nobody reaped yet)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


def port_closed(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def assert_server_dies(pid: int, port: int, within: float = 10.0) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < within:
        if gone(pid) and port_closed(port):
            return time.monotonic() - t0
        time.sleep(0.1)
    pytest.fail(f"managed server pid {pid} (port {port}) still alive {within} s after "
                "its parent died")


def flow_run_state(home: Path, run_id: str) -> tuple[str, str]:
    """(state type, tags) of a flow run, read from Prefect's SQLite database read-only."""
    con = sqlite3.connect(f"file:{home / 'prefect.db'}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT state_type, tags FROM flow_run WHERE id = ?",
                          (run_id,)).fetchone()
    finally:
        con.close()
    assert row is not None, f"flow run {run_id} is not in Prefect's database"
    return row[0], row[1]


HANGING_FLOW = """
import time, chorus
from prefect import flow
from prefect.runtime import flow_run
from flows.server import managed_server

@flow(name="chorus-pipeline", persist_result=False)
def hang():
    print("FLOW RUN", flow_run.id, flush=True)
    time.sleep(600)

with managed_server():
    hang()
"""

READ_STATE = """
import chorus
from flows.server import managed_server
with managed_server() as url:
    print("API", url, flush=True)
"""


def test_managed_server_dies_with_its_killed_parent_and_the_run_is_marked_crashed(tmp_path):
    home = tmp_path / "prefect-home"
    parent = Proc(["-c", HANGING_FLOW], home)
    try:
        pid, port = map(int, parent.wait_for(SERVER_LINE.pattern, 240).groups())
        run_id = parent.wait_for(r"FLOW RUN ([0-9a-f-]{36})", 120).group(1)
        assert not gone(pid) and not port_closed(port)
    finally:
        parent.kill()
    print(f"server gone {assert_server_dies(pid, port):.2f} s after SIGKILL of its parent")
    assert flow_run_state(home, run_id)[0] == "RUNNING", "nobody could tell Prefect"

    nxt = Proc(["-c", READ_STATE], home)
    try:
        pid2, port2 = map(int, nxt.wait_for(SERVER_LINE.pattern, 240).groups())
        assert nxt.wait_for(r"marked (\d+) stale chorus-pipeline", 60).group(1) == "1"
        nxt.wait_for(r"^API http://127\.0\.0\.1:\d+/api", 30)
        assert nxt.popen.wait(timeout=60) == 0
    finally:
        if nxt.popen.poll() is None:
            nxt.kill()
    state, tags = flow_run_state(home, run_id)
    assert state == "CRASHED" and "chorus-managed-server" in tags
    assert gone(pid2) and port_closed(port2), "a normal exit stops the server too"


def test_the_lease_tells_a_lone_run_from_a_shared_home(tmp_path):
    first, second = HomeLease(tmp_path), HomeLease(tmp_path)
    first.acquire()
    second.acquire()
    with first.alone() as alone:
        assert not alone, "another live run holds the home: its runs are not stale"
    second.release()
    with first.alone() as alone:
        assert alone, "alone on the home: every tagged RUNNING run has a dead owner"
    second.acquire()  # first is back to shared: others can join again
    with second.alone() as alone:
        assert not alone
    second.release()
    first.release()


@pytest.mark.slow
def test_sigkill_of_chorus_run_mid_embed_keeps_the_cache_and_crashes_the_run(tmp_path, query):
    from chorus.demo import write_demo_data

    data, _ = write_demo_data(300, 11, tmp_path / "in.jsonl")
    home, private = tmp_path / "prefect-home", tmp_path / "private.duckdb"
    args = ["-m", "chorus.cli", "run", "--no-tree",
            "--set", f"run.inputs=['{data}']", "--set", f"run.warehouse={tmp_path / 'w.duckdb'}",
            "--set", f"run.private_store={private}", "--set", "embed.cache_batch=32",
            "--set", "embed.progress=false"]
    first = Proc(args, home)
    try:
        pid, port = map(int, first.wait_for(SERVER_LINE.pattern, 240).groups())
        run_id = first.wait_for(r"/runs/flow-run/([0-9a-f-]{36})", 120).group(1)
        total = int(first.wait_for(r"embed: 32 of (\d+) new requests embedded and cached",
                                   240).group(1))
    finally:
        first.kill()
    assert_server_dies(pid, port)
    cached = query(private, "SELECT count(*) FROM embedding_cache")[0][0]
    assert 32 <= cached < total, "killed mid-embed: the written batches, not all"

    rerun = Proc(args, home)
    try:
        pid2, port2 = map(int, rerun.wait_for(SERVER_LINE.pattern, 240).groups())
        assert rerun.wait_for(r"marked (\d+) stale chorus-pipeline", 60).group(1) == "1"
        done = rerun.wait_for(r"embed: (\d+) requests, (\d+) embedded now, (\d+) from cache",
                              240)
    finally:
        rerun.kill()  # the rest of the flow proves nothing more here
    assert_server_dies(pid2, port2)
    n, embedded, from_cache = map(int, done.groups())
    assert embedded == total - cached and from_cache >= cached and n == 300
    assert flow_run_state(home, run_id)[0] == "CRASHED"
