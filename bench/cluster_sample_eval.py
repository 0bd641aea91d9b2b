"""What fitting the cluster stage on a sample costs: quality on the labelled sets, scale.

    python -m bench.cluster_sample_eval [--sets esconv banking77 clinc150 dailydialog]
        [--fractions 0.1 0.25 0.5] [--methods centroid knn] [--scale 100000 1000000]
        [--embed-cache DIR] [--no-labelled] [--no-scale]

**Labelled sets** (``bench.loaders``; scrub -> facets -> embed -> cluster as the flow
composes them, ``bench.chorus_path.run_chorus``): the flow's own cluster stage is the
full fit (every set is below the default ``fit_sample``). Then, for each fraction f and
assignment method, ``cluster_embeddings`` with ``fit_sample = round(f n)`` (same seed):
UMAP + HDBSCAN on the sample, the rest assigned, the noise rules on all. Each row scores
the base labels against the full fit and against the true labels (ARI/NMI, noise as one
cluster, ``bench.metrics``) with the stage's seconds. A full fit with another seed
(``seed+1``) gives the floor: how far two full fits already disagree.

**Scale** (generated unit vectors, 384-d: ~300 topics of Zipf-like sizes, cosine ~0.6
to their centre, 5% uniform noise; one fresh subprocess per size so that peak RSS is its
own): the default settings at 100k and 1M, with fit / assign / noise / parents seconds,
peak RSS of the process (data included: 1M x 384 float32 is 1.5 GB), ARI against the
generating topics; at the smallest size also UMAP unseeded (``seed=None``: parallel
NN-descent on 2 cores) and the kNN vote's cost per 1,000 rows.

Writes ``bench/results/cluster_sample.{json,md}``. ``--embed-cache`` keeps the labelled
sets' embeddings (public data, never conversation logs) outside the repository for reruns.
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from chorus.core.env import PROJECT_ROOT

log = logging.getLogger("bench.cluster_sample_eval")
RESULTS = PROJECT_ROOT / "bench" / "results"
DIM = 384


def _scores(reference: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    return {"ari": round(float(adjusted_rand_score(reference, pred)), 4),
            "nmi": round(float(normalized_mutual_info_score(reference, pred)), 4)}


def _embedded(name: str, cache: Path | None) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                      np.ndarray, float]:
    """(embeddings, truth, users, full-fit base labels, full-fit seconds) of one set."""
    from bench.chorus_path import run_chorus
    from bench.loaders import LOADERS
    from bench.throughput import Meter

    path = cache / f"{name}.npz" if cache else None
    if path is not None and path.exists():
        z = np.load(path, allow_pickle=True)
        return z["emb"], z["truth"], z["users"], z["full"], float(z["seconds"])
    meter = Meter()
    out = run_chorus(name, LOADERS[name](), meter)
    seconds = meter.seconds(name, "cluster")
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, emb=out.embeddings, truth=out.labels, users=out.users,
                 full=out.cluster_labels[0], seconds=seconds)
    return out.embeddings, out.labels, out.users, out.cluster_labels[0], seconds


def labelled_rows(sets: list[str], fractions: list[float], methods: list[str],
                  cache: Path | None, done: Callable[[list[dict]], object]) -> list[dict]:
    """One row per (set, fraction, method), plus the full fit and a reseeded full fit."""
    from bench.chorus_path import load_config
    from bench.loaders import DatasetMissing
    from bench.metrics import cluster_scores
    from tasks.cluster import cluster_embeddings

    cfg = load_config()
    publishable = (cfg.privacy.min_users, cfg.privacy.min_conversations)
    rows: list[dict] = []
    for name in sets:
        try:
            emb, truth, users, full, full_s = _embedded(name, cache)
        except DatasetMissing as exc:
            log.warning("skipping %s: %s", name, exc)
            continue
        n = emb.shape[0]

        def row(fraction: float, method: str, labels: np.ndarray, seconds: float,
                extra: dict | None = None, _name: str = name, _n: int = n,
                _full: np.ndarray = full, _truth: np.ndarray = truth) -> dict:
            truth_scores = cluster_scores(_truth, labels)
            out = {"dataset": _name, "n": _n, "fraction": fraction, "method": method,
                   "vs_full": _scores(_full, labels),
                   "vs_truth": {"ari": round(float(truth_scores["ari"] or 0), 4),
                                "nmi": round(float(truth_scores["nmi"] or 0), 4)},
                   "n_clusters": truth_scores["n_clusters"],
                   "noise_share": round(1 - float(truth_scores["coverage"] or 0), 4),
                   "seconds": round(seconds, 2), **(extra or {})}
            log.info("%s f=%.2f %s: vs full ARI %.3f NMI %.3f, vs truth ARI %.3f NMI "
                     "%.3f, %.1f s", _name, fraction, method, out["vs_full"]["ari"],
                     out["vs_full"]["nmi"], out["vs_truth"]["ari"], out["vs_truth"]["nmi"],
                     seconds)
            return out

        rows.append(row(1.0, "full fit (flow)", full, full_s))
        reseeded = cfg.cluster.model_copy(update={"seed": (cfg.cluster.seed or 0) + 1})
        result = cluster_embeddings(emb, reseeded, users, publishable)
        rows.append(row(1.0, "full fit, seed+1", result.labels[0],
                        sum(result.seconds.values())))
        for fraction in fractions:
            for method in methods:  # "centroid@-1": centroid with assign_min_similarity -1
                kind, _, threshold = method.partition("@")
                update: dict = {"fit_sample": max(1, round(fraction * n)),
                                "assign_method": kind}
                if threshold:
                    update["assign_min_similarity"] = float(threshold)
                settings = cfg.cluster.model_copy(update=update)
                result = cluster_embeddings(emb, settings, users, publishable)
                rows.append(row(fraction, method, result.labels[0],
                                sum(result.seconds.values()),
                                {"parts_s": result.seconds, "n_fitted": result.n_fitted,
                                 "n_assigned": result.n_assigned,
                                 "n_reassigned": result.n_reassigned}))
        done(rows)  # written after every set: a long run keeps what it measured
    return rows


def synthetic(n: int, seed: int = 0, topics: int = 300) -> tuple[np.ndarray, np.ndarray]:
    """(n, 384) unit float32 rows and their topic (-1: uniform noise), built in blocks."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(topics, DIM)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    weights = 1.0 / np.arange(1, topics + 1) ** 0.8
    truth = rng.choice(topics, size=n, p=weights / weights.sum()).astype(np.int32)
    truth[rng.random(n) < 0.05] = -1
    out = np.empty((n, DIM), dtype=np.float32)
    for start in range(0, n, 100_000):
        t = truth[start:start + 100_000]
        z = rng.standard_normal((t.size, DIM), dtype=np.float32) * (1.3 / DIM ** 0.5)
        block = np.where(t[:, None] >= 0, centres[np.maximum(t, 0)] + z,
                         rng.standard_normal((t.size, DIM), dtype=np.float32))
        out[start:start + t.size] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out, truth


