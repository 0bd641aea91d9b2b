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
    noise_reassign_min_similarity: float | None = Field(
        0.5, ge=-1.0, le=1.0,
        description="When set, noise points whose cosine similarity to the nearest base "
                    "centroid is at least this join that cluster (reported separately); "
                    "-1 moves every noise point; 1.0 or None keeps all noise.",
    )
    seed: int | None = Field(42, description="Random seed (None: faster, not repeatable).")
