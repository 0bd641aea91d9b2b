"""Garbage collection of the chunk store: the chunks and plans no kept or live run needs.

Layout: ``chorus.core.chunk_store``. ``collect_garbage(root, keep_runs)`` keeps

* the ``keep_runs`` newest run plans (``runs/*.json``, by when they were last written:
  a run writes its plan when it starts, a resumed or ``--from-store`` run again), and
  every plan whose run is alive (it holds the plan's liveness lock: ``write_plan``);
* every chunk folder a kept plan names (under its map hash), so a kept run can still be
  republished with ``chorus run --from-store``;
* every temporary folder whose writer holds its lock (a chunk being written);

and deletes the rest: older plans, chunk folders no kept plan names (of any map-stage
configuration), temporary folders whose writer is gone, plan temp files
(``runs/*.tmp-<pid>``: a plan is written and renamed under the gc lock, so one found
under it was left by a writer killed in between) and map-hash folders left empty.
Plans go first, so an interrupted collection leaves unreferenced chunks (the next one
takes them), never a kept plan without its chunks. The whole collection holds the
store's gc lock, under which runs write their plans: a run that starts meanwhile waits,
then finds deleted chunks missing and computes them.

``dry_run`` deletes nothing (a free lock file of a dead writer aside: it means nothing)
and reports what would go. Counts only: no text, no conversation id.
"""

from __future__ import annotations

import json
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

from chorus.core import liveness
from chorus.core.chunk_store import GC_LOCK, PLAN_TMP, RUNS, TMP_PREFIX
from chorus.core.chunks import ChunkRef
from chorus.core.duckdb_files import writer_lock
from chorus.core.errors import ChorusError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GcResult:
    """What a collection kept and deleted (or, with ``dry_run``, would delete).

    Attributes:
        plans_kept, plans_removed: run plans.
        live_runs: kept plans whose run is running now (beyond ``keep_runs`` or not).
        chunks_kept, chunks_removed: finished chunk folders.
        partials_removed: temporary folders of writers that are gone, and plan temp
            files.
        bytes_removed: the size of every file deleted (or to delete).
        dry_run: nothing was deleted.
    """

    plans_kept: int = 0
    plans_removed: int = 0
    live_runs: int = 0
    chunks_kept: int = 0
    chunks_removed: int = 0
    partials_removed: int = 0
    bytes_removed: int = 0
    dry_run: bool = False


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _plans(root: Path) -> list[tuple[Path, dict]]:
    """Every plan, newest first (mtime, then name), with its content.

    Raises:
        ChorusError: a plan cannot be read (nothing is collected then: its chunks are
            unknown).
    """
    paths = sorted((root / RUNS).glob("*.json"),
                   key=lambda p: (p.stat().st_mtime_ns, p.name), reverse=True)
    plans = []
    for path in paths:
        try:
            plans.append((path, json.loads(path.read_text())))
        except (OSError, ValueError) as exc:
            raise ChorusError(f"chunk store: the run plan {path} cannot be read "
                              f"({type(exc).__name__}); nothing collected") from None
    return plans


def collect_garbage(root: str | Path, keep_runs: int, dry_run: bool = False) -> GcResult:
    """Delete what no kept or live run needs under the chunk root ``root`` (see the
    module docstring); ``keep_runs`` >= 1 newest plans are kept.

    Raises:
        ValueError: ``keep_runs`` < 1.
        ChorusError: a plan cannot be read, or the gc lock stayed held.
    """
    if keep_runs < 1:
        raise ValueError("keep_runs must be >= 1")
    root = Path(root)
    if not root.is_dir():
        return GcResult(dry_run=dry_run)
    with writer_lock(root / GC_LOCK):
        plans = _plans(root)
        live = {path for path, _ in plans
                if not liveness.owner_gone(path.with_suffix(".lock"))}
        kept = [(p, plan) for i, (p, plan) in enumerate(plans) if i < keep_runs or p in live]
        needed = {(plan["map_hash"][:16], ChunkRef(**ref).key) for _, plan in kept
                  for ref in plan["refs"]}
        dropped = [p for p, _ in plans if p not in {k for k, _ in kept}]
        stale = sorted((root / RUNS).glob(f"*{PLAN_TMP}*"))  # see the module docstring
        freed = sum(_size(p) for p in dropped + stale)
        if not dry_run:
            for path in dropped + stale:
                path.unlink(missing_ok=True)
        chunks_kept = chunks_removed = 0
        partials = len(stale)
        for config_dir in sorted(d for d in root.iterdir() if d.is_dir() and d.name != RUNS):
            for entry in sorted(config_dir.iterdir()):
                if not entry.is_dir():
                    if entry.name.startswith(TMP_PREFIX) and not dry_run:
                        liveness.owner_gone(entry)  # a lock nobody holds is deleted
                    continue
                if entry.name.startswith(TMP_PREFIX):
                    if not liveness.owner_gone(Path(f"{entry}.lock")):
                        continue  # being written
                    partials += 1
                elif (config_dir.name, entry.name) in needed:
                    chunks_kept += 1
                    continue
                else:
                    chunks_removed += 1
                freed += _size(entry)
                if not dry_run:
                    shutil.rmtree(entry, ignore_errors=True)
            if not dry_run and not any(config_dir.iterdir()):
                config_dir.rmdir()
    result = GcResult(len(kept), len(dropped), len(live), chunks_kept, chunks_removed,
                      partials, freed, dry_run)
    log.info("chunk gc%s: %d plans kept (%d live), %d removed; %d chunks kept, %d removed, "
             "%d partial; %d bytes", " (dry run)" if dry_run else "", result.plans_kept,
             result.live_runs, result.plans_removed, chunks_kept, chunks_removed, partials,
             freed)
    return result
