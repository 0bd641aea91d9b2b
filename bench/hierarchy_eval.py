"""Hierarchy quality: do the parent levels group base clusters that belong together?

On a set with parent labels (CLINC150: 150 intents in 10 domains), for each linkage of
``tasks.cluster.hierarchy`` built over the same base clusters, at the configured level
sizes (``cluster.levels``, ``cluster.top_level_clusters``):

* ``nmi`` / ``ari`` of the top level against the parent labels, per conversation, noise
  counted as one cluster (as ``bench.metrics``);
* ``parent_purity``: the share of base clusters whose level-1 parent's majority parent
  label is the base cluster's own majority parent label; ``top_purity`` the same for the
  top level (``purity``; majorities over conversations, ties to the smallest label).

Every linkage runs on the raw unit centroids and on centred ones (``, centered``: the
mean base centroid subtracted first, ``cluster.center_centroids``), and on centred ones
with size-weighted average linkage for level 1 and another linkage above it
(``size_average, then X``: ``cluster.linkage = "size_average+X"``), plus the configured
linkage if it is none of those. Beside them:
``kmeans (k=K)`` on the same embeddings with K = number of parent labels (NMI/ARI; its
``top_purity`` maps each base cluster to the k-means cluster holding most of its
conversations), and ``name embeddings``: the configured kind of linkage over the
embeddings of the base clusters' names instead of their centroids (what moving the parent
step after summarize would give).

The linkage is chosen on CLINC150's *train* split (a seeded sample of 4,500 of its
15,000 queries: ``python -m bench.hierarchy_eval --split train``) and reported on the
test split (``bench.run_eval``), so the default is never tuned on the reported split.

A last ``oracle base clusters`` row runs the configured linkage over the true labels
(intents) as base clusters, with ``nn_same_parent``, the share of intents whose nearest
intent centroid is in the same domain: a bound on what any parent step over these
embeddings' centroids can reach.

Each row: ``{dataset, method, nmi, ari, parent_purity, top_purity, n_parents, n_top,
single_child_parents}``.
"""

from __future__ import annotations

import argparse
import json
import logging
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bench.loaders import load_clinc150_train
from bench.metrics import cluster_scores

log = logging.getLogger(__name__)


def _majority(values: Sequence):
    """The most common value; ties: the smallest (labels as strings, ids as ints)."""
    counts = Counter(values)
    top = max(counts.values())
    return min(v for v, n in counts.items() if n == top)


def purity(base: np.ndarray, parent: np.ndarray, truth: Sequence) -> float | None:
    """Share of base clusters whose parent's majority label is their own majority label.

    Args:
        base: (n,) base cluster ids, -1 noise (left out).
        parent: (n,) parent ids of the same conversations.
        truth: (n,) true parent labels (e.g. CLINC domains).

    Returns:
        The share over base clusters (unweighted), None without clusters.
    """
    clusters = np.unique(base[base >= 0])
    if clusters.size == 0:
        return None
    labels = np.array([str(v) for v in np.asarray(truth, dtype=object).tolist()], dtype=object)
    parent_major = {int(p): _majority(labels[parent == p].tolist())
                    for p in np.unique(parent[base >= 0])}
    hits = 0
    for c in clusters:
        members = base == c
        own = _majority(labels[members].tolist())
        hits += parent_major[int(_majority(parent[members].tolist()))] == own
    return hits / clusters.size


def hierarchy_scores(truth: Sequence, labels: np.ndarray) -> dict:
    """NMI/ARI of the top row and purity of rows 1 and -1 of (levels, n) labels."""
    base, top = labels[0], labels[-1]
    scores = cluster_scores(truth, top)
    parent = labels[1] if labels.shape[0] > 2 else top
    return {"nmi": scores["nmi"], "ari": scores["ari"],
            "parent_purity": purity(base, parent, truth), "top_purity": purity(base, top, truth),
            "n_parents": int(np.unique(parent[parent >= 0]).size), "n_top": scores["n_clusters"]}


