"""The cluster stage over a run's data, and its thin Prefect task."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger

from chorus.core.errors import text_safe_errors
from chorus.core.rundata import RunData, required, run_data
from chorus.core.settings import ClusterSettings
from tasks.cluster.fit import cluster_embeddings


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
