"""Hierarchical clustering: UMAP + HDBSCAN base clusters, agglomerative parents above.

Base level (level 0): UMAP (cosine) reduces the (n, d) embeddings to a few dimensions,
HDBSCAN finds dense groups there. Label -1 is noise: it stays explicit, is counted and is
never merged silently. An optional, configured step moves a noise point to its nearest
base cluster when the cosine similarity to that cluster's centroid is at least
``noise_reassign_min_similarity``; the number moved is reported separately. Above
``fit_sample`` points, UMAP + HDBSCAN are fitted on a seeded sample and the rest are
assigned by nearest neighbours in embedding space (``assign``, ``fit``); the noise
rules then run on all points.

Parent levels (1 .. levels-1, ``hierarchy``): built bottom-up, each level an
agglomerative linkage (``cluster.linkage``, default ``size_average+size_ward``: level 1
size-weighted average cosine, the levels above size-weighted Ward, on centred centroids)
over the level below, stopped at geometrically shrinking counts as
Clio sizes its levels; nested by construction, and no parent keeps a single child where
the level below has two or more nodes (a lone child joins its nearest group). The
linkages measured, and why HDBSCAN's condensed tree was not chosen: ``hierarchy``.

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

from tasks.cluster.assign import assign_to_centroids, knn_vote, nearest_centroids
from tasks.cluster.base import (
    absorb_unpublishable_noise,
    base_labels,
    block_centroids,
    effective_min_cluster_size,
    reassign_noise,
    reduce,
)
from tasks.cluster.fit import ClusterResult, assign_rest, cluster_embeddings, sample_indices
from tasks.cluster.hierarchy import level_sizes, parent_maps
from tasks.cluster.stage import cluster_stage, cluster_task

__all__ = [
    "ClusterResult", "absorb_unpublishable_noise", "assign_rest", "assign_to_centroids",
    "base_labels", "block_centroids", "cluster_embeddings", "knn_vote",
    "nearest_centroids", "sample_indices",
    "cluster_stage", "cluster_task", "effective_min_cluster_size", "level_sizes",
    "parent_maps", "reassign_noise", "reduce",
]
