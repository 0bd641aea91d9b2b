"""End-to-end scale benchmark: `chorus run` on generated demo data at growing sizes.

    python -m bench.scale_bench [--sizes 20000 100000 1000000] [--mode local|dask]
        [--embedder BACKEND] [--out bench/results/scale.json] [--set section.key=value]...

For each size: the demo generator streams ``n`` conversations (seed ``--seed``) to a JSONL
file in the work folder (kept between invocations, ``--workdir``), then ``chorus run``
runs on it **as a subprocess**, with a fresh warehouse and a fresh private store (so the
embed stage runs cold: no cached vector), while this process samples the resident memory
of the whole process tree (the run, the Prefect server it starts, and in dask mode the
local workers) every ``--interval`` seconds with psutil. After the run it reads:

* per-stage seconds and items from the warehouse's ``run_stages`` table (stage, phase,
  seconds, items) when it exists; a warehouse without it (the single-process flow before
  the chunked one) falls back to the Prefect task-run lines of the run's log: a stage's
  seconds are the time from the previous task's end to its own (``source: "log"``);
* unique requests: distinct vectors in the fresh private store's embedding cache, i.e.
  the distinct scrubbed requests the run embedded (the demo repeats phrasings, so this
  is what embed really paid for).

Output (``--out``): ``{commit, date, note, runs: [{n_conversations, unique_requests,
embedder, mode, wall_s, conv_per_s, peak_rss_mb, stages: [{stage, seconds,
items_per_s}], ...}]}``; ``wall_s`` is the subprocess's wall time (Prefect server start
and model loads included); ``cpu_s`` its user+system CPU seconds with every descendant it
waited for (a measure that load from other processes barely moves; in dask mode the
workers are not the run's descendants and are not counted). Peak RSS is the sum over
the tree's processes at one sample (pages shared between processes count once per
process: an upper bound). ``--project`` runs another checkout's code (e.g. an exported
older commit) with this benchmark.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "bench" / "results" / "scale.json"
# Prefect's console line for a finished task run, e.g.
# 12:00:01.123 | INFO    | Task run 'scrub-3f2' - Finished in state Completed()
TASK_DONE = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d+) \| \w+\s*\| Task run '([\w-]+?)-[0-9a-f]+' "
                       r"- Finished in state")


def tree_rss_mb(root_pid: int) -> float:
    """Resident memory (MB) of ``root_pid`` and all its descendants, summed."""
    import psutil

    try:
        root = psutil.Process(root_pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0
    for proc in procs:
        try:
            total += proc.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total / 2**20


class PeakSampler:
    """Samples ``tree_rss_mb`` of some roots every ``interval`` s in a thread; ``peak``."""

    def __init__(self, roots: list[int], interval: float) -> None:
        self.roots, self.interval, self.peak = roots, interval, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, sum(tree_rss_mb(pid) for pid in self.roots))
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def demo_file(workdir: Path, n: int, seed: int) -> tuple[Path, float | None]:
    """The demo JSONL of (n, seed) in ``workdir`` (generated, streamed, unless present);
    the generation's seconds when it ran now."""
    from chorus.demo import write_demo_data

    path = workdir / f"demo-{n}-{seed}.jsonl"
    if path.is_file() and path.stat().st_size:
        return path, None
    t0 = time.perf_counter()
    write_demo_data(n, seed, path)
    return path, time.perf_counter() - t0


@contextmanager
def dask_cluster(workers: int):
    """A ``distributed.LocalCluster`` of ``workers`` processes on loopback, spilling off
    (a worker must never write what it holds to disk); yields its address and the worker
    pids (their memory counts in the tree)."""
    import dask
    from distributed import Client, LocalCluster

    with dask.config.set({"distributed.worker.memory.target": False,
                          "distributed.worker.memory.spill": False}):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          host="127.0.0.1", dashboard_address=None) as cluster, \
                Client(cluster) as client:
            pids = list(client.run(os.getpid).values())
            yield cluster.scheduler_address, pids


def log_stages(log: str) -> list[dict[str, Any]]:
    """Per-task seconds from Prefect's 'Finished in state' lines: each task's end minus
    the previous one's (the first task counts from the first line's time)."""
    times, names = [], []
    for line in log.splitlines():
        m = TASK_DONE.match(line)
        if m:
            h, mi, s, frac, name = m.groups()
            times.append(int(h) * 3600 + int(mi) * 60 + int(s) + float(f"0.{frac}"))
            names.append(name)
    out, prev = [], times[0] if times else 0.0
    for t, name in zip(times, names, strict=True):
        out.append({"stage": name, "seconds": round((t - prev) % 86400, 3), "items": None})
        prev = t
    return out


