"""Hierarchical clustering: UMAP + HDBSCAN base clusters, Ward parents above them.

Base level (level 0): UMAP (cosine) reduces the (n, d) embeddings to a few dimensions,
HDBSCAN finds dense groups there. Label -1 is noise: it stays explicit, is counted and is
never merged silently. An optional, configured step moves a noise point to its nearest
base cluster when the cosine similarity to that cluster's centroid is at least
``noise_reassign_min_similarity``; the number moved is reported separately.

Parent levels (1 .. levels-1): one Ward linkage over the base clusters' centroids (in the
original embedding space), cut at geometrically shrinking cluster counts, as Clio sizes
its levels. Cuts of one linkage are nested by construction, so every cluster has exactly
one parent and the levels never contradict each other. HDBSCAN's condensed tree was the
alternative; it was not chosen because its shape is set by density (often one root with
lopsided splits), so the number of levels and their sizes cannot be asked for.

Defaults (tuned once on four labelled sets with ``make eval``, identical for every
input; see bench/results/latest.md): min_cluster_size = max(15, round(0.002 n)) - the
floor equals the privacy gate's default ``min_conversations`` (a smaller cluster could
never be published) and the share only takes over above 7,500 conversations; the old
1% rule merged distinct intents (BANKING77 n=3,080: 46 clusters for 77 intents).
``min_samples`` 5 (was 10) keeps small, tight groups out of noise. Noise reassignment
is on by default at cosine >= 0.5 to the nearest base centroid (as BERTopic's
``reduce_outliers``): HDBSCAN left 6-30% of real chat as noise, one unusable bucket,
while points far from every centroid (rare topics, one heavy user's topic) stay noise
and are gated by k; -1 would move all of them (0.01 better scores, no outliers kept).
Before -> after on ``make eval`` (noise counted as one cluster), ARI/NMI: BANKING77
0.424/0.785 -> 0.539/0.818; CLINC150 0.241/0.752 (old size rule, all noise moved) ->
0.688/0.900; ESConv 0.235/0.399 -> 0.297/0.420; DailyDialog 0.062/0.212 -> 0.049/0.220.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger

from chorus.core.errors import text_safe_errors
from chorus.core.rundata import RunData, required, run_data
from chorus.core.settings import ClusterSettings
from chorus.core.vectors import centroids

log = logging.getLogger(__name__)


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


# --- Prefect layer -----------------------------------------------------------------------


def cluster_stage(data: RunData, settings: ClusterSettings,
                  publishable: tuple[int, int] | None = None) -> dict[str, object]:
    """``data.embeddings`` (+ facets' user ids) -> ``data.labels`` (levels, n); counts."""
    facets = required(data.facets, "facets", data.run_id)
    result = cluster_embeddings(required(data.embeddings, "embeddings", data.run_id), settings,
                                facets["user_id"].to_numpy(), publishable)
    data.labels = result.labels
    per_level = [int(row.max()) + 1 if row.size and row.max() >= 0 else 0
                 for row in result.labels]
    return {"clusters_per_level": per_level, "noise": result.n_noise,
            "reassigned": result.n_reassigned, "min_cluster_size": result.min_cluster_size}


@task(name="cluster", cache_policy=NO_CACHE, persist_result=False)
@text_safe_errors("cluster")
def cluster_task(run_id: str, settings: ClusterSettings,
                 publishable: tuple[int, int] | None = None) -> dict[str, object]:
    """``cluster_stage`` on the run's data; returns counts per level."""
    counts = cluster_stage(run_data(run_id), settings, publishable)
    get_run_logger().info(
        "cluster: clusters per level %s, noise %d, reassigned %d, min_cluster_size %d",
        counts["clusters_per_level"], counts["noise"], counts["reassigned"],
        counts["min_cluster_size"])
    return counts
