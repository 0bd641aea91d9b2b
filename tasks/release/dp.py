"""Optional differential privacy for published cluster counts (python-dp via pipeline-dp).

k-anonymity stops differencing within one run; it does not stop an analyst who compares
two runs whose inputs differ by one user. With ``privacy.dp.enabled`` the gate takes its
cluster set and counts from here instead. The privacy unit is the user.

**Distinct users: selection and count in one mechanism** (per level). Each user counts in
at most ``max_clusters_per_user`` clusters of a level (a uniform sample of theirs). A
cluster's bounded distinct-user count ``n`` goes through Laplace thresholding as in
Google's DP library: clusters with ``n < pre_threshold`` are dropped, the others get
``n - (pre_threshold - 1) + Laplace(max_clusters_per_user / eps_level)`` and are kept
when that value clears the threshold python-dp computes for (eps_level, delta_level),
so a cluster of one user survives with probability at most delta_level. The published
``n_users`` is the kept noisy value plus ``pre_threshold - 1`` (post-processing). The
shift is exactly what python-dp's pre-thresholding wrapper does for ``should_keep``;
it is applied by hand because pipeline-dp 0.3.1 cannot combine a pre-threshold with a
noisy-count threshold. ``pre_threshold = max(min_users, min_conversations)`` distinct
users, so every selected cluster has at least k users and k conversations in truth.
One noisy count doing both jobs halves the budget a separate selection would take.

**Conversations** (only when ``conversation_budget > 0``; else ``n_conversations`` is
not published under DP): one histogram over base clusters, each user counted for at
most ``max_conversations_per_user`` conversations (a uniform sample), Laplace noise of
scale C / eps_conv per base cluster; a parent's count is the sum of its base clusters'
noisy counts (post-processing, so every level is covered by one mechanism).

**Budget.** ``epsilon * conversation_budget`` goes to conversations, the rest to the
user counts; those are split across levels in proportion to weight 1 per parent level
and ``base_level_weight`` for the base level, and so is ``delta``. Basic composition: the
run spends exactly (epsilon, delta), recorded in ``runs``.

**Library.** Noise and thresholds come from python-dp (Google's audited C++ primitives)
through pipeline-dp's mechanism classes; no noise is drawn here. Why these choices, with
measurements: PRIVACY.md (guarantee 6).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Sequence

import numpy as np

from chorus.core.settings import DPSettings

log = logging.getLogger(__name__)


def _budgets(settings: DPSettings, n_levels: int) -> list[tuple[float, float]]:
    """(epsilon, delta) of the user-count mechanism of each level (0 = not released)."""
    weights = np.array([settings.base_level_weight] + [1.0] * (n_levels - 1))[:n_levels]
    eps_users = settings.epsilon * (1.0 - settings.conversation_budget)
    share = weights / weights.sum()
    return [(eps_users * s, settings.delta * s) for s in share]


def _sample_per_owner(owners: np.ndarray, limit: int, rng: np.random.Generator) -> np.ndarray:
    """Positions of at most ``limit`` uniformly random items of each owner (n,)."""
    order = np.lexsort((rng.random(owners.size), owners))
    sorted_owners = owners[order]
    first = np.r_[0, np.flatnonzero(sorted_owners[1:] != sorted_owners[:-1]) + 1]
    rank = np.arange(owners.size) - np.repeat(first, np.diff(np.r_[first, owners.size]))
    return order[rank < limit]


def _bounded_pairs(users: np.ndarray, keys: np.ndarray, limit: int,
                   rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (user, key) pairs, at most ``limit`` random keys per user."""
    pairs = np.unique(np.stack([users, keys]), axis=1)
    keep = _sample_per_owner(pairs[0], limit, rng)
    return pairs[0, keep], pairs[1, keep]


