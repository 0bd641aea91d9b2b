"""Liveness locks: a file whose ``flock`` a process holds for as long as it does something.

The kernel drops an ``flock`` when its process dies, however it dies (``kill -9``
included), so "nobody holds the lock" proves that the owner is gone, with no pid to
reuse and no clock to trust. One host only (locks on network filesystems are not
reliable). This process's held locks are kept here by lock path, so holding one twice is
a no-op and a check from this process sees its own locks as alive.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from chorus.core.duckdb_files import try_flock

_held: dict[Path, int] = {}  # open descriptors of this process's locks, by lock file
_guard = threading.Lock()


def hold(lock: Path) -> bool:
    """Take ``lock`` for this process: True when held now (also when it already was),
    False when another process (or another open file) holds it."""
    with _guard:
        if lock in _held:
            return True
        fd = try_flock(lock)
        if fd is None:
            return False
        _held[lock] = fd
        return True


def release(lock: Path) -> None:
    """Drop ``lock`` if this process holds it, and delete the file."""
    with _guard:
        fd = _held.pop(lock, None)
        if fd is not None:
            lock.unlink(missing_ok=True)
            os.close(fd)


def owner_gone(lock: Path) -> bool:
    """Whether no live process holds ``lock`` (a missing file: nobody does). A lock found
    free is deleted."""
    with _guard:
        if lock in _held:
            return False
    if not lock.exists():
        return True
    fd = try_flock(lock)
    if fd is None:
        return False
    lock.unlink(missing_ok=True)
    os.close(fd)
    return True
