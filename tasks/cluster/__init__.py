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

from tasks.cluster.base import (
    absorb_unpublishable_noise,
    base_labels,
    effective_min_cluster_size,
    reassign_noise,
    reduce,
)
from tasks.cluster.fit import ClusterResult, cluster_embeddings
from tasks.cluster.hierarchy import level_sizes, parent_maps
from tasks.cluster.stage import cluster_stage, cluster_task

__all__ = [
    "ClusterResult", "absorb_unpublishable_noise", "base_labels", "cluster_embeddings",
    "cluster_stage", "cluster_task", "effective_min_cluster_size", "level_sizes",
    "parent_maps", "reassign_noise", "reduce",
]
