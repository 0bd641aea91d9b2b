"""Base-level helpers: min cluster size on a sample, block-wise centroids and noise rules."""

from __future__ import annotations

import numpy as np
import pytest

from chorus.core.settings import ClusterSettings
from chorus.core.vectors import centroids
from tasks.cluster import block_centroids, effective_min_cluster_size, reassign_noise
from tests.tasks.cluster.conftest import blobs


@pytest.mark.parametrize("n, n_fit, settings, expected", [
    (1_000, None, {}, 15),                      # floor
    (100_000, None, {}, 200),                   # share of all
    (100_000, 100_000, {}, 200),
    (1_000_000, 50_000, {}, 100),               # 2,000 on all, scaled by the sample
    (100_000, 50_000, {}, 100),
    (3_000, 300, {}, 2),                        # floor 15 x 0.1, at least 2
    (3_000, 1_500, {}, 8),                      # 7.5 rounds to 8
    (1_000, None, {"min_cluster_size": 40}, 40),
    (1_000, 1_000, {"min_cluster_size": 40}, 40),
    (100_000, 10_000, {"min_cluster_size": 400}, 40),  # set sizes scale with the sample
    (100_000, 1_000, {"min_cluster_size": 5}, 2),
])
def test_effective_min_cluster_size(n, n_fit, settings, expected):
    assert effective_min_cluster_size(n, ClusterSettings(**settings), n_fit) == expected


@pytest.mark.parametrize("rows", [1, 7, 64, 10_000])
def test_block_centroids_equal_centroids(rows):
    x, truth = blobs(30, 4)
    labels = truth.astype(np.int32)
    labels[::5] = -1
    assert np.array_equal(block_centroids(x, labels, 4, rows=rows), centroids(x, labels, 4))


def test_reassign_noise_in_blocks_is_the_same():
    x, truth = blobs(40, 3, spread=0.3)
    labels = truth.astype(np.int32)
    labels[::3] = -1
    whole, moved = reassign_noise(x, labels, 0.5)
    blocked, moved_blocked = reassign_noise(x, labels, 0.5, block_mb=0)
    assert np.array_equal(whole, blocked) and moved == moved_blocked > 0
    assert (whole[labels >= 0] == labels[labels >= 0]).all(), "members never move"


@pytest.mark.parametrize("field, value", [
    ("fit_sample", -1), ("assign_method", "approximate"), ("assign_neighbors", 0),
    ("assign_min_similarity", 1.5), ("assign_block_mb", 4)])
def test_invalid_scale_settings_fail_loudly(field, value):
    with pytest.raises(ValueError):
        ClusterSettings(**{field: value})