def scale_run(n: int, variant: str) -> dict:
    """One scale measurement in this process (called in a fresh subprocess)."""
    from bench.chorus_path import load_config
    from bench.pipeline_bench import timed_peak
    from tasks.cluster import cluster_embeddings, knn_vote, sample_indices

    cfg = load_config()
    settings = cfg.cluster
    if variant == "unseeded":
        settings = settings.model_copy(update={"seed": None})
    t0 = time.perf_counter()
    emb, truth = synthetic(n)
    gen_s = time.perf_counter() - t0
    users = np.arange(n).astype(str)
    with timed_peak() as t:
        result = cluster_embeddings(emb, settings, users,
                                    (cfg.privacy.min_users, cfg.privacy.min_conversations))
    row = {"n": n, "variant": variant, "fit_sample": settings.fit_sample,
           "assign_method": settings.assign_method, "generate_s": round(gen_s, 1),
           "cluster_s": round(t["seconds"], 1), "parts_s": result.seconds,
           "peak_rss_mb": round(t["peak_mb"]),
           "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
           "n_fitted": result.n_fitted,
           "n_assigned": result.n_assigned, "n_noise": result.n_noise,
           "n_reassigned": result.n_reassigned,
           "n_clusters": int(result.labels[0].max()) + 1,
           "vs_truth": _scores(truth, result.labels[0])}
    if variant == "seeded":  # the kNN vote's cost, on a slice of rows
        idx = sample_indices(n, settings.fit_sample, settings.seed)
        if idx is not None:
            rows = min(5_000, n)
            t1 = time.perf_counter()
            knn_vote(emb[:rows], emb[idx], result.labels[0][idx], settings.assign_neighbors,
                     settings.assign_min_similarity, settings.assign_block_mb)
            row["knn_s_per_1k_rows"] = round((time.perf_counter() - t1) / rows * 1000, 2)
    return row


