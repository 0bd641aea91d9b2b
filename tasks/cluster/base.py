"""Base clusters (level 0): UMAP (cosine) to a few dimensions, HDBSCAN there, noise rules.

Label -1 is noise: it stays explicit, is counted and is never merged silently. Noise is
moved to its nearest base centroid only by the configured reassignment (cosine >=
``noise_reassign_min_similarity``) or, when the noise group could never be published
(below k), by ``absorb_unpublishable_noise``; both are counted. Centroids and
similarities are computed in row blocks (``BLOCK_ROWS``, ``block_mb``), so memory stays
bounded at a million points; an input of one block is computed exactly as in one piece.
"""

from __future__ import annotations

import numpy as np

from chorus.core.settings import ClusterSettings
from chorus.core.vectors import centroids
from tasks.cluster.assign import nearest_centroids

BLOCK_ROWS = 65_536  # rows per block when summing centroids (a 96 MB float32 block at d=384)


def effective_min_cluster_size(n: int, settings: ClusterSettings,
                               n_fit: int | None = None) -> int:
    """HDBSCAN min_cluster_size for ``n_fit`` fitted points of ``n`` (default: all).

    On all points: ``min_cluster_size`` when set, else max(min_cluster_floor,
    round(n * min_cluster_share)). On a sample the same size is scaled by n_fit / n
    (at least 2), so that a fitted cluster stands for as many conversations as in a fit
    on all: 1M points fitted on 50,000 use 2,000 x 0.05 = 100.
    """
    full = settings.min_cluster_size or max(settings.min_cluster_floor,
                                            round(n * settings.min_cluster_share))
    if n_fit is None or n_fit >= n:
        return full
    return max(2, round(full * n_fit / max(n, 1)))


def block_centroids(embeddings: np.ndarray, labels: np.ndarray, n_clusters: int,
                    rows: int = BLOCK_ROWS) -> np.ndarray:
    """``chorus.core.vectors.centroids`` summed ``rows`` rows at a time: (n_clusters, d).

    Same float64 sums in the same order, so the result equals ``centroids``; only the
    temporary copy of the labelled rows is bounded by a block instead of the input.
    """
    if embeddings.shape[0] <= rows:
        return centroids(embeddings, labels, n_clusters)
    sums = np.zeros((n_clusters, embeddings.shape[1]), dtype=np.float64)
    for start in range(0, embeddings.shape[0], rows):
        lab = labels[start:start + rows]
        mask = lab >= 0
        np.add.at(sums, lab[mask], embeddings[start:start + rows][mask])
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return (sums / np.where(norms == 0, 1, norms)).astype(np.float32)


def reduce(embeddings: np.ndarray, settings: ClusterSettings) -> np.ndarray:
    """UMAP (cosine) of (n, d) embeddings to (n, umap_components); tiny inputs pass through."""
    n = embeddings.shape[0]
    if n <= settings.umap_components + 2:
        return embeddings
    import umap

    reducer = umap.UMAP(
        n_components=settings.umap_components,
        n_neighbors=min(settings.umap_neighbors, n - 1),
        min_dist=settings.umap_min_dist, metric="cosine",
        random_state=settings.seed, low_memory=True,
        n_jobs=1 if settings.seed is not None else -1,
    )
    return reducer.fit_transform(embeddings).astype(np.float32)


def base_labels(reduced: np.ndarray, min_cluster_size: int,
                settings: ClusterSettings) -> np.ndarray:
    """HDBSCAN labels (n,) int32; -1 noise."""
    if reduced.shape[0] < min_cluster_size:
        return np.full(reduced.shape[0], -1, dtype=np.int32)
    import hdbscan

    model = hdbscan.HDBSCAN(
        min_cluster_size=min_cluster_size,
        min_samples=min(settings.min_samples, min_cluster_size),
        cluster_selection_method=settings.selection, core_dist_n_jobs=1,
    )
    return model.fit_predict(reduced).astype(np.int32)


def reassign_noise(embeddings: np.ndarray, labels: np.ndarray, min_similarity: float,
                   block_mb: int = 256) -> tuple[np.ndarray, int]:
    """Move noise points to the nearest centroid when cosine >= min_similarity.

    Centroids are the unit means of each cluster's current members; returns (labels,
    number moved). Noise rows are compared ``block_mb`` of similarities at a time.
    """
    n_clusters = int(labels.max()) + 1 if labels.size else 0
    noise = np.flatnonzero(labels < 0)
    if n_clusters == 0 or noise.size == 0:
        return labels, 0
    cents = block_centroids(embeddings, labels, n_clusters)
    step = max(1, (block_mb * 2**20) // (4 * embeddings.shape[1]))  # noise rows per copy
    best = np.empty(noise.size, dtype=np.int64)
    best_sim = np.empty(noise.size, dtype=np.float32)
    for start in range(0, noise.size, step):
        part = noise[start:start + step]
        b, sim = nearest_centroids(embeddings[part], cents, block_mb)
        best[start:start + step], best_sim[start:start + step] = b, sim
    move = best_sim >= min_similarity
    out = labels.copy()
    out[noise[move]] = best[move]
    return out, int(move.sum())


def absorb_unpublishable_noise(embeddings: np.ndarray, labels: np.ndarray, users: np.ndarray,
                               min_users: int, min_conversations: int) -> tuple[np.ndarray, int]:
    """Move all noise to its nearest base centroid when the noise group is below k.

    Returns (labels, number moved); unchanged when the noise could be published itself.
    """
    noise = labels < 0
    if not noise.any() or labels.max() < 0:
        return labels, 0
    if noise.sum() >= min_conversations and len(np.unique(users[noise])) >= min_users:
        return labels, 0
    return reassign_noise(embeddings, labels, -1.0)
