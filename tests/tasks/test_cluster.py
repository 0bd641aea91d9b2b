"""Cluster: nested levels, explicit noise, optional reassignment, level sizes."""

from __future__ import annotations

import numpy as np
import pytest

from chorus.core.settings import ClusterSettings
from chorus.core.vectors import centroids
from tasks.cluster import level_sizes, parent_maps, reassign_noise


def blobs(n_per: int, n_topics: int, d: int = 32, spread: float = 0.05, seed: int = 0):
    rng = np.random.default_rng(seed)
    centers = rng.normal(size=(n_topics, d))
    x = np.concatenate([c + spread * rng.normal(size=(n_per, d)) for c in centers])
    truth = np.repeat(np.arange(n_topics), n_per)
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32), truth


@pytest.mark.parametrize("n_base, levels, top, expected", [
    (24, 3, 0, [24, 11, 5]), (24, 3, 4, [24, 10, 4]), (1, 3, 0, [1, 1, 1]),
    (0, 2, 0, [0, 0]), (10, 1, 0, [10]), (3, 3, 0, [3, 2, 2]), (141, 3, 0, [141, 41, 12]),
])
def test_level_sizes_are_geometric_and_shrinking(n_base, levels, top, expected):
    assert level_sizes(n_base, levels, top) == expected


def test_parent_maps_are_nested_and_sized():
    cents, _ = blobs(1, 12)
    maps = parent_maps(cents, [12, 6, 2])
    # at most the sizes asked for: no parent keeps a single child (tests/tasks/cluster/
    # test_hierarchy.py), and 12 random points need not fall into 6 pairs
    assert 4 <= len(np.unique(maps[0])) <= 6 and len(np.unique(maps[1])) == 2
    # nesting: base clusters sharing a level-1 parent share a level-2 parent
    for p in np.unique(maps[0]):
        assert len(np.unique(maps[1][maps[0] == p])) == 1


def test_reassignment_only_above_threshold_and_counted():
    x, truth = blobs(20, 2)
    labels = truth.astype(np.int32).copy()
    labels[[0, 25]] = -1
    out, moved = reassign_noise(x, labels, min_similarity=0.9)
    assert moved == 2 and out[0] == 0 and out[25] == 1
    out, moved = reassign_noise(x, labels, min_similarity=1.01)
    assert moved == 0 and (out == labels).all()


def test_centroids_are_unit_length():
    x, truth = blobs(10, 3)
    c = centroids(x, truth.astype(np.int32), 3)
    assert np.allclose(np.linalg.norm(c, axis=1), 1.0, atol=1e-5)


@pytest.mark.slow
def test_cluster_embeddings_finds_blobs_with_explicit_noise():
    from sklearn.metrics import adjusted_rand_score

    from tasks.cluster import cluster_embeddings

    x, truth = blobs(60, 6, spread=0.15)
    rng = np.random.default_rng(1)
    outliers = rng.normal(size=(10, x.shape[1]))
    unit_outliers = outliers / np.linalg.norm(outliers, axis=1, keepdims=True)
    x = np.vstack([x, unit_outliers]).astype(np.float32)
    result = cluster_embeddings(x, ClusterSettings(levels=3, min_cluster_size=15))
    base = result.labels[0]
    assert result.labels.shape == (3, x.shape[0])
    assert adjusted_rand_score(truth, base[:360]) > 0.9
    assert result.n_noise == int((base == -1).sum())
    assert ((result.labels == -1) == (base == -1)).all(), "noise stays noise on every level"
    assert len(np.unique(result.labels[2][base >= 0])) < len(np.unique(base[base >= 0]))


@pytest.mark.parametrize("field, value", [("levels", 0), ("umap_components", 1),
                                          ("selection", "kmeans"), ("min_cluster_floor", 1)])
def test_invalid_settings_fail_loudly(field, value):
    with pytest.raises(ValueError):
        ClusterSettings(**{field: value})


@pytest.mark.parametrize("noise_users, noise_convs, joins", [
    (4, 10, True), (5, 4, True), (5, 5, False), (6, 12, False)])
def test_noise_too_small_to_publish_joins_nearest_cluster(noise_users, noise_convs, joins):
    from tasks.cluster import absorb_unpublishable_noise

    x, truth = blobs(20, 2)
    labels = truth.astype(np.int32).copy()
    labels[:noise_convs] = -1
    users = np.array([f"u{i % noise_users}" if i < noise_convs else f"v{i}" for i in range(40)])
    out, moved = absorb_unpublishable_noise(x, labels, users, min_users=5, min_conversations=5)
    assert bool(moved == noise_convs) == joins
    assert bool((out == -1).sum() == 0) == joins
    assert (out[:noise_convs] == 0).all() or not joins  # they return to their own blob
