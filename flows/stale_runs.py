"""Flow runs left RUNNING by a dead ``chorus run``: found and marked CRASHED.

A process killed with SIGKILL cannot tell Prefect that its flow run ended, so the run
stays RUNNING (or PENDING) in Prefect's database forever. Every ``chorus run`` that starts
its own server (``flows.server.managed_server``) tags its flow run ``MANAGED_TAG`` and
holds a shared lease on ``PREFECT_HOME/chorus-managed-server.lock`` (an ``flock``, which
the kernel drops when the process dies, however it dies). The next such run that finds
itself alone on the lease knows that no tagged run of ``chorus-pipeline`` in that
database has a live owner, and sets each one still RUNNING or PENDING to CRASHED through
Prefect's client API.

Runs without the tag (``chorus serve``, a flow run against an operator's own server) are
never touched: their owners may be alive.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

FLOW_NAME = "chorus-pipeline"
MANAGED_TAG = "chorus-managed-server"
LOCK_NAME = "chorus-managed-server.lock"
STALE_STATES = ("RUNNING", "PENDING")


class HomeLease:
    """A shared ``flock`` on ``<prefect home>/chorus-managed-server.lock``.

    ``acquire`` takes the shared lock (every live managed run holds one); ``alone`` asks,
    without blocking, whether this process is the only holder: it tries to turn the lock
    exclusive and, when that works, yields True while exclusive and turns it back to
    shared after. The descriptor is not inherited by child processes.
    """

    def __init__(self, home: str | Path) -> None:
        self.path = Path(home) / LOCK_NAME
        self.fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(self.fd, fcntl.LOCK_SH)

    @contextmanager
    def alone(self) -> Iterator[bool]:
        if self.fd is None:
            raise RuntimeError("HomeLease.alone() before acquire()")
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(self.fd, fcntl.LOCK_SH)

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the descriptor drops the lock
            self.fd = None


def mark_stale_runs_crashed(flow_name: str = FLOW_NAME, tag: str = MANAGED_TAG) -> int:
    """Set every ``flow_name`` run tagged ``tag`` and RUNNING or PENDING to CRASHED.

    Call only when no live process can own such a run (``HomeLease.alone``). Uses the
    Prefect API of the current settings (``PREFECT_API_URL``). Returns how many runs
    were marked. Reads and marks page by page until none is left.
    """
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowFilter,
        FlowFilterName,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
        FlowRunFilterTags,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.states import Crashed

    flow_filter = FlowFilter(name=FlowFilterName(any_=[flow_name]))
    run_filter = FlowRunFilter(
        tags=FlowRunFilterTags(all_=[tag]),
        state=FlowRunFilterState(type=FlowRunFilterStateType(
            any_=[StateType(s) for s in STALE_STATES])))
    marked: set[str] = set()
    with get_client(sync_client=True) as client:
        while True:
            runs = [r for r in client.read_flow_runs(flow_filter=flow_filter,
                                                     flow_run_filter=run_filter, limit=100)
                    if str(r.id) not in marked]
            if not runs:
                return len(marked)
            for run in runs:
                client.set_flow_run_state(
                    run.id, state=Crashed(message="the chorus process running this flow "
                                                  "died (found by the next chorus run)"),
                    force=True)
                marked.add(str(run.id))
