"""Parent levels above the base clusters: nested cuts of one linkage over their centroids.

For each level >= 1, ``parent_maps`` gives the parent (0-based) of every base cluster;
cuts of one linkage are nested by construction, so every cluster has one parent and the
levels never contradict each other. ``level_sizes`` picks geometrically shrinking cluster
counts per level, as Clio sizes its levels.
"""

from __future__ import annotations

import numpy as np


def level_sizes(n_base: int, levels: int, top: int) -> list[int]:
    """Cluster counts per level, geometric from n_base down to the top count."""
    if n_base <= 1 or levels == 1:
        return [n_base] * levels
    top = top or max(1, round(n_base ** 0.5))
    top = min(top, n_base)
    ratio = (top / n_base) ** (1.0 / (levels - 1))
    sizes = [n_base] + [max(top, round(n_base * ratio**lvl)) for lvl in range(1, levels)]
    for i in range(1, levels):  # strictly shrinking where possible, never growing
        sizes[i] = min(sizes[i], max(top, sizes[i - 1] - 1))
    return sizes


def parent_maps(cents: np.ndarray, sizes: list[int]) -> list[np.ndarray]:
    """For each level >= 1, the parent label (0-based) of every base cluster."""
    n_base = cents.shape[0]
    if n_base <= 1:
        return [np.zeros(n_base, dtype=np.int32) for _ in sizes[1:]]
    from scipy.cluster.hierarchy import fcluster, linkage

    tree = linkage(cents.astype(np.float64), method="ward")
    maps = []
    for size in sizes[1:]:
        cut = fcluster(tree, t=size, criterion="maxclust") - 1
        _, dense = np.unique(cut, return_inverse=True)
        maps.append(dense.astype(np.int32))
    return maps
