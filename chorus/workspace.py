"""The run's in-memory workspace: where conversation text lives, and nowhere else.

Prefect tasks exchange references (a run id and a name), not data, as Prefect advises.
Frames that carry text (raw conversations, scrubbed turns, requests) are held here, in
this process's memory, for the length of one flow run, and dropped by ``release``. They
are never pickled into a Prefect result, a cache or a file. The flow runs its tasks in
this process (Prefect's default thread-pool runner), which this design relies on.
"""

from __future__ import annotations

import threading
from typing import Any

_LOCK = threading.Lock()
_RUNS: dict[str, "Workspace"] = {}


class Workspace:
    """Named in-memory objects of one run (polars frames, numpy arrays, small dicts)."""

    def __init__(self, run_id: str) -> None:
        self.run_id = run_id
        self._items: dict[str, Any] = {}

    def put(self, name: str, value: Any) -> None:
        self._items[name] = value

    def get(self, name: str) -> Any:
        try:
            return self._items[name]
        except KeyError:
            raise KeyError(f"workspace of run {self.run_id} has no {name!r}; "
                           f"it holds {sorted(self._items)}") from None

    def drop(self, name: str) -> None:
        self._items.pop(name, None)

    def names(self) -> list[str]:
        return sorted(self._items)


def workspace(run_id: str) -> Workspace:
    """The workspace of ``run_id``, created on first use."""
    with _LOCK:
        if run_id not in _RUNS:
            _RUNS[run_id] = Workspace(run_id)
        return _RUNS[run_id]


def release(run_id: str) -> None:
    """Forget everything the run held."""
    with _LOCK:
        _RUNS.pop(run_id, None)
