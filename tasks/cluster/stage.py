"""The cluster stage over a run's data, and its thin Prefect task.

Two modes. *Fit* (default): UMAP + HDBSCAN + parents (``cluster_embeddings``), then
topic keys matched to the previous full run's clusters. *Assign* (``cluster.assign_to``):
no fit; conversations join the clusters of an earlier full run and keep its topic keys
(``tasks.cluster.topics``). With a private store (``private_path``) the run's cluster
table (centroids, topic keys, parents) and, with ``cluster.period``, its conversation
keys are written there, unpublished until the store stage marks them published. Without
a private store (the evaluation harness), only the fit runs and no topic state is kept.
"""

from __future__ import annotations

from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger

from chorus.core.errors import ChorusError, text_safe_errors
from chorus.core.private_store import PrivateStore
from chorus.core.rundata import RunData, required, run_data
from chorus.core.settings import ClusterSettings, EmbedSettings
from tasks.cluster.fit import ClusterResult, cluster_embeddings
from tasks.cluster.topics import (
    assign_labels,
    check_period,
    cluster_table,
    conversation_keys,
    model_id,
    source_clusters,
    with_topic_keys,
)


def cluster_stage(data: RunData, settings: ClusterSettings,
                  publishable: tuple[int, int] | None = None,
                  embed: EmbedSettings | None = None,
                  private_path: str | None = None) -> dict[str, Any]:
    """``data.embeddings`` (+ facets' ids) -> ``data.labels`` (levels, n); counts.

    Args:
        publishable: (min_users, min_conversations): noise below it joins a cluster.
        embed: the embed settings (their model id keys the topic state).
        private_path: the private store; None keeps no topic state (and refuses
            ``assign_to`` and ``period``, which need it).

    Raises:
        ChorusError: assign_to or period without a private store; an unusable assign_to
            source or an overlapping period (``tasks.cluster.topics``).
    """
    facets = required(data.facets, "facets", data.run_id)
    embeddings = required(data.embeddings, "embeddings", data.run_id)
    users = facets["user_id"].to_numpy()
    keep_topics = private_path is not None and embed is not None
    if not keep_topics and (settings.assign_to or settings.period):
        raise ChorusError("cluster.assign_to and cluster.period need the private store "
                          "and the embed settings")
    counts: dict[str, Any] = {}
    if not keep_topics:
        result = cluster_embeddings(embeddings, settings, users, publishable)
    else:
        assert private_path is not None and embed is not None
        embedder_id = model_id(embed)
        ids = facets["conversation_id"].to_list()
        period_keys = conversation_keys(ids) if settings.period else None
        with PrivateStore(private_path) as store:  # read only what is needed; fit after
            topics = store.topics()
            if settings.period:
                check_period(topics, data.run_id, settings.period, period_keys)
            source = (source_clusters(topics, settings.assign_to, embedder_id)
                      if settings.assign_to else None)
            previous_id = settings.assign_to or topics.latest_fit(embedder_id, data.run_id)
            previous = source if source is not None else (
                topics.centroids(previous_id) if previous_id else None)
        if source is not None:
            labels, absorbed = assign_labels(embeddings, source,
                                             settings.assign_min_similarity, users,
                                             publishable)
            n_noise = int((labels[0] < 0).sum())
            result = ClusterResult(labels, n_noise, absorbed, 0, n_fitted=0,  # no fit
                                   n_assigned=labels.shape[1] - n_noise - absorbed)
            # the source's own keys: exact matches (same level and cluster key)
            table = cluster_table(embeddings, labels).join(
                source.select("level", "cluster_key", "topic_key"),
                on=["level", "cluster_key"], how="left")
            kept = table.height
        else:
            result = cluster_embeddings(embeddings, settings, users, publishable)
            table, kept = with_topic_keys(cluster_table(embeddings, result.labels), previous,
                                          settings.topic_min_similarity, result.labels, ids)
        with PrivateStore(private_path) as store:
            store.topics().put_run(
                {"run_id": data.run_id, "mode": "assign" if settings.assign_to else "fit",
                 "model_id": embedder_id, "source_run_id": settings.assign_to,
                 "period": settings.period}, table, period_keys)
        counts = {"mode": "assign" if settings.assign_to else "fit",
                  "previous_run": previous_id, "topics": table.height,
                  "topics_kept": kept}
    data.labels = result.labels
    per_level = [int(row.max()) + 1 if row.size and row.max() >= 0 else 0
                 for row in result.labels]
    return {"clusters_per_level": per_level, "noise": result.n_noise,
            "reassigned": result.n_reassigned, "min_cluster_size": result.min_cluster_size,
            "fitted": result.n_fitted, "assigned": result.n_assigned,
            **counts}


@task(name="cluster", cache_policy=NO_CACHE, persist_result=False)
@text_safe_errors("cluster")
def cluster_task(run_id: str, settings: ClusterSettings,
                 publishable: tuple[int, int] | None = None,
                 embed: EmbedSettings | None = None,
                 private_path: str | None = None) -> dict[str, Any]:
    """``cluster_stage`` on the run's data; returns counts per level."""
    counts = cluster_stage(run_data(run_id), settings, publishable, embed, private_path)
    logger = get_run_logger()
    logger.info(
        "cluster: clusters per level %s, noise %d, reassigned %d, min_cluster_size %d",
        counts["clusters_per_level"], counts["noise"], counts["reassigned"],
        counts["min_cluster_size"])
    if "mode" in counts:
        logger.info("cluster: %s mode, %d clusters kept a topic key of run %s, %d in all",
                    counts["mode"], counts["topics_kept"], counts["previous_run"],
                    counts["topics"])
    return counts
