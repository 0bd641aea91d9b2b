"""Per-stage wall time, items/second and peak memory of the pipeline on demo data.

    python -m bench.pipeline_bench --sizes 2000 20000 [--flow]

Each size runs every stage's pure core once, in order, in this process (the embedding
cache is bypassed so embed is measured cold). Peak memory is the process's resident set
size sampled every 20 ms during the stage (it includes what earlier stages left behind).
``--flow`` also times the whole Prefect flow (temporary API server) for the first size.
Results print as a table and are written to bench/results/pipeline.json.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@contextmanager
def timed_peak() -> Iterator[dict[str, float]]:
    """Time a block and sample RSS every 20 ms; the yielded dict gets ``seconds`` and
    ``peak_mb`` when the block ends (also when it raises)."""
    out: dict[str, float] = {}
    peak = [rss_mb()]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.02):
            peak[0] = max(peak[0], rss_mb())

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    t0 = time.perf_counter()
    try:
        yield out
    finally:
        out["seconds"] = time.perf_counter() - t0
        stop.set()
        thread.join()
        out["peak_mb"] = max(peak[0], rss_mb())


@contextmanager
def measured(rows: list, size: int, stage: str, items: int):
    with timed_peak() as t:
        yield
    seconds = t["seconds"]
    row = {"size": size, "stage": stage, "items": items, "seconds": round(seconds, 2),
           "items_per_s": round(items / seconds, 1) if seconds else None,
           "peak_rss_mb": round(t["peak_mb"])}
    rows.append(row)
    print(f"{size:>7} {stage:<10} {items:>7} items {seconds:8.2f} s "
          f"{row['items_per_s'] or 0:>9.1f}/s  peak {row['peak_rss_mb']:>6} MB", flush=True)


def bench_size(n: int, rows: list, workdir: Path) -> None:
    """Every stage of the composition, timed, on n demo conversations (embedding cache
    off, so embed is measured cold)."""
    from chorus.core.config import load_config
    from chorus.core.rundata import RunData
    from chorus.demo import write_demo_data
    from flows.composition import RunContext, Stage, new_run_row, run_stages
    from tasks.embedders import build_embedder
    from tasks.lens import prototype_vectors
    from tasks.recognizers.analyzer import build_analyzer

    data_path, _ = write_demo_data(n, 7, workdir / f"demo-{n}.jsonl")
    cfg = load_config("configs/chorus.toml", [
        "scrub.progress=false", "embed.progress=false", "embed.cache=false",
        f"run.inputs=['{data_path}']", f"run.warehouse='{workdir / f'bench-{n}.duckdb'}'",
        f"run.private_store='{workdir / f'bench-{n}-private.duckdb'}'"])
    build_analyzer(cfg.scrub)  # model load is setup, not throughput
    embedder = build_embedder(cfg.embed)
    embedder.embed(["warm up"])
    prototype_vectors(embedder)  # prototype embedding is setup (cached per model)

    def timed(stage: Stage, data: RunData, args: tuple) -> dict:
        with measured(rows, n, stage.name, n):
            return stage.func(data, *args)

    data = RunData(f"bench-{n}")
    ctx = RunContext(cfg, new_run_row(cfg, data.run_id))
    results = run_stages(data, ctx, timed)
    print(f"{'':>7} scrub: {results['scrub']['user_turns']} user turns scrubbed; clusters "
          f"per level {results['cluster']['clusters_per_level']}, noise "
          f"{results['cluster']['noise']}, published {results['release']['published']}, "
          f"suppressed {results['release']['suppressed']}", flush=True)


def bench_flow(n: int, rows: list, workdir: Path) -> None:
    from chorus.demo import write_demo_data
    from flows.pipeline import chorus_pipeline

    data, _ = write_demo_data(n, 7, workdir / f"flow-{n}.jsonl")
    overrides = [f"run.inputs=['{data}']", f"run.warehouse='{workdir / 'flow.duckdb'}'",
                 f"run.private_store='{workdir / 'flow-private.duckdb'}'",
                 "scrub.progress=false", "embed.progress=false", "embed.cache=false"]
    with measured(rows, n, "flow", n):
        chorus_pipeline("configs/chorus.toml", overrides)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--flow", action="store_true", help="also time the whole flow")
    args = parser.parse_args()
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="chorus-bench-") as tmp:
        for n in args.sizes:
            bench_size(n, rows, Path(tmp))
        if args.flow:
            bench_flow(args.sizes[0], rows, Path(tmp))
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "pipeline.json"
    out.write_text(json.dumps({"date": time.strftime("%Y-%m-%d"), "rows": rows}, indent=2))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
