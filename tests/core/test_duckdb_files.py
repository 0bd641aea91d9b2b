"""Locks of chorus.core.duckdb_files and chorus.core.liveness (real flocks, real files)."""

from __future__ import annotations

import os
import subprocess
import sys

from chorus.core import liveness
from chorus.core.duckdb_files import is_lock_conflict, try_flock


def test_try_flock_is_exclusive_and_follows_a_replaced_file(tmp_path):
    lock = tmp_path / "x.lock"
    fd = try_flock(lock)
    assert fd is not None and try_flock(lock) is None, "a second open file is refused"
    lock.unlink()  # the holder deletes the file before it lets go ...
    fresh = try_flock(lock)  # ... and the next taker locks the file now at the path
    assert fresh is not None and os.fstat(fresh).st_ino == os.stat(lock).st_ino
    os.close(fd)
    os.close(fresh)


def test_liveness_sees_its_own_locks_alive_and_a_killed_holders_gone(tmp_path):
    mine, theirs = tmp_path / "runs" / "mine.lock", tmp_path / "runs" / "theirs.lock"
    assert liveness.hold(mine) and liveness.hold(mine), "holding twice is a no-op"
    assert not liveness.owner_gone(mine)
    liveness.release(mine)
    assert not mine.exists() and liveness.owner_gone(mine)
    proc = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); "
        "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)"),
        str(theirs)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        assert not liveness.owner_gone(theirs) and not liveness.hold(theirs)
    finally:
        proc.kill()  # SIGKILL: the kernel drops the lock
        proc.wait(timeout=60)
    assert liveness.owner_gone(theirs) and not theirs.exists()


def test_only_duckdbs_lock_error_counts_as_a_conflict():
    import duckdb

    assert is_lock_conflict(duckdb.IOException('IO Error: Could not set lock on file "x"'))
    assert not is_lock_conflict(duckdb.IOException("IO Error: No space left on device"))
    assert not is_lock_conflict(OSError("Could not set lock on file"))
