"""Vector helpers shared by stages (cluster, summarize)."""

from __future__ import annotations

import numpy as np


def centroids(embeddings: np.ndarray, labels: np.ndarray, n_clusters: int) -> np.ndarray:
    """Unit-length mean embedding per label 0..n_clusters-1: (n_clusters, d)."""
    sums = np.zeros((n_clusters, embeddings.shape[1]), dtype=np.float64)
    mask = labels >= 0
    np.add.at(sums, labels[mask], embeddings[mask])
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return (sums / np.where(norms == 0, 1, norms)).astype(np.float32)
