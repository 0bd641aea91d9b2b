"""DuckDB files shared between one writer and any number of readers in other processes.

DuckDB locks a database file for the whole life of a connection: one read-write process
or many read-only ones. A reader that holds the warehouse open (the DuckDB CLI, a
notebook) would block every write. So a writer never opens the published file for
writing: ``rewrite`` builds a new file beside it (a copy made through ``ATTACH ...
(READ_ONLY)``, which coexists with readers), the caller changes the copy, and on success
the copy is checkpointed, synced and moved over the published name with ``os.replace``
(atomic on POSIX). A reader that had the old file open keeps a consistent snapshot of it;
one that opens the name afterwards sees the new file; nobody sees a half-written one.

* ``writer_lock`` (an ``flock`` on ``<file>.lock``) serialises writers, across threads
  and processes; ``rewrite`` must be used under it. A copy left by a killed writer
  (``<file>.new``) is removed by the next one.
* ``connect_retrying`` opens a file, and waits with backoff while another process holds
  a conflicting lock (a read-write connection): one log line while waiting, then a
  ``ChorusError`` of one line that names the file, never DuckDB's traceback.
* ``try_flock`` takes an exclusive ``flock`` without waiting: the liveness lock of a
  process (the kernel drops it when the process dies, however it dies).
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import duckdb

from chorus.core.errors import ChorusError

log = logging.getLogger(__name__)
T = TypeVar("T")

READ_WAIT_S = 30.0    # how long a reader waits for a read-write holder to let go
WRITE_WAIT_S = 600.0  # how long a writer waits (for another writer, or a read-write holder)
NEW_SUFFIX = ".new"   # the copy being written, beside the file
LOCK_SUFFIX = ".lock"
OLD, NEW = "chorus_published", "chorus_next"  # catalog aliases inside ``rewrite``


def is_lock_conflict(exc: BaseException) -> bool:
    """True for DuckDB's error when another process holds a conflicting file lock."""
    return isinstance(exc, duckdb.IOException) and "Could not set lock on file" in str(exc)


def retry_locked(fn: Callable[[], T], path: str | Path, wait_s: float) -> T:
    """``fn()``, retried with backoff (50 ms doubling to 2 s) while it fails with a lock
    conflict on ``path``, for at most ``wait_s`` seconds.

    Raises:
        ChorusError: still locked after ``wait_s`` (one line, naming the file).
    """
    deadline = time.monotonic() + wait_s
    delay, warned = 0.05, False
    while True:
        try:
            return fn()
        except duckdb.IOException as exc:
            if not is_lock_conflict(exc):
                raise
            if time.monotonic() + delay > deadline:
                break
        if not warned:
            log.warning("%s is locked by another process (a read-write connection); "
                        "retrying for up to %.0f s", path, wait_s)
            warned = True
        time.sleep(delay)
        delay = min(delay * 2, 2.0)
    raise ChorusError(f"{path} stayed locked by another process for {wait_s:.0f} s (a "
                      "read-write connection holds it; readers should open it with "
                      "read_only=True)")


def connect_retrying(path: str | Path, read_only: bool,
                     wait_s: float | None = None) -> duckdb.DuckDBPyConnection:
    """``duckdb.connect(path, read_only=...)``, waiting out lock conflicts (see
    ``retry_locked``; default wait ``READ_WAIT_S`` read-only, ``WRITE_WAIT_S`` else)."""
    wait = wait_s if wait_s is not None else READ_WAIT_S if read_only else WRITE_WAIT_S
    return retry_locked(lambda: duckdb.connect(str(path), read_only=read_only), path, wait)


def try_flock(path: Path) -> int | None:
    """An exclusive ``flock`` on ``path`` (created), without waiting: the open descriptor
    (close it to release), or None when another open file holds the lock.

    A holder may delete the file before it lets go; a lock won on a file that is no
    longer at ``path`` is dropped and taken again on the file there now.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        try:
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)


@contextmanager
def writer_lock(path: str | Path, wait_s: float = WRITE_WAIT_S) -> Iterator[None]:
    """Hold the exclusive writer lock of the DuckDB file ``path`` (``<path>.lock``).

    Raises:
        ChorusError: another writer held it for ``wait_s`` seconds.
    """
    lock = Path(f"{path}{LOCK_SUFFIX}")
    deadline = time.monotonic() + wait_s
    delay, warned = 0.05, False
    while (fd := try_flock(lock)) is None:
        if time.monotonic() + delay > deadline:
            raise ChorusError(f"another writer held {lock} for {wait_s:.0f} s")
        if not warned:
            log.info("waiting for another writer of %s", path)
            warned = True
        time.sleep(delay)
        delay = min(delay * 2, 2.0)
    try:
        yield
    finally:
        os.close(fd)  # closing the descriptor drops the lock; the file stays (no races)


def _remove(*paths: Path) -> None:
    for p in paths:
        p.unlink(missing_ok=True)


def fsync(path: Path, directory: bool = False) -> None:
    """Flush ``path`` (a file, or a directory's entries) to disk."""
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def rewrite(path: str | Path, wait_s: float = WRITE_WAIT_S
            ) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection whose default catalog is a new copy of ``path``; swapped in on success.

    Call under ``writer_lock(path)``. The copy is ``<path>.new``, made by ``COPY FROM
    DATABASE`` from the published file attached read-only (empty when there is none yet;
    a write-ahead log left beside the published file is replayed into it). When the body
    returns, the copy is checkpointed, closed, synced and moved over ``path``; a stale
    ``<path>.wal`` (it belonged to the replaced file and is in the copy) is removed first,
    while the published file is still attached read-only, so no read-write connection can
    hold it. When the body raises, the copy is deleted and ``path`` is untouched.

    Raises:
        ChorusError: the published file stayed locked for ``wait_s`` seconds.
    """
    path = Path(path)
    new = Path(f"{path}{NEW_SUFFIX}")
    wal, new_wal = Path(f"{path}.wal"), Path(f"{new}.wal")
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove(new, new_wal)  # a copy a killed writer left behind
    con = duckdb.connect()
    try:
        if path.exists():
            retry_locked(lambda: con.execute(
                f"ATTACH '{_quote(path)}' AS {OLD} (READ_ONLY)"), path, wait_s)
        con.execute(f"ATTACH '{_quote(new)}' AS {NEW}")
        if path.exists():
            con.execute(f"COPY FROM DATABASE {OLD} TO {NEW}")
        con.execute(f"USE {NEW}")
        yield con
        con.execute(f"CHECKPOINT {NEW}")
        con.execute(f"USE memory; DETACH {NEW}")
        if new_wal.exists():
            raise ChorusError(f"{new} kept a write-ahead log after its checkpoint; "
                              "not swapped in")
        fsync(new)
        _remove(wal)
        os.replace(new, path)
        fsync(path.parent, directory=True)
    except BaseException:
        con.close()
        _remove(new, new_wal)
        raise
    con.close()


def _quote(path: Path) -> str:
    """A path as the body of a SQL string literal."""
    return str(path).replace("'", "''")