def read_results(warehouse: Path, private: Path, run_id: str, log: str) -> dict[str, Any]:
    """The run's row, its stages (``run_stages`` or the log) and unique requests."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        run = con.sql("SELECT * FROM runs WHERE run_id = $r", params={"r": run_id}).pl()
        row = run.row(0, named=True) if run.height else {}
        tables = {t for (t,) in con.sql("SELECT table_name FROM information_schema.tables")
                  .fetchall()}
        stages: list[dict[str, Any]] = []
        source = "run_stages"
        if "run_stages" in tables:
            stages = [dict(zip(("stage", "phase", "seconds", "items"), r, strict=True))
                      for r in con.sql("SELECT stage, phase, seconds, items FROM run_stages "
                                       "WHERE run_id = $r ORDER BY rowid",
                                       params={"r": run_id}).fetchall()]
    finally:
        con.close()
    if not stages:
        # TODO(lead): once every run writes run_stages (the chunked flow), drop this.
        stages, source = log_stages(log), "log"
    out = []
    for s in stages:  # a log's stages all count the run's conversations as their items
        items = s["items"] if source == "run_stages" else row.get("n_accepted")
        out.append({"stage": s["stage"], **({"phase": s["phase"]} if "phase" in s else {}),
                    "seconds": s["seconds"],
                    "items_per_s": round(items / s["seconds"], 1)
                    if items and s["seconds"] else None})
    unique = None
    if private.is_file():
        pcon = duckdb.connect(str(private), read_only=True)
        try:
            unique = pcon.sql("SELECT count(DISTINCT text_key) "
                              "FROM embedding_cache").fetchall()[0][0]
        finally:
            pcon.close()
    return {"row": row, "stages": out, "stage_source": source, "unique_requests": unique}


def bench_one(n: int, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    data, gen_s = demo_file(workdir, n, args.seed)
    out = workdir / f"run-{n}-{args.mode}-{int(time.time())}"
    out.mkdir(parents=True)
    warehouse, private = out / "chorus.duckdb", out / "private" / "chorus_private.duckdb"
    run_id = f"scale-{n}"
    sets = [f"run.inputs=['{data}']", f"run.warehouse='{warehouse}'",
            f"run.private_store='{private}'", "scrub.progress=false", "embed.progress=false"]
    if args.embedder:
        sets.append(f"embed.backend='{args.embedder}'")
    sets += args.set or []
    env = {**os.environ, "PYTHONPATH": str(args.project), "PYTHONUNBUFFERED": "1"}
    env.pop("PREFECT_API_URL", None)  # the run starts its own server (counted in the tree)

    def launch(extra: list[str], extra_pids: list[int]) -> tuple[float, float, int, float]:
        cmd = [sys.executable, "-m", "chorus.cli", "run", "--no-tree", "--run-id", run_id]
        for item in sets + extra:
            cmd += ["--set", item]
        with (out / "run.log").open("w") as log_fh:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            proc = subprocess.Popen(cmd, cwd=args.project, env=env, stdout=log_fh,
                                    stderr=subprocess.STDOUT)
            with PeakSampler([proc.pid, *extra_pids], args.interval) as sampler:
                rc = proc.wait()
            wall = time.perf_counter() - t0
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            return wall, sampler.peak, rc, cpu

    if args.mode == "dask":
        with dask_cluster(args.dask_workers) as (address, pids):
            wall, peak, rc, cpu = launch([f"run.dask_address='{address}'"], pids)
    else:
        wall, peak, rc, cpu = launch([], [])
    log = (out / "run.log").read_text(errors="replace")
    if rc != 0:
        raise SystemExit(f"chorus run failed at n={n} (exit {rc}); see {out / 'run.log'}")
    res = read_results(warehouse, private, run_id, log)
    accepted = res["row"].get("n_accepted") or n
    result = {"n_conversations": n, "unique_requests": res["unique_requests"],
              "embedder": args.embedder or f"{default_backend()} (default)",
              "mode": args.mode, "wall_s": round(wall, 1),
              "conv_per_s": round(accepted / wall, 1), "peak_rss_mb": round(peak),
              "cpu_s": round(cpu, 1),
              "stages": res["stages"], "stage_source": res["stage_source"],
              "flow_seconds": res["row"].get("seconds"), "status": res["row"].get("status"),
              "n_accepted": accepted, "generate_s": None if gen_s is None else round(gen_s, 1)}
    print(json.dumps({k: v for k, v in result.items() if k != "stages"}), flush=True)
    for s in res["stages"]:
        print(f"    {s['stage']:<12} {s.get('phase', ''):<7} {s['seconds']:>9.1f} s "
              f"{s['items_per_s'] or 0:>9.1f}/s", flush=True)
    return result


def commit_of(project: Path) -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=project,
                              capture_output=True, text=True, check=True).stdout.strip()
    except (subprocess.CalledProcessError, FileNotFoundError):
        return "unknown"


def default_backend() -> str:
    """``EmbedSettings``' default backend (what a run without ``--embedder`` uses)."""
    from chorus.core.settings import EmbedSettings

    return EmbedSettings().backend


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000, 1_000_000])
    parser.add_argument("--mode", choices=("local", "dask"), default="local")
    parser.add_argument("--dask-workers", type=int, default=2)
    parser.add_argument("--embedder", default=None,
                        help="embed.backend for the run (default: the config's)")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/chorus-scale-bench"),
                        help="demo files and run folders (kept; not in the repository)")
    parser.add_argument("--project", type=Path, default=ROOT,
                        help="the checkout whose `chorus run` is measured")
    parser.add_argument("--commit", default=None, help="recorded commit (default: git)")
    parser.add_argument("--note", default="", help="free text stored with the results")
    parser.add_argument("--interval", type=float, default=0.2, help="RSS sampling (s)")
    parser.add_argument("--set", action="append", help="extra config override (repeatable)")
    args = parser.parse_args(argv)
    args.project = args.project.resolve()
    args.workdir.mkdir(parents=True, exist_ok=True)
    runs = [bench_one(n, args, args.workdir) for n in args.sizes]
    result = {"commit": args.commit or commit_of(args.project),
              "date": datetime.now(UTC).strftime("%Y-%m-%d"), "note": args.note,
              "machine": {"cpus": os.cpu_count(),
                          "load_avg_at_end": [round(x, 2) for x in os.getloadavg()]},
              "runs": runs}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, default=str) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
