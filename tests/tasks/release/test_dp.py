"""Differential privacy: selection by distinct users, noisy counts, and the cross-run
differencing attack that k-anonymity alone cannot stop."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from chorus.core.schemas import SUMMARY_SCHEMA
from chorus.core.settings import DPSettings, PrivacySettings
from tasks.release import build_release
from tasks.release.dp import _bounded_pairs, _budgets, dp_cluster_counts

pytestmark = pytest.mark.privacy

EPS = 1.0


def dataset(n_users: int, extra_user: bool):
    users = [f"u{i}" for i in range(n_users)] + (["target"] if extra_user else [])
    return np.array([[0] * len(users)], dtype=np.int32), np.array(users)


@pytest.mark.parametrize("n_users, kept", [(9, 0.0), (10, 0.0), (40, 1.0)])
def test_pre_threshold_at_k_minus_1_k_and_well_above(n_users, kept):
    # pre-threshold k = 10: k - 1 users are dropped before any noise; exactly k users
    # count as 1 for the noisy threshold (kept with probability <= delta); at epsilon 20
    # a cluster well above k is always kept.
    labels, users = dataset(n_users, False)
    settings = DPSettings(enabled=True, epsilon=20.0)
    outs = [dp_cluster_counts(labels, users, 10, settings) for _ in range(50)]
    assert np.mean([(0, 0) in o for o in outs]) == kept
    assert all(o[(0, 0)][1] >= 10 for o in outs if o)


def test_contribution_bounding_keeps_at_most_limit_clusters_per_user():
    rng = np.random.default_rng(0)
    users = np.repeat(np.arange(50), 8)            # 50 users, 8 conversations each
    keys = np.tile(np.arange(8), 50)               # each user in all 8 clusters
    kept_users, kept_keys = _bounded_pairs(users, keys, 3, rng)
    per_user = np.bincount(kept_users)
    assert per_user.max() == 3 and per_user.min() == 3
    assert len(set(zip(kept_users.tolist(), kept_keys.tolist(), strict=True))) == 150
    # a uniform sample: every cluster keeps some users
    assert np.bincount(kept_keys, minlength=8).min() > 5


def test_budget_split_spends_exactly_epsilon_and_delta():
    s = DPSettings(enabled=True, epsilon=1.0, delta=1e-6, conversation_budget=0.2)
    budgets = _budgets(s, 3)
    assert sum(e for e, _ in budgets) == pytest.approx(0.8)
    assert sum(d for _, d in budgets) == pytest.approx(1e-6)
    assert budgets[0][0] == pytest.approx(budgets[1][0] / 2)   # base weight 0.5
    assert _budgets(s.model_copy(update={"base_level_weight": 0.0}), 3)[0] == (0.0, 0.0)


def test_base_level_weight_zero_publishes_no_base_cluster():
    labels = np.array([[0] * 300, [0] * 300], dtype=np.int32)
    users = np.array([f"u{i}" for i in range(300)])
    out = dp_cluster_counts(labels, users, 10,
                            DPSettings(enabled=True, epsilon=4.0, base_level_weight=0.0))
    assert set(out) == {(1, 0)}


def test_conversation_counts_only_with_a_budget_and_parents_sum_their_base_clusters():
    # two base clusters of 300 users each under one parent
    labels = np.array([[0] * 300 + [1] * 300, [0] * 600], dtype=np.int32)
    users = np.array([f"u{i}" for i in range(600)])
    without = dp_cluster_counts(labels, users, 10, DPSettings(enabled=True, epsilon=4.0))
    assert without and all(n_conv is None for n_conv, _ in without.values())
    runs = [dp_cluster_counts(labels, users, 10,
                              DPSettings(enabled=True, epsilon=4.0, conversation_budget=0.5))
            for _ in range(20)]
    for out in runs:
        if len(out) == 3:
            assert abs(out[(1, 0)][0] - out[(0, 0)][0] - out[(0, 1)][0]) <= 1  # rounding
    parents = [out[(1, 0)][0] for out in runs if (1, 0) in out]
    assert len(parents) >= 18 and abs(np.mean(parents) - 600) < 30
    assert np.std(parents) > 0.5


def test_large_cluster_is_selected_with_noisy_counts():
    labels, users = dataset(400, False)
    outs = [dp_cluster_counts(labels, users, 10, DPSettings(enabled=True, epsilon=EPS))
            for _ in range(30)]
    values = [o[(0, 0)][1] for o in outs if (0, 0) in o]
    assert len(values) >= 28
    assert np.std(values) > 0.5, "counts are noisy"
    assert abs(np.mean(values) - 400) < 40


def test_without_dp_one_user_is_recovered_by_differencing_two_runs():
    privacy = PrivacySettings(min_users=5, min_conversations=5)

    def published(extra: bool) -> int:
        labels, users = dataset(30, extra)
        facets = pl.DataFrame({"conversation_id": [str(i) for i in range(len(users))],
                               "user_id": users, "request": ["sleep"] * len(users),
                               "language": ["en"] * len(users), "turns_bucket": ["1"] * len(users)})
        rel = build_release(facets, labels, pl.DataFrame(schema=SUMMARY_SCHEMA),
                            pl.DataFrame(schema={"entity_type": pl.Utf8, "n_entities": pl.Int64,
                                                 "n_conversations": pl.Int64, "n_users": pl.Int64}),
                            len(users), privacy)
        return int(rel.clusters["n_users"][0])

    assert published(True) - published(False) == 1  # k-anonymity alone: exact leak


@pytest.mark.slow
def test_dp_bounds_the_cross_run_differencing_attack():
    """Neighbouring inputs (with and without one user): for every threshold t, the
    attacker's test 'count >= t' fires at most e^eps times more often on one input than
    on the other (plus delta and sampling slack)."""
    settings = DPSettings(enabled=True, epsilon=EPS)
    runs = 300
    with_user = [dp_cluster_counts(*dataset(200, True), 10, settings).get((0, 0), (0, 0))[1]
                 for _ in range(runs)]
    without = [dp_cluster_counts(*dataset(200, False), 10, settings).get((0, 0), (0, 0))[1]
               for _ in range(runs)]
    a, b = np.array(with_user), np.array(without)
    assert a.std() > 1 and b.std() > 1
    slack = 0.08  # ~3 binomial standard errors at 300 runs
    for t in np.quantile(np.concatenate([a, b]), [0.1, 0.25, 0.5, 0.75, 0.9]):
        pa, pb = np.mean(a >= t), np.mean(b >= t)
        assert pa <= np.exp(EPS) * pb + slack
        assert pb <= np.exp(EPS) * pa + slack
    # and the attack 'difference of the two counts' no longer recovers the one user
    assert np.mean(a - b == 1) < 0.2


def test_dp_mode_publishes_no_other_rows_facets_or_pii_counts():
    labels, users = dataset(300, False)
    facets = pl.DataFrame({"conversation_id": [str(i) for i in range(300)], "user_id": users,
                           "request": ["sleep"] * 300, "language": ["en"] * 300,
                           "turns_bucket": ["1"] * 300})
    privacy = PrivacySettings(min_users=10, min_conversations=10,
                              dp=DPSettings(enabled=True, epsilon=5.0))
    pii = pl.DataFrame({"entity_type": ["PERSON"], "n_entities": [50], "n_conversations": [50],
                        "n_users": [50]})
    rel = build_release(facets, labels, pl.DataFrame(schema=SUMMARY_SCHEMA), pii, 300, privacy)
    assert rel.clusters.height == 1 and rel.clusters["kind"][0] == "cluster"
    assert rel.facets.is_empty() and rel.pii.is_empty()
    assert rel.clusters["n_users"][0] >= 10
    # no conversation budget: conversation counts and shares are not published under DP
    assert rel.clusters["n_conversations"][0] is None and rel.clusters["share"][0] is None


@pytest.mark.parametrize("field, value", [("epsilon", 0), ("delta", 0.5),
                                          ("max_clusters_per_user", 0),
                                          ("base_level_weight", -0.1),
                                          ("conversation_budget", 1.0),
                                          ("max_conversations_per_user", 0),
                                          ("max_conversations_per_cluster", 2)])
def test_invalid_dp_settings_fail_loudly(field, value):
    with pytest.raises(ValueError):
        DPSettings(**{field: value})