def scale_rows(sizes: list[int]) -> list[dict]:
    """Each (size, variant) in its own fresh interpreter: numba load and RSS are its own."""
    runs = [(sizes[0], "unseeded")] + [(n, "seeded") for n in sizes]
    rows = []
    for n, variant in runs:
        cmd = [sys.executable, "-m", "bench.cluster_sample_eval", "--one", str(n), variant]
        done = subprocess.run(cmd, cwd=PROJECT_ROOT, capture_output=True, text=True,
                              check=False)
        if done.returncode != 0:
            log.error("scale run %d %s failed: %s", n, variant, done.stderr[-2000:])
            continue
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        log.info("scale %s", rows[-1])
    return rows


def markdown(doc: dict) -> str:
    lines = [f"# Cluster stage: fit on a sample, assign the rest ({doc['date']}, "
             f"commit {doc['commit']})", "", f"`{doc['command']}`; {doc['note']}", "",
             "## Labelled sets (ARI/NMI, noise as one cluster)", "",
             "| set | n | fit on | method | vs full ARI | vs full NMI | vs truth ARI "
             "| vs truth NMI | clusters | noise | seconds |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in doc["labelled"]:
        lines.append(
            f"| {r['dataset']} | {r['n']} | {r['fraction']:.0%} | {r['method']} | "
            f"{r['vs_full']['ari']:.3f} | {r['vs_full']['nmi']:.3f} | "
            f"{r['vs_truth']['ari']:.3f} | {r['vs_truth']['nmi']:.3f} | {r['n_clusters']} | "
            f"{r['noise_share']:.1%} | {r['seconds']:.1f} |")
    lines += ["", "## Scale (generated 384-d vectors; fresh process per row)", "",
              "| n | variant | fitted | cluster s | fit s | assign s | noise s | parents s "
              "| peak RSS MB | clusters | ARI vs topics | kNN s / 1k rows |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in doc["scale"]:
        p = r["parts_s"]
        lines.append(
            f"| {r['n']} | {r['variant']} | {r['n_fitted']} | {r['cluster_s']} | "
            f"{p.get('fit')} | {p.get('assign')} | {p.get('noise')} | {p.get('parents')} | "
            f"{r['peak_rss_mb']} | {r['n_clusters']} | {r['vs_truth']['ari']:.3f} | "
            f"{r.get('knn_s_per_1k_rows', '-')} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+",
                        default=["esconv", "banking77", "clinc150", "dailydialog"])
    parser.add_argument("--fractions", nargs="+", type=float, default=[0.1, 0.25, 0.5])
    parser.add_argument("--methods", nargs="+", default=["centroid", "centroid@-1", "knn"])
    parser.add_argument("--scale", nargs="+", type=int, default=[100_000, 1_000_000])
    parser.add_argument("--embed-cache", type=Path, default=None)
    parser.add_argument("--no-labelled", action="store_true")
    parser.add_argument("--no-scale", action="store_true")
    parser.add_argument("--note", default="")
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(scale_run(int(args.one[0]), args.one[1])))
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    for noisy in ("presidio-analyzer", "numba", "sentence_transformers"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    from bench.report import commit_marker

    json_path = RESULTS / "cluster_sample.json"

    def write(section: str, rows: list[dict]) -> dict:
        doc = json.loads(json_path.read_text()) if json_path.exists() else {}  # keep the rest
        doc.setdefault("labelled", [])
        doc.setdefault("scale", [])
        doc.update({section: rows, "commit": commit_marker(),
                    "date": time.strftime("%Y-%m-%d %H:%M"),
                    "command": "python -m bench.cluster_sample_eval "
                               + " ".join(argv or sys.argv[1:]),
                    "note": args.note or "2-core machine shared with other work "
                                         "(numbers pessimistic)"})
        json_path.write_text(json.dumps(doc, indent=1) + "\n")
        (RESULTS / "cluster_sample.md").write_text(markdown(doc))
        return doc

    if not args.no_labelled:
        write("labelled", labelled_rows(args.sets, args.fractions, args.methods,
                                        args.embed_cache, lambda rows: write("labelled", rows)))
    if not args.no_scale:
        write("scale", scale_rows(args.scale))
    if json_path.exists():
        print(markdown(json.loads(json_path.read_text())))


if __name__ == "__main__":
    main()
