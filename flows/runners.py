"""Where a run's chunk tasks execute: this process, a local process pool, or Dask.

``chunk_runner(run_settings, n_chunks)`` picks the Prefect task runner:

* ``run.dask_address`` set: ``prefect_dask.DaskTaskRunner(address=...)``; on entry every
  worker is asked for its memory settings and the run refuses a cluster whose workers
  may spill to disk (``distributed.worker.memory.target`` and ``.spill`` must be False:
  a spilled task result or argument would be a file on a worker's disk);
* one chunk to compute, or one worker: a ``ThreadPoolTaskRunner`` of one thread, in the
  flow's own process (no start-up cost, the models already loaded stay loaded);
* else a ``ProcessPoolTaskRunner`` of ``min(workers, chunks)`` processes (spawned), each
  started by ``worker_init``: intra-op threads cores // workers (``OMP_NUM_THREADS``,
  ``MKL_NUM_THREADS``, torch), so two processes on two cores use two cores, not four.
  A worker process keeps its analyzer and embedder (cached per process) across chunks.
"""

from __future__ import annotations

import os
from typing import Any

from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner

from chorus.core.config import RunSettings
from chorus.core.errors import ChorusError

THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
               "NUMEXPR_NUM_THREADS")


def cores() -> int:
    """CPU cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def effective_workers(settings: RunSettings, n_chunks: int) -> int:
    """Processes that run ``n_chunks`` chunks on this machine (>= 1)."""
    return max(1, min(settings.workers or cores(), n_chunks))


def threads_per_worker(workers: int) -> int:
    return max(1, cores() // max(1, workers))


def worker_init(threads: int) -> None:
    """First thing in a pool process, before torch is imported: its thread budget."""
    for var in THREAD_VARS:
        os.environ[var] = str(threads)
    os.environ["TOKENIZERS_PARALLELISM"] = "false"
    import torch

    torch.set_num_threads(threads)


def _spill_settings() -> dict[str, Any]:
    """Run on each Dask worker: its memory settings that decide spilling."""
    import dask
    import distributed  # noqa: F401 - registers the distributed config defaults

    return {key: dask.config.get(f"distributed.worker.memory.{key}")
            for key in ("target", "spill")}


class DaskRunner:
    """``DaskTaskRunner`` at ``address`` that refuses workers that could spill."""

    def __init__(self, address: str) -> None:
        from prefect_dask import DaskTaskRunner

        self.address = address
        self.runner = DaskTaskRunner(address=address)

    def __enter__(self) -> TaskRunner:
        self.runner.__enter__()
        try:
            check_no_spill(self.runner.client.run(_spill_settings))
        except BaseException:
            self.runner.__exit__(None, None, None)
            raise
        return self.runner

    def __exit__(self, *exc: object) -> None:
        self.runner.__exit__(*exc)


def check_no_spill(per_worker: dict[str, dict[str, Any]]) -> None:
    """Raise unless every worker has ``target`` and ``spill`` False (and there is one)."""
    if not per_worker:
        raise ChorusError("the Dask cluster has no workers")
    spilling = sorted(w for w, s in per_worker.items()
                      if s.get("target") is not False or s.get("spill") is not False)
    if spilling:
        raise ChorusError(
            f"{len(spilling)} of {len(per_worker)} Dask workers may spill to disk; start "
            "them with distributed.worker.memory.target and .spill set to False "
            "(DASK_DISTRIBUTED__WORKER__MEMORY__TARGET=False, ..._SPILL=False)")


def chunk_runner(settings: RunSettings, n_chunks: int) -> Any:
    """A context manager giving the task runner for ``n_chunks`` chunk tasks."""
    if settings.dask_address:
        return DaskRunner(settings.dask_address)
    workers = effective_workers(settings, n_chunks)
    if workers == 1:
        return ThreadPoolTaskRunner(max_workers=1)
    return ProcessPoolTaskRunner(max_workers=workers, initializer=worker_init,
                                 initargs=(threads_per_worker(workers),))
