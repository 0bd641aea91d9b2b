"""Assign conversations to fitted base clusters by nearest neighbours in embedding space.

All similarities are cosine on unit rows (a dot product), computed in row blocks so that
memory is bounded by ``block_mb`` (one float32 block of ``rows x references``), never by
the number of points: 1M x 384 float32 embeddings (1.5 GB) are assigned with a few
hundred MB on top. Every function is deterministic: the same inputs give the same labels
(ties go to the lowest cluster id).

Two rules, measured against a full fit in ``bench/cluster_sample_eval.py``:

* ``assign_to_centroids``: the nearest centroid, or noise (-1) below a minimum
  similarity. O(n x clusters x d); the rule used for ``chorus run --assign-to`` too.
* ``knn_vote``: the majority label (noise counting as a label) of the k nearest labelled
  reference points, a neighbour below a minimum similarity voting noise, ties to the
  nearest point's label. O(n x references x d): exact, but costly when the reference
  sample is large.
"""

from __future__ import annotations

import numpy as np

NOISE = -1


def block_rows(n_refs: int, block_mb: int) -> int:
    """Rows per block so that one (rows, n_refs) float32 block stays within ``block_mb``."""
    return max(1, (block_mb * 2**20) // (4 * max(1, n_refs)))


def nearest_centroids(embeddings: np.ndarray, cents: np.ndarray,
                      block_mb: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """Nearest centroid of every row, block by block.

    Args:
        embeddings: (n, d) unit rows.
        cents: (c, d) unit centroids, c >= 1.
        block_mb: memory of one similarity block.

    Returns:
        (best, sim): (n,) int32 index of the nearest centroid and (n,) float32 cosine.
    """
    n = embeddings.shape[0]
    best = np.empty(n, dtype=np.int32)
    sim = np.empty(n, dtype=np.float32)
    step = block_rows(cents.shape[0], block_mb)
    for start in range(0, n, step):
        sims = embeddings[start:start + step] @ cents.T
        best[start:start + step] = sims.argmax(axis=1)
        sim[start:start + step] = sims.max(axis=1)
    return best, sim


def assign_to_centroids(embeddings: np.ndarray, centroids: np.ndarray,
                        min_similarity: float | None = None,
                        block_mb: int = 256) -> np.ndarray:
    """Label every row with its nearest centroid; noise below ``min_similarity``.

    The contract ``chorus run --assign-to RUN_ID`` relies on: given an earlier run's base
    centroids (row i = base cluster i, unit length, in the same embedding space), each
    embedding gets the index of the centroid with the highest cosine similarity, or -1
    when that similarity is below ``min_similarity`` (None: never noise). No refit, no
    randomness: the labels depend only on the two arrays and the threshold.

    Args:
        embeddings: (n, d) unit rows (float32).
        centroids: (c, d) unit rows; c = 0 makes everything noise.
        min_similarity: cosine in [-1, 1] below which a row is noise, or None.
        block_mb: memory of one (rows, c) similarity block.

    Returns:
        (n,) int32 labels in -1 .. c-1.
    """
    if centroids.ndim != 2 or (centroids.size and centroids.shape[1] != embeddings.shape[1]):
        raise ValueError(f"centroids of shape {centroids.shape} do not match embeddings "
                         f"of shape {embeddings.shape}")
    if centroids.shape[0] == 0 or embeddings.shape[0] == 0:
        return np.full(embeddings.shape[0], NOISE, dtype=np.int32)
    best, sim = nearest_centroids(embeddings, centroids.astype(embeddings.dtype), block_mb)
    if min_similarity is not None:
        best[sim < min_similarity] = NOISE
    return best


def knn_vote(embeddings: np.ndarray, refs: np.ndarray, ref_labels: np.ndarray, k: int,
             min_similarity: float | None = None, block_mb: int = 256) -> np.ndarray:
    """Majority label among each row's k nearest reference rows (cosine), block by block.

    Noise (-1) is a label like any other: a row whose neighbours are mostly noise is
    noise. A neighbour whose cosine is below ``min_similarity`` votes noise whatever its
    label (too far to say anything), so an outlier far from every labelled point is
    noise. A tie goes to the nearest reference's label when that label is among the
    tied ones, else to the lowest tied label.

    Args:
        embeddings: (n, d) unit rows to label.
        refs: (m, d) unit reference rows (the fitted sample), m >= 1.
        ref_labels: (m,) int labels of ``refs``, -1 noise.
        k: neighbours that vote (capped at m).
        min_similarity: cosine below which a neighbour votes noise; None: never.
        block_mb: memory of one (rows, m) similarity block.

    Returns:
        (n,) int32 labels.
    """
    m = refs.shape[0]
    k = min(k, m)
    shifted = ref_labels.astype(np.int64) + 1  # 0 = noise
    n_labels = int(shifted.max()) + 1
    out = np.empty(embeddings.shape[0], dtype=np.int32)
    step = block_rows(m, block_mb)
    for start in range(0, embeddings.shape[0], step):
        sims = embeddings[start:start + step] @ refs.T
        if k < m:
            top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        else:
            top = np.broadcast_to(np.arange(m), sims.shape)
        top_sims = np.take_along_axis(sims, top, axis=1)
        votes = shifted[top]
        if min_similarity is not None:
            votes = np.where(top_sims >= min_similarity, votes, 0)
        nearest = votes[np.arange(votes.shape[0]), top_sims.argmax(axis=1)]
        rows = np.repeat(np.arange(votes.shape[0]), votes.shape[1])
        counts = np.zeros((votes.shape[0], n_labels), dtype=np.float64)
        np.add.at(counts, (rows, votes.ravel()), 1.0)
        counts[np.arange(votes.shape[0]), nearest] += 0.5  # ties to the nearest's label
        out[start:start + step] = counts.argmax(axis=1) - 1
    return out
