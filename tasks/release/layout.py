"""The map layout of a release: a 2-D position (``x``, ``y``) for every published cluster.

Contract:

* Input: the gate's ``Release`` (its ``clusters`` rows and, in memory only, ``members``:
  published cluster id -> member row indices) and the run's embeddings (n, d), rows
  aligned with the members' indices.
* Each published cluster (``kind = 'cluster'``, any level) gets the centroid of its
  members' embeddings (the mean, renormalised to unit length). PCA to two components is
  fit on those centroids only: nothing of a suppressed cluster, a noise point or a single
  conversation enters the fit, and each position is a linear function of one published,
  k-anonymous group's mean. The basis is not published.
* Deterministic: an exact SVD (no random solver); each axis's sign is fixed so that the
  cluster farthest along it sits on its positive side; coordinates are scaled by one
  factor so the largest absolute value is 1 (the aspect ratio is kept). Same release and
  embeddings, same layout.
* 'other' rows get NULL (they are not one topic and have no place on the map). Under DP
  every row gets NULL: a centroid is an exact mean of the members, not DP-noised, so
  publishing it beside DP counts would let two runs that differ by one user be told
  apart by the moved points, which is what DP is there to prevent (PRIVACY.md).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from chorus.core.release import Release

LAYOUT_METHOD = "pca-2d of published cluster centroids"


def centroids(members: dict[int, np.ndarray], embeddings: np.ndarray,
              ids: list[int]) -> np.ndarray:
    """Unit-length mean embedding of each cluster in ``ids`` (rows in that order)."""
    out = np.zeros((len(ids), embeddings.shape[1]), dtype=np.float64)
    for row, cid in enumerate(ids):
        mean = embeddings[members[cid]].astype(np.float64).mean(axis=0)
        norm = float(np.linalg.norm(mean))
        out[row] = mean / norm if norm > 0 else mean
    return out


def pca_2d(points: np.ndarray) -> np.ndarray:
    """(m, d) -> (m, 2): the first two principal components, signs fixed, scaled to
    [-1, 1] by one common factor. Fewer than two points or no spread give zeros in the
    missing axes."""
    m = points.shape[0]
    xy = np.zeros((m, 2), dtype=np.float64)
    if m < 2:
        return xy
    centred = points - points.mean(axis=0)
    u, s, _ = np.linalg.svd(centred, full_matrices=False)
    n_axes = min(2, int((s > 1e-12 * max(float(s[0]), 1e-300)).sum()))
    for axis in range(n_axes):
        col = u[:, axis] * s[axis]
        if col[int(np.argmax(np.abs(col)))] < 0:
            col = -col
        xy[:, axis] = col
    scale = float(np.abs(xy).max())
    return xy / scale if scale > 0 else xy


def with_layout(release: Release, embeddings: np.ndarray | None,
                dp_enabled: bool) -> pl.DataFrame:
    """``release.clusters`` with ``x`` and ``y`` filled for its published clusters
    (NULL for 'other' rows, under DP, and without embeddings)."""
    clusters = release.clusters
    ids = [int(c) for c, kind in zip(clusters["cluster_id"], clusters["kind"], strict=True)
           if kind == "cluster" and int(c) in release.members]
    x = [None] * clusters.height
    y = [None] * clusters.height
    if ids and embeddings is not None and not dp_enabled:
        xy = pca_2d(centroids(release.members, embeddings, ids))
        where = {cid: i for i, cid in enumerate(clusters["cluster_id"].to_list())}
        for (cx, cy), cid in zip(xy.tolist(), ids, strict=True):
            x[where[cid]], y[where[cid]] = round(cx, 6), round(cy, 6)
    return clusters.with_columns(pl.Series("x", x, dtype=pl.Float64),
                                 pl.Series("y", y, dtype=pl.Float64))
