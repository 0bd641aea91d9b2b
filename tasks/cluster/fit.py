"""``cluster_embeddings``: the base level and the parents above it, as one result."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from chorus.core.errors import text_safe_errors
from chorus.core.settings import ClusterSettings
from chorus.core.vectors import centroids
from tasks.cluster.base import (
    absorb_unpublishable_noise,
    base_labels,
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
        min_cluster_size: the HDBSCAN size actually used.
    """

    labels: np.ndarray
    n_noise: int
    n_reassigned: int
    min_cluster_size: int


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
    mcs = effective_min_cluster_size(n, settings)
    labels = base_labels(reduce(embeddings, settings), mcs, settings)
    n_reassigned = 0
    if settings.noise_reassign_min_similarity is not None:
        labels, n_reassigned = reassign_noise(embeddings, labels,
                                              settings.noise_reassign_min_similarity)
    if publishable is not None and users is not None:
        labels, moved = absorb_unpublishable_noise(embeddings, labels, users, *publishable)
        n_reassigned += moved
    n_base = int(labels.max()) + 1 if n and labels.max() >= 0 else 0
    sizes = level_sizes(n_base, settings.levels, settings.top_level_clusters)
    rows = [labels]
    for pmap in parent_maps(centroids(embeddings, labels, n_base), sizes):
        rows.append(np.where(labels >= 0, pmap[np.maximum(labels, 0)], -1).astype(np.int32))
    n_noise = int((labels < 0).sum())
    log.info("clustered %d points: %s clusters per level, %d noise, %d reassigned",
             n, sizes, n_noise, n_reassigned)
    return ClusterResult(np.vstack(rows).astype(np.int32), n_noise, n_reassigned, mcs)