def levels_from(base: np.ndarray, maps: list[np.ndarray]) -> np.ndarray:
    """(levels, n) labels from base ids (n,) and per-level parent maps (n_base,)."""
    rows = [base] + [np.where(base >= 0, m[np.maximum(base, 0)], -1) for m in maps]
    return np.vstack(rows).astype(np.int32)


def hierarchy_rows(dataset: str, out, settings, name_vectors: np.ndarray | None = None) -> list:
    """One row per linkage (and k-means, and name embeddings) on a ``ChorusOutput``."""
    from bench.baselines import kmeans_labels
    from chorus.core.vectors import centroids
    from tasks.cluster.hierarchy import LINKAGES, level_sizes, parent_maps, single_child_parents

    assert out.parents is not None, "hierarchy needs parent labels"
    base = out.cluster_labels[0]
    n_base = int(base.max()) + 1
    cents = centroids(out.embeddings, base, n_base)
    weights = np.bincount(base[base >= 0], minlength=n_base)
    sizes = level_sizes(n_base, settings.levels, settings.top_level_clusters)
    variants = [(f"chorus ({lk}{', centered' if center else ''})", cents, lk, center)
                for center in (False, True) for lk in LINKAGES]
    for lk in (f"size_average+{upper}" for upper in LINKAGES if upper != "size_average"):
        variants.append((f"chorus ({lk.replace('+', ', then ')}, centered)", cents, lk, True))
    if settings.linkage not in {v[2] for v in variants}:
        variants.append((f"chorus ({settings.linkage.replace('+', ', then ')}"
                         f"{', centered' if settings.center_centroids else ''})", cents,
                         settings.linkage, settings.center_centroids))
    if name_vectors is not None:
        variants.append(("chorus (size_average, centered, name embeddings)", name_vectors,
                         "size_average", True))
    rows = [{"dataset": dataset, "method": "chorus before (one ward tree, cut per level)",
             **hierarchy_scores(out.parents, levels_from(base, (maps := ward_cuts(cents, sizes)))),
             "single_child_parents": single_child_parents(maps), "configured": False}]
    for method, vectors, linkage, center in variants:
        maps = parent_maps(vectors, sizes, linkage, weights, center)
        row = {"dataset": dataset, "method": method,
               **hierarchy_scores(out.parents, levels_from(base, maps)),
               "single_child_parents": single_child_parents(maps),
               "configured": (linkage == settings.linkage and vectors is cents
                              and center == settings.center_centroids)}
        rows.append(row)
    rows.append(oracle_row(dataset, out, settings))
    k = len(set(out.parents.tolist()))
    pred = np.asarray(kmeans_labels(out.embeddings, k))
    scores = cluster_scores(out.parents, pred)
    rows.append({"dataset": dataset, "method": f"kmeans (k={k})", "nmi": scores["nmi"],
                 "ari": scores["ari"], "parent_purity": None,
                 "top_purity": purity(base, pred, out.parents), "n_parents": None,
                 "n_top": k, "single_child_parents": None, "configured": False})
    for row in rows:
        log.info("%s %s: NMI %.3f ARI %.3f parent purity %s top purity %.3f", dataset,
                 row["method"], row["nmi"], row["ari"],
                 "-" if row["parent_purity"] is None else f"{row['parent_purity']:.3f}",
                 row["top_purity"])
    return rows