def _user_counts(keys: np.ndarray, users: np.ndarray, limit: int, eps: float, delta: float,
                 pre_threshold: int, rng: np.random.Generator) -> dict[int, int]:
    """Laplace thresholding with a pre-threshold on one level: {key: noisy users}."""
    from pipeline_dp import aggregate_params, dp_computations

    mechanism = dp_computations.ThresholdingMechanism(
        eps, delta, aggregate_params.PartitionSelectionStrategy.LAPLACE_THRESHOLDING,
        limit, None)
    _, kept_keys = _bounded_pairs(users, keys, limit, rng)
    found, counts = np.unique(kept_keys, return_counts=True)
    out = {}
    for key, n in zip(found.tolist(), counts.tolist(), strict=True):
        if n < pre_threshold:
            continue
        noisy = mechanism.noised_value_if_should_keep(n - pre_threshold + 1)
        if noisy is not None:
            out[int(key)] = max(pre_threshold, round(noisy + pre_threshold - 1))
    return out


def _conversation_counts(labels: np.ndarray, users: np.ndarray, settings: DPSettings,
                         rng: np.random.Generator) -> list[dict[int, float]]:
    """Noisy conversation counts of every cluster of every level (base histogram, parents
    as sums of their base clusters)."""
    from pipeline_dp import dp_computations

    base = labels[0]
    idx = np.flatnonzero(base >= 0)
    kept = idx[_sample_per_owner(users[idx], settings.max_conversations_per_user, rng)]
    n_base = int(base.max()) + 1 if idx.size else 0
    true = np.bincount(base[kept], minlength=n_base).astype(float)
    laplace = dp_computations.LaplaceMechanism.create_from_epsilon(
        settings.epsilon * settings.conversation_budget, settings.max_conversations_per_user)
    noisy = np.array([laplace.add_noise(v) for v in true])
    out = [dict(enumerate(noisy.tolist()))]
    for row in labels[1:]:
        parent_of = {int(b): int(p) for b, p in zip(base[idx], row[idx], strict=True)}
        sums: dict[int, float] = {}
        for b, p in parent_of.items():
            sums[p] = sums.get(p, 0.0) + noisy[b]
        out.append(sums)
    return out


def dp_cluster_counts(labels: np.ndarray, users: np.ndarray | Sequence[str],
                      pre_threshold: int, settings: DPSettings,
                      seed: int | None = None) -> dict[tuple[int, int], tuple[int | None, int]]:
    """DP-selected clusters of every level with noisy counts.

    Args:
        labels: int array (levels, n), -1 noise (never a partition), row 0 the base
            level; parents nest (every member of a base cluster has the same parent).
        users: (n,) user ids.
        pre_threshold: distinct users a cluster needs before noise (k).
        settings: budget and contribution bounds.
        seed: seeds the contribution-bounding sample only (tests); None draws fresh
            entropy. Noise always comes from python-dp's own secure generator.

    Returns:
        {(level, cluster_key): (noisy n_conversations or None, noisy n_users)} for the
        selected clusters only. n_conversations is None when
        ``settings.conversation_budget`` is 0.
    """
    try:
        importlib.import_module("pipeline_dp")  # a check only: fail early, clearly
    except ImportError:  # pragma: no cover - declared dependency
        from chorus.core.errors import ChorusError

        raise ChorusError("privacy.dp needs pipeline-dp: pip install pipeline-dp") from None

    rng = np.random.default_rng(seed)
    users = np.asarray(users)
    _, user_codes = np.unique(users, return_inverse=True)
    conversations = (_conversation_counts(labels, user_codes, settings, rng)
                     if settings.conversation_budget > 0 else None)
    out: dict[tuple[int, int], tuple[int | None, int]] = {}
    for level, (row, (eps, delta)) in enumerate(
            zip(labels, _budgets(settings, labels.shape[0]), strict=True)):
        if eps <= 0:
            continue
        keep = row >= 0
        selected = _user_counts(row[keep], user_codes[keep], settings.max_clusters_per_user,
                                eps, delta, pre_threshold, rng)
        for key, n_users in selected.items():
            n_conv = (None if conversations is None
                      else max(0, round(conversations[level].get(key, 0.0))))
            out[(level, key)] = (n_conv, n_users)
    log.info("dp: %d clusters selected over %d levels (epsilon %.3g, delta %.1g)",
             len(out), labels.shape[0], settings.epsilon, settings.delta)
    return out
