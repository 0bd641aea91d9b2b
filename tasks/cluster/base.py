"""Base clusters (level 0): UMAP (cosine) to a few dimensions, HDBSCAN there, noise rules.

Label -1 is noise: it stays explicit, is counted and is never merged silently. Noise is
moved to its nearest base centroid only by the configured reassignment (cosine >=
``noise_reassign_min_similarity``) or, when the noise group could never be published
(below k), by ``absorb_unpublishable_noise``; both are counted.
"""

from __future__ import annotations

import numpy as np

from chorus.core.settings import ClusterSettings
from chorus.core.vectors import centroids


def effective_min_cluster_size(n: int, settings: ClusterSettings) -> int:
    if settings.min_cluster_size:
        return settings.min_cluster_size
    return max(settings.min_cluster_floor, round(n * settings.min_cluster_share))


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


def reassign_noise(embeddings: np.ndarray, labels: np.ndarray,
                   min_similarity: float) -> tuple[np.ndarray, int]:
    """Move noise points to the nearest centroid when cosine >= min_similarity."""
    n_clusters = int(labels.max()) + 1 if labels.size else 0
    noise = np.flatnonzero(labels < 0)
    if n_clusters == 0 or noise.size == 0:
        return labels, 0
    sims = embeddings[noise] @ centroids(embeddings, labels, n_clusters).T
    best, best_sim = sims.argmax(axis=1), sims.max(axis=1)
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