def oracle_row(dataset: str, out, settings) -> dict:
    """The configured parent step over the *true* labels as base clusters (CLINC150's
    intents): what the linkage reaches on these embeddings with perfect base clusters, a
    bound for the rows above. ``nn_same_parent``: the share of true labels whose nearest
    other label centroid (cosine) has the same parent label."""
    from chorus.core.vectors import centroids
    from tasks.cluster.hierarchy import level_sizes, parent_maps, single_child_parents

    assert out.parents is not None
    names, base = np.unique(np.asarray(out.labels).astype(str), return_inverse=True)
    base = base.astype(np.int64)
    cents = centroids(out.embeddings, base, names.size)
    weights = np.bincount(base, minlength=names.size)
    sizes = level_sizes(names.size, settings.levels, settings.top_level_clusters)
    maps = parent_maps(cents, sizes, settings.linkage, weights, settings.center_centroids)
    parent_of: dict[int, str] = {}
    for label, parent in zip(base.tolist(), np.asarray(out.parents).astype(str).tolist(),
                             strict=True):
        parent_of.setdefault(label, parent)
    unit = cents / np.maximum(np.linalg.norm(cents, axis=1, keepdims=True), 1e-12)
    sim = unit @ unit.T
    np.fill_diagonal(sim, -np.inf)
    nearest = sim.argmax(axis=1)
    same = float(np.mean([parent_of[a] == parent_of[int(b)] for a, b in enumerate(nearest)]))
    return {"dataset": dataset,
            "method": f"oracle base clusters (true labels), {settings.linkage}",
            **hierarchy_scores(out.parents, levels_from(base, maps)),
            "single_child_parents": single_child_parents(maps), "configured": False,
            "nn_same_parent": same}


def ward_cuts(cents: np.ndarray, sizes: list[int]) -> list[np.ndarray]:
    """The parent levels before issue 12: one scipy Ward tree, cut at each level's size."""
    from scipy.cluster.hierarchy import fcluster, linkage

    tree = linkage(cents.astype(np.float64), method="ward")
    return [np.unique(fcluster(tree, t=size, criterion="maxclust") - 1,
                      return_inverse=True)[1].astype(np.int32) for size in sizes[1:]]


def name_embeddings(names: dict, cents: np.ndarray, embed) -> np.ndarray:
    """(n_base, d) unit embeddings of base-cluster names; the centroid where unnamed."""
    out = cents.astype(np.float32).copy()
    named = [c for c in range(cents.shape[0]) if names.get(c)]
    if named:
        out[named] = embed([str(names[c]) for c in named])
    return out


def main(argv: list[str] | None = None) -> None:
    """Print the hierarchy table of every linkage on CLINC150 (train: the selection split)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--split", choices=("train", "test"), default="train")
    parser.add_argument("--limit", type=int, default=4500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache", type=Path, default=None,
                        help="pickle the scrubbed, embedded and clustered run here and reuse "
                             "it (bench.naming_eval.cached_run; public data only)")
    parser.add_argument("--names", action="store_true",
                        help="also the name-embedding variant (runs summarize)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    for noisy in ("presidio-analyzer", "numba", "sentence_transformers"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    from bench.chorus_path import load_config, run_chorus
    from bench.loaders import load_clinc150
    from bench.throughput import Meter

    def records() -> list[dict]:
        return (load_clinc150_train(args.limit, args.seed) if args.split == "train"
                else load_clinc150(limit=args.limit, seed=args.seed))

    cfg = load_config()
    if args.cache is not None:
        from bench.naming_eval import cached_run

        out = cached_run(f"clinc150-hierarchy-{args.limit}-{args.seed}", args.split, records,
                         cfg, args.cache)
    else:
        out = run_chorus(f"clinc150-{args.split}", records(), Meter(), cfg)
    vectors = None
    if args.names:
        from bench.naming_eval import base_names, chorus_summaries
        from chorus.core.vectors import centroids
        from tasks.embedders import build_embedder

        base = out.cluster_labels[0]
        cents = centroids(out.embeddings, base, int(base.max()) + 1)
        vectors = name_embeddings(base_names(chorus_summaries(out, cfg)), cents,
                                  build_embedder(cfg.embed).embed)
    rows = hierarchy_rows(f"clinc150-{args.split}/domains", out, cfg.cluster, vectors)
    print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
