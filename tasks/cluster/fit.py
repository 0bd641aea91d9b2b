"""``cluster_embeddings``: the base level and the parents above it, as one result.

Scale: with more than ``cluster.fit_sample`` points, UMAP + HDBSCAN are fitted on a
seeded random sample of that many (``sample_indices``) and every other point gets a base
cluster from ``assign_rest`` (``cluster.assign_method``: nearest fitted centroid, or a
kNN vote among the labelled sample; ``tasks.cluster.assign``); the noise rules then run
on all points as before. With n <= fit_sample (or fit_sample = 0) nothing is sampled
and the labels are those of a fit on all points. Quality and cost of the sample fit:
``python -m bench.cluster_sample_eval`` (bench/results/cluster_sample.md).

Defaults, from those numbers (BANKING77 fractions and generated 384-d vectors; no
labelled set is above 50,000, so ``make eval`` fits on all and is unchanged):
``assign_method = "centroid"``: it scores the same as a kNN vote against the full fit
(BANKING77, 25%/50% fits: ARI 0.615/0.725 vs 0.598/0.726) at O(n x clusters) instead of
O(n x sample) (50,000 rows to 150 centroids: 5.5 s under load). ``fit_sample = 50,000``:
the loss comes from too few sample points per cluster (a 308-point fit of 77 intents),
which a 50,000 sample does not have; its cost is one UMAP fit of 50,000 points whatever n.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import numpy as np

from chorus.core.errors import text_safe_errors
from chorus.core.settings import ClusterSettings
from tasks.cluster.assign import NOISE, assign_to_centroids, knn_vote
from tasks.cluster.base import (
    absorb_unpublishable_noise,
    base_labels,
    block_centroids,
    effective_min_cluster_size,
    reassign_noise,
    reduce,
)
from tasks.cluster.hierarchy import level_sizes, parent_maps

log = logging.getLogger("tasks.cluster")


@dataclass(frozen=True)
class ClusterResult:
    """Cluster labels of n conversations.

    Attributes:
        labels: int32 array (levels, n); row 0 the base level; -1 noise on every level.
        n_noise: points labelled -1 after any reassignment.
        n_reassigned: noise points moved to a cluster by the configured reassignment.
        min_cluster_size: the HDBSCAN size actually used (on the fitted points).
        n_fitted: points UMAP + HDBSCAN were fitted on (n unless sampled; 0: no fit).
        n_assigned: points outside the fitted sample that the assignment put in a base
            cluster (before the noise rules); the rest of them started as noise.
        seconds: wall seconds of the parts: ``fit`` (UMAP + HDBSCAN), ``assign``,
            ``noise`` (reassignment and absorption), ``parents``.
    """

    labels: np.ndarray
    n_noise: int
    n_reassigned: int
    min_cluster_size: int
    n_fitted: int = 0
    n_assigned: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def sample_indices(n: int, fit_sample: int, seed: int | None) -> np.ndarray | None:
    """Sorted indices of the seeded sample to fit on, or None to fit on all n points.

    None when ``fit_sample`` is 0 or n <= fit_sample. The same (n, fit_sample, seed)
    always gives the same sample; seed None draws a fresh one.
    """
    if not fit_sample or n <= fit_sample:
        return None
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n, size=fit_sample, replace=False))


def assign_rest(embeddings: np.ndarray, fit_idx: np.ndarray, fit_labels: np.ndarray,
                settings: ClusterSettings) -> np.ndarray:
    """Base labels (n,) int32 of all points: the fit's on ``fit_idx``, assigned elsewhere.

    'centroid': the nearest centroid of the fitted clusters (cosine, original
    embeddings), noise below ``assign_min_similarity``. 'knn': the majority label of the
    ``assign_neighbors`` nearest fitted points, noise votes included (a neighbour below
    ``assign_min_similarity`` votes noise). Both go block by
    block over all rows (``assign_block_mb``); the fitted rows then take their own labels.
    """
    n_clusters = int(fit_labels.max()) + 1 if fit_labels.size else 0
    if n_clusters == 0:
        return np.full(embeddings.shape[0], NOISE, dtype=np.int32)
    fitted = embeddings[fit_idx]
    if settings.assign_method == "knn":
        labels = knn_vote(embeddings, fitted, fit_labels, settings.assign_neighbors,
                          settings.assign_min_similarity, settings.assign_block_mb)
    else:
        labels = assign_to_centroids(embeddings, block_centroids(fitted, fit_labels,
                                                                 n_clusters),
                                     settings.assign_min_similarity, settings.assign_block_mb)
    labels[fit_idx] = fit_labels
    return labels


@text_safe_errors("cluster")
def cluster_embeddings(embeddings: np.ndarray, settings: ClusterSettings,
                       users: np.ndarray | None = None,
                       publishable: tuple[int, int] | None = None) -> ClusterResult:
    """Cluster (n, d) unit embeddings into ``settings.levels`` nested levels.

    Args:
        embeddings: (n, d) unit rows.
        settings: clustering settings.
        users: (n,) user ids, needed with ``publishable``.
        publishable: (min_users, min_conversations) of the release gate. When the noise
            left after the configured reassignment is below them, it could never be
            published on its own, and the gate would have to hide a whole top-level
            topic to keep it from being computed by subtraction; so such small noise
            joins its nearest base cluster instead, counted in ``n_reassigned``.
    """
    n = embeddings.shape[0]
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(part: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[part] = round(now - clock, 3)
        clock = now

    fit_idx = sample_indices(n, settings.fit_sample, settings.seed)
    if fit_idx is None:
        mcs = effective_min_cluster_size(n, settings)
        labels = base_labels(reduce(embeddings, settings), mcs, settings)
        n_fitted, n_assigned = n, 0
        lap("fit")
        seconds["assign"] = 0.0
    else:
        mcs = effective_min_cluster_size(n, settings, fit_idx.size)
        fit_labels = base_labels(reduce(embeddings[fit_idx], settings), mcs, settings)
        lap("fit")
        labels = assign_rest(embeddings, fit_idx, fit_labels, settings)
        n_fitted = int(fit_idx.size)
        n_assigned = int((labels >= 0).sum() - (fit_labels >= 0).sum())
        lap("assign")
    n_reassigned = 0
    if settings.noise_reassign_min_similarity is not None:
        labels, n_reassigned = reassign_noise(embeddings, labels,
                                              settings.noise_reassign_min_similarity,
                                              settings.assign_block_mb)
    if publishable is not None and users is not None:
        labels, moved = absorb_unpublishable_noise(embeddings, labels, users, *publishable)
        n_reassigned += moved
    lap("noise")
    n_base = int(labels.max()) + 1 if n and labels.max() >= 0 else 0
    sizes = level_sizes(n_base, settings.levels, settings.top_level_clusters)
    rows = [labels]
    weights = np.bincount(labels[labels >= 0], minlength=n_base)
    for pmap in parent_maps(block_centroids(embeddings, labels, n_base), sizes,
                            settings.linkage, weights, settings.center_centroids):
        rows.append(np.where(labels >= 0, pmap[np.maximum(labels, 0)], -1).astype(np.int32))
    n_noise = int((labels < 0).sum())
    lap("parents")
    log.info("clustered %d points (%d fitted, %d assigned): %s clusters per level, "
             "%d noise, %d reassigned", n, n_fitted, n_assigned, sizes, n_noise, n_reassigned)
    return ClusterResult(np.vstack(rows).astype(np.int32), n_noise, n_reassigned, mcs,
                         n_fitted, n_assigned, seconds)
