"""Rules 1-4 on whole releases: k-1 / k / k+1 tables, heavy users, secondary suppression,
facet rows, PII-type counts, noise."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from chorus.core.release import OTHER_NAME
from chorus.core.settings import PrivacySettings
from tasks.release import build_release
from tests.tasks.release.conftest import NO_PII, facets_for, summaries

pytestmark = pytest.mark.privacy

K = 5
PRIVACY = PrivacySettings(min_users=K, min_conversations=K)


@pytest.mark.parametrize("n_users, published", [(K - 1, False), (K, True), (K + 1, True)])
def test_cluster_needs_k_distinct_users(n_users, published):
    users = [f"u{i}" for i in range(n_users)] * 3  # 3 conversations each: enough conversations
    labels = np.zeros((1, len(users)), dtype=np.int32)
    rel = build_release(facets_for(users), labels, summaries([[0]]), NO_PII, len(users), PRIVACY)
    assert (rel.clusters.height == 1) is published
    if published:
        assert rel.clusters["n_users"][0] == n_users
        assert rel.clusters["name"][0] == "Sleep insomnia"


@pytest.mark.parametrize("n_conv, published", [(K - 1, False), (K, True), (K + 1, True)])
def test_cluster_needs_min_conversations(n_conv, published):
    privacy = PrivacySettings(min_users=3, min_conversations=K)
    users = [f"u{i % 3}" for i in range(n_conv)]
    labels = np.zeros((1, n_conv), dtype=np.int32)
    rel = build_release(facets_for(users), labels, summaries([[0]]), NO_PII, n_conv, privacy)
    assert (rel.clusters.height == 1) is published


def test_one_user_with_fifty_conversations_is_never_published():
    users = ["heavy"] * 50 + [f"u{i}" for i in range(K - 2)]
    labels = np.zeros((1, len(users)), dtype=np.int32)
    rel = build_release(facets_for(users), labels, summaries([[0]]), NO_PII, len(users), PRIVACY)
    assert rel.clusters.is_empty() and rel.phrases.is_empty()
    assert rel.counts["suppressed"] == 1


def test_small_sibling_is_folded_into_other_when_other_meets_k():
    # cluster 0: 10 users, cluster 1: 3 users, cluster 2: 3 users -> other row of 6 users.
    users = [f"a{i}" for i in range(10)] + [f"b{i}" for i in range(3)] + [f"c{i}" for i in range(3)]
    labels = np.array([[0] * 10 + [1] * 3 + [2] * 3], dtype=np.int32)
    rel = build_release(facets_for(users), labels, summaries([[0, 1, 2]]), NO_PII, 16, PRIVACY)
    kinds = dict(zip(rel.clusters["kind"], rel.clusters["n_users"], strict=True))
    assert kinds == {"cluster": 10, "other": 6}
    other = rel.clusters.filter(pl.col("kind") == "other")
    assert other["name"][0] == OTHER_NAME
    assert rel.phrases["cluster_id"].unique().to_list() == \
        rel.clusters.filter(pl.col("kind") == "cluster")["cluster_id"].to_list()


def test_secondary_suppression_hides_a_remainder_below_k():
    # Under one parent: A 10 users, B 6 users, C 2 users. Publishing A and B alone would let
    # parent - A - B = 2 users be computed. The gate must fold B into the remainder.
    users = [f"a{i}" for i in range(10)] + [f"b{i}" for i in range(6)] + ["c0", "c1"]
    base = [0] * 10 + [1] * 6 + [2] * 2
    labels = np.array([base, [0] * len(base)], dtype=np.int32)
    rel = build_release(facets_for(users), labels, summaries([[0, 1, 2], [0]]), NO_PII,
                        len(users), PRIVACY)
    parent = rel.clusters.filter(pl.col("level") == 1)
    children = rel.clusters.filter(pl.col("parent_id") == parent["cluster_id"][0])
    assert parent["n_users"][0] == 18
    assert sorted(children["n_users"].to_list()) == [8, 10]  # A, and other = B + C
    published_sum = children["n_conversations"].sum()
    assert published_sum == parent["n_conversations"][0]


@pytest.mark.parametrize("rest_users", [1, K - 1, K, K + 1])
def test_parent_minus_published_children_never_reveals_below_k(rest_users):
    users = [f"a{i}" for i in range(12)] + [f"b{i}" for i in range(12)] + \
            [f"r{i}" for i in range(rest_users)]
    base = [0] * 12 + [1] * 12 + [2] * rest_users
    labels = np.array([base, [0] * len(base)], dtype=np.int32)
    rel = build_release(facets_for(users), labels, summaries([[0, 1, 2], [0]]), NO_PII,
                        len(users), PRIVACY)
    for parent in rel.clusters.iter_rows(named=True):
        kids = rel.clusters.filter(pl.col("parent_id") == parent["cluster_id"])
        if kids.is_empty():
            continue
        gap = parent["n_conversations"] - kids["n_conversations"].sum()
        assert gap == 0, "every member of a parent is in a published child or the other row"
    for row in rel.clusters.iter_rows(named=True):
        assert row["n_users"] >= K and row["n_conversations"] >= K


def test_facet_rows_meet_k_and_other_row_covers_the_rest():
    users = [f"u{i}" for i in range(20)]
    frame = facets_for(users).with_columns(
        pl.Series("language", ["en"] * 16 + ["de"] * 2 + ["fr"] * 2))
    labels = np.zeros((1, 20), dtype=np.int32)
    rel = build_release(frame, labels, summaries([[0]]), NO_PII, 20, PRIVACY)
    lang = rel.facets.filter(pl.col("facet") == "language")
    # en alone (16) would reveal de + fr = 4 < k by subtraction: it is folded into other.
    assert dict(zip(lang["value"], lang["n_users"], strict=True)) == {"other": 20}
    assert (rel.facets["n_users"] >= K).all()


def test_facet_values_meeting_k_are_published_with_their_remainder():
    users = [f"u{i}" for i in range(30)]
    frame = facets_for(users).with_columns(
        pl.Series("language", ["en"] * 20 + ["de"] * 6 + ["fr"] * 2 + ["es"] * 2))
    rel = build_release(frame, np.zeros((1, 30), dtype=np.int32), summaries([[0]]), NO_PII,
                        30, PRIVACY)
    lang = rel.facets.filter(pl.col("facet") == "language")
    assert dict(zip(lang["value"], lang["n_users"], strict=True)) == {"en": 20, "other": 10}


def test_pii_counts_below_k_users_are_not_published():
    pii = pl.DataFrame({"entity_type": ["PERSON", "CREDIT_CARD"], "n_entities": [40, 1],
                        "n_conversations": [30, 1], "n_users": [20, 1]})
    users = [f"u{i}" for i in range(10)]
    rel = build_release(facets_for(users), np.zeros((1, 10), dtype=np.int32),
                        summaries([[0]]), pii, 10, PRIVACY)
    assert rel.pii["entity_type"].to_list() == ["PERSON"]


def test_noise_is_never_published_as_a_cluster():
    users = [f"u{i}" for i in range(12)]
    labels = np.array([[-1] * 12], dtype=np.int32)
    rel = build_release(facets_for(users), labels, summaries([[]]), NO_PII, 12, PRIVACY)
    assert rel.clusters.is_empty()
    assert rel.counts["noise_published"] == 12


@pytest.mark.parametrize("noise_users, noise_published",
                         [(K - 1, None), (K, K), (K + 1, K + 1)])
def test_noise_below_k_is_folded_into_the_root_other_row(noise_users, noise_published):
    users = [f"a{i}" for i in range(12)] + [f"b{i}" for i in range(12)] + \
            [f"n{i}" for i in range(noise_users)]
    base = [0] * 12 + [1] * 12 + [-1] * noise_users
    labels = np.array([base], dtype=np.int32)
    rel = build_release(facets_for(users), labels, summaries([[0, 1]]), NO_PII, len(users),
                        PRIVACY)
    assert rel.counts["noise_published"] == noise_published
    top = rel.clusters.filter(pl.col("parent_id").is_null())
    # n_accepted - published top rows - published noise is 0: nothing small is isolated
    assert top["n_conversations"].sum() + (noise_published or 0) == len(users)
    assert (top["n_users"] >= K).all()
