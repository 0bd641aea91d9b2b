"""Optional differential privacy for published cluster counts (pipeline-dp).

k-anonymity stops differencing within one run; it does not stop an analyst who compares
two runs whose inputs differ by one user. With ``privacy.dp.enabled`` the gate takes its
cluster set and counts from here instead:

* contributions are bounded per user: at most ``max_clusters_per_user`` clusters per
  level and ``max_conversations_per_cluster`` conversations in each;
* partition selection on distinct users, as in Google's DP library: a cluster needs at
  least ``min_users`` distinct users before noise (pre-threshold), then passes a noisy
  threshold (truncated geometric);
* published ``n_conversations`` (COUNT) and ``n_users`` (PRIVACY_ID_COUNT) are noisy
  (Laplace), rounded and clipped at 0.

The budget (epsilon, delta) is split evenly across the levels by pipeline-dp's naive
accountant; within a level, between selection and the two counts. pipeline-dp was chosen
over OpenDP and python-dp alone because it does exactly this aggregation (contribution
bounding + private partition selection with a pre-threshold + noisy counts) in one call,
on top of python-dp's audited noise and selection primitives (Google's C++ library).
"""

from __future__ import annotations

import logging

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

log = logging.getLogger(__name__)


class DPSettings(BaseModel):
    """Differential privacy of published cluster counts (off by default)."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(False, description="Publish DP counts and DP-selected clusters.")
    epsilon: float = Field(1.0, gt=0.0, le=20.0, description="Total epsilon per run.")
    delta: float = Field(1e-6, gt=0.0, lt=0.01, description="Total delta per run.")
    max_clusters_per_user: int = Field(
        2, ge=1, le=100, description="Clusters per level one user may count in.")
    max_conversations_per_cluster: int = Field(
        2, ge=1, le=1000, description="Conversations of one user counted per cluster.")


def dp_cluster_counts(labels: np.ndarray, users: np.ndarray, min_users: int,
                      settings: DPSettings) -> dict[tuple[int, int], tuple[int, int]]:
    """DP-selected clusters of every level with noisy counts.

    Args:
        labels: int array (levels, n), -1 noise (never a partition).
        users: (n,) user ids.
        min_users: the pre-threshold (k) of partition selection.
        settings: budget and contribution bounds.

    Returns:
        {(level, cluster_key): (noisy n_conversations, noisy n_users)} for the selected
        clusters only.
    """
    try:
        import pipeline_dp
    except ImportError:  # pragma: no cover - declared dependency
        from chorus.errors import ChorusError

        raise ChorusError("privacy.dp needs pipeline-dp: pip install pipeline-dp") from None

    accountant = pipeline_dp.NaiveBudgetAccountant(total_epsilon=settings.epsilon,
                                                  total_delta=settings.delta)
    engine = pipeline_dp.DPEngine(accountant, pipeline_dp.LocalBackend())
    params = pipeline_dp.AggregateParams(
        metrics=[pipeline_dp.Metrics.COUNT, pipeline_dp.Metrics.PRIVACY_ID_COUNT],
        noise_kind=pipeline_dp.NoiseKind.LAPLACE,
        max_partitions_contributed=settings.max_clusters_per_user,
        max_contributions_per_partition=settings.max_conversations_per_cluster,
        pre_threshold=min_users,
    )
    extractors = pipeline_dp.DataExtractors(
        privacy_id_extractor=lambda row: row[0], partition_extractor=lambda row: row[1],
        value_extractor=lambda row: 0)
    pending = []
    for level, row in enumerate(labels):
        keep = row >= 0
        data = list(zip(users[keep].tolist(), row[keep].tolist(), strict=True))
        pending.append((level, engine.aggregate(data, params, extractors)))
    accountant.compute_budgets()
    out: dict[tuple[int, int], tuple[int, int]] = {}
    for level, result in pending:
        for key, metrics in result:
            out[(level, int(key))] = (max(0, round(metrics.count)),
                                      max(0, round(metrics.privacy_id_count)))
    log.info("dp: %d clusters selected over %d levels (epsilon %.3g, delta %.1g)",
             len(out), labels.shape[0], settings.epsilon, settings.delta)
    return out
