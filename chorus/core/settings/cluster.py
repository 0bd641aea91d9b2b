"""Settings of the cluster stage."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ClusterSettings(BaseModel):
    """UMAP, HDBSCAN and hierarchy parameters."""

    model_config = ConfigDict(extra="forbid")

    umap_components: int = Field(10, ge=2, le=100, description="UMAP output dimensions.")
    umap_neighbors: int = Field(15, ge=2, le=500, description="UMAP n_neighbors.")
    umap_min_dist: float = Field(0.0, ge=0.0, le=1.0, description="UMAP min_dist.")
    min_cluster_size: int = Field(
        0, ge=0,
        description="HDBSCAN min_cluster_size; 0 derives it from the data size as "
                    "max(min_cluster_floor, round(n * min_cluster_share)).",
    )
    min_cluster_share: float = Field(0.002, gt=0.0, le=0.5,
                                     description="See min_cluster_size.")
    min_cluster_floor: int = Field(
        15, ge=2, description="See min_cluster_size; 15 = privacy.min_conversations.")
    min_samples: int = Field(5, ge=1, description="HDBSCAN min_samples (density smoothing).")
    selection: str = Field("eom", pattern="^(eom|leaf)$",
                           description="HDBSCAN cluster_selection_method.")
    levels: int = Field(3, ge=1, le=6, description="Levels including the base level.")
    top_level_clusters: int = Field(
        0, ge=0, description="Clusters at the top level; 0: round(sqrt(n_base))."
    )
    linkage: str = Field(
        "size_average+size_ward",
        pattern=r"^(ward|size_ward|average|complete|size_average)"
                r"(\+(ward|size_ward|average|complete|size_average))?$",
        description="Agglomerative linkage of the parent levels over the base centroids "
                    "(tasks.cluster.hierarchy.LINKAGES); 'a+b': a for the parents of the "
                    "base clusters, b for every level above (chosen on CLINC150 train "
                    "with python -m bench.hierarchy_eval).",
    )
    center_centroids: bool = Field(
        True, description="Subtract the mean base centroid before the parent linkage.")
    noise_reassign_min_similarity: float | None = Field(
        0.5, ge=-1.0, le=1.0,
        description="When set, noise points whose cosine similarity to the nearest base "
                    "centroid is at least this join that cluster (reported separately); "
                    "-1 moves every noise point; 1.0 or None keeps all noise.",
    )
    seed: int | None = Field(42, description="Random seed (None: faster, not repeatable).")
    # Scale (tasks/cluster/fit.py, tasks/cluster/assign.py)
    fit_sample: int = Field(
        50_000, ge=0,
        description="Fit UMAP + HDBSCAN on a seeded random sample of at most this many "
                    "conversations and assign the rest by nearest neighbours in embedding "
                    "space (assign_method); 0 fits on all. Runs with n <= fit_sample are "
                    "fitted on all, exactly as without it.",
    )
    assign_method: str = Field(
        "centroid", pattern="^(centroid|knn)$",
        description="How conversations outside the fitted sample get a base cluster: "
                    "'centroid' = nearest fitted centroid, noise below "
                    "assign_min_similarity; 'knn' = majority of the assign_neighbors "
                    "nearest sample points, noise votes included (exact, O(n x sample)).",
    )
    assign_min_similarity: float = Field(
        0.5, ge=-1.0, le=1.0,
        description="Cosine below which a conversation outside the sample starts as noise "
                    "(then the noise rules apply): 'centroid' to the nearest fitted "
                    "centroid, 'knn' a neighbour that far votes noise; -1: never.",
    )
    assign_neighbors: int = Field(
        10, ge=1, le=200, description="assign_method 'knn': neighbours that vote.")
    assign_block_mb: int = Field(
        256, ge=8, le=8192,
        description="Memory of one block of similarities during assignment (MB).")
    # Runs over time (tasks/cluster/topics.py; PRIVACY.md, item 9)
    assign_to: str | None = Field(
        None, min_length=1,
        description="Run id of an earlier full (fitted, published) run: assign this run's "
                    "conversations to its base clusters (nearest centroid; noise below "
                    "assign_min_similarity) and parents instead of fitting, keeping its "
                    "topic keys (`chorus run --assign-to`). "
                    "Refused when that run is unknown, was not a full run, or used "
                    "another embedder.",
    )
    topic_min_similarity: float = Field(
        0.8, ge=-1.0, le=1.0,
        description="A fitted cluster keeps the topic_key of the previous full run's "
                    "cluster (same level, one-to-one, Hungarian on centroid cosine) when "
                    "their centroids' cosine similarity is at least this; else a new key.",
    )
    period: str | None = Field(
        None, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$",
        description="Label of the period this run covers (e.g. '2026-11'), shown in "
                    "cluster_trends. Periods must not overlap: a run is refused when "
                    "another published period run counted any of its conversations or "
                    "has the same label. None: the run is in no period and not in trends.",
    )
