"""Hierarchy scores on hand-made trees whose purity can be counted by hand."""

from __future__ import annotations

import numpy as np
import pytest

from bench.hierarchy_eval import hierarchy_scores, levels_from, purity

# six base clusters of two items each (+ two noise items); domains: A A B B C C by cluster
BASE = np.array([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, -1, -1])
DOMAIN = ["A"] * 4 + ["B"] * 4 + ["C"] * 4 + ["A", "C"]


@pytest.mark.parametrize("parent_of_cluster, expected", [
    ([0, 0, 1, 1, 2, 2], 1.0),          # each parent one domain
    ([0, 0, 0, 1, 1, 1], 4 / 6),        # parent 0 = A A B (majority A): cluster 2 wrong;
                                        # parent 1 = B C C (majority C): cluster 3 wrong
    ([0, 0, 0, 0, 0, 0], 2 / 6),        # one parent; tie A/B/C -> "A": only A's clusters
    ([0, 1, 2, 3, 4, 5], 1.0),          # every cluster its own parent
])
def test_purity_counts_clusters_whose_parent_majority_is_their_own(parent_of_cluster, expected):
    parent = np.where(BASE >= 0, np.array(parent_of_cluster)[np.maximum(BASE, 0)], -1)
    assert purity(BASE, parent, DOMAIN) == pytest.approx(expected)


def test_purity_of_a_flat_partition_maps_each_cluster_to_its_majority_group():
    # k-means style groups cut clusters; cluster 0 is split 1/1 and goes to the smaller id
    groups = np.array([1, 0, 1, 1, 1, 1, 2, 2, 3, 3, 3, 3, 0, 3])
    # group 0 = {A, A} -> A; group 1 = {A, A, A, B, B} -> A; group 2 = {B, B}; 3 = {C x5}
    # clusters 0, 1 (A) -> groups 0, 1 (A): right; cluster 2 (B) -> group 1 (A): wrong;
    # cluster 3 (B) -> 2: right; clusters 4, 5 (C) -> 3: right
    assert purity(BASE, groups, DOMAIN) == pytest.approx(5 / 6)


def test_purity_without_clusters_is_none():
    assert purity(np.array([-1, -1]), np.array([-1, -1]), ["A", "B"]) is None


def test_hierarchy_scores_of_a_perfect_three_level_tree():
    maps = [np.array([0, 0, 1, 1, 2, 2]), np.array([0, 0, 0, 0, 1, 1])]
    labels = levels_from(BASE, maps)
    assert labels.shape == (3, BASE.size) and (labels[:, -2:] == -1).all()
    scores = hierarchy_scores(DOMAIN, labels)
    assert scores["parent_purity"] == pytest.approx(1.0)
    assert scores["top_purity"] == pytest.approx(4 / 6)   # A+B under one top parent
    assert scores["n_parents"] == 3 and scores["n_top"] == 2
    assert 0 < scores["nmi"] < 1 and scores["ari"] < 1


def test_hierarchy_scores_top_equal_to_domains_is_perfect_apart_from_noise():
    maps = [np.array([0, 0, 1, 1, 2, 2])]
    truth = ["A"] * 4 + ["B"] * 4 + ["C"] * 4 + ["N", "N"]  # noise is its own 'domain'
    scores = hierarchy_scores(truth, levels_from(BASE, maps))
    assert scores["nmi"] == pytest.approx(1.0) and scores["ari"] == pytest.approx(1.0)
    assert scores["parent_purity"] == pytest.approx(1.0)


def test_hierarchy_rows_recover_clear_domains_with_every_linkage():
    from bench.chorus_path import ChorusOutput
    from bench.hierarchy_eval import hierarchy_rows
    from chorus.core.settings import ClusterSettings

    rng = np.random.default_rng(0)
    domains = rng.normal(size=(3, 24))
    intents = np.concatenate([d + 0.3 * rng.normal(size=(2, 24)) for d in domains])
    x = np.concatenate([i + 0.05 * rng.normal(size=(20, 24)) for i in intents])
    x = (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)
    base = np.repeat(np.arange(6), 20).astype(np.int32)
    truth = np.repeat(np.array(["a", "b", "c"], dtype=object), 40)
    out = ChorusOutput(labels=np.repeat(np.arange(6), 20).astype(object), parents=truth,
                       requests=[""] * 120, embeddings=x, cluster_labels=base[None, :],
                       n_reassigned=0, users=np.arange(120).astype(object))
    settings = ClusterSettings(levels=2, top_level_clusters=3)
    rows = hierarchy_rows("toy/domains", out, settings)
    assert sum(r["configured"] for r in rows) == 1
    for row in rows:
        assert row["nmi"] == pytest.approx(1.0) and row["ari"] == pytest.approx(1.0), row
        assert row["top_purity"] == pytest.approx(1.0)
        if not row["method"].startswith("kmeans"):
            assert row["parent_purity"] == pytest.approx(1.0) and row["n_top"] == 3
            assert row["single_child_parents"] == 0
    assert rows[-2]["method"].startswith("oracle") and rows[-2]["nn_same_parent"] == 1.0


def test_oracle_nn_same_parent_counts_intents_whose_nearest_intent_shares_the_domain():
    from bench.chorus_path import ChorusOutput
    from bench.hierarchy_eval import oracle_row
    from chorus.core.settings import ClusterSettings

    # intents on the unit circle at 0, 2, 5 and 90 degrees: a1 and a2 (domain A) are each
    # other's nearest, b1's nearest is a2, b2's is b1: 3 of 4
    angles = np.radians([0.0, 2.0, 5.0, 90.0])
    cents = np.stack([np.cos(angles), np.sin(angles)], axis=1).astype(np.float32)
    intents = np.repeat(np.array(["a1", "a2", "b1", "b2"], dtype=object), 5)
    out = ChorusOutput(labels=intents, parents=np.array([i[0] for i in intents], dtype=object),
                       requests=[""] * 20, embeddings=np.repeat(cents, 5, axis=0),
                       cluster_labels=np.zeros((1, 20), np.int32), n_reassigned=0,
                       users=np.arange(20).astype(object))
    row = oracle_row("toy", out, ClusterSettings(levels=2, top_level_clusters=2))
    assert row["nn_same_parent"] == pytest.approx(0.75)


@pytest.mark.parametrize("linkage, center, method", [
    ("size_average+size_ward", True, "chorus (size_average, then size_ward, centered)"),
    ("size_average", False, "chorus (size_average)"),
    ("ward+complete", True, "chorus (ward, then complete, centered)"),   # not in the grid
    ("ward+complete", False, "chorus (ward, then complete)"),
])
def test_the_configured_linkage_is_one_row_even_outside_the_grid(linkage, center, method):
    from bench.chorus_path import ChorusOutput
    from bench.hierarchy_eval import hierarchy_rows
    from chorus.core.settings import ClusterSettings

    x = np.random.default_rng(1).normal(size=(120, 8)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    base = np.repeat(np.arange(12), 10).astype(np.int32)
    out = ChorusOutput(labels=base.astype(object), parents=(base // 4).astype(str).astype(object),
                       requests=[""] * 120, embeddings=x, cluster_labels=base[None, :],
                       n_reassigned=0, users=np.arange(120).astype(object))
    rows = hierarchy_rows("toy/domains", out, ClusterSettings(linkage=linkage,
                                                              center_centroids=center))
    assert [r["method"] for r in rows if r["configured"]] == [method]
    assert len({r["method"] for r in rows}) == len(rows)
