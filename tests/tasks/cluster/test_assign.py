"""Assignment by nearest neighbours: thresholds, noise votes, ties, blocks, contracts."""

from __future__ import annotations

import numpy as np
import pytest

from tasks.cluster import assign_to_centroids, knn_vote, nearest_centroids
from tasks.cluster.assign import block_rows
from tests.tasks.cluster.conftest import blobs, unit

CENTS = unit([[1, 0, 0], [0, 1, 0]])
POINTS = unit([[1, 0.1, 0], [0.2, 1, 0], [0, 0, 1], [1, 1, 0.2], [-1, -0.1, 0]])
# cosine of POINTS to their nearest centroid: 0.995, 0.981, 0.0, ~0.70, ~ -0.10 (to 1)


@pytest.mark.parametrize("n_refs, block_mb, expected", [
    (1, 1, 262_144), (2**18, 1, 1), (2**18, 2, 2), (10**9, 1, 1), (0, 1, 262_144),
    (1_000, 0, 1),
])
def test_block_rows_bounds_one_block(n_refs, block_mb, expected):
    assert block_rows(n_refs, block_mb) == expected


@pytest.mark.parametrize("min_similarity, expected", [
    (None, [0, 1, 0, 0, 1]),       # never noise: the argmax, ties to the lowest id
    (-1.0, [0, 1, 0, 0, 1]),
    (0.5, [0, 1, -1, 0, -1]),
    (0.9, [0, 1, -1, -1, -1]),
    (0.99, [0, -1, -1, -1, -1]),   # 0.981 < 0.99 <= 0.995
    (1.0, [-1, -1, -1, -1, -1]),
])
def test_assign_to_centroids_thresholds(min_similarity, expected):
    assert assign_to_centroids(POINTS, CENTS, min_similarity).tolist() == expected


def test_assign_to_centroids_contract_edges():
    out = assign_to_centroids(POINTS, np.zeros((0, 3), dtype=np.float32), 0.5)
    assert out.tolist() == [-1] * 5 and out.dtype == np.int32
    assert assign_to_centroids(POINTS[:0], CENTS, 0.5).shape == (0,)
    with pytest.raises(ValueError, match="do not match"):
        assign_to_centroids(POINTS, unit([[1, 0]]), 0.5)


def test_blocks_do_not_change_the_answer():
    x, truth = blobs(50, 4, spread=0.3)
    cents = unit([x[truth == t].mean(axis=0).tolist() for t in range(4)])
    whole = assign_to_centroids(x, cents, 0.5)
    assert (assign_to_centroids(x, cents, 0.5, block_mb=0) == whole).all()  # 1 row a block
    best, sim = nearest_centroids(x, cents, block_mb=0)
    assert (best == (x @ cents.T).argmax(axis=1)).all()
    assert np.allclose(sim, (x @ cents.T).max(axis=1), atol=1e-6)
    assert (whole == truth).mean() > 0.95  # and it is right on blobs
    refs, labels = x[::2], truth[::2].astype(np.int32)
    assert (knn_vote(x, refs, labels, 5, block_mb=0) == knn_vote(x, refs, labels, 5)).all()


REFS = unit([[1, 0, 0], [1, 0.05, 0], [1, -0.05, 0], [0, 1, 0], [0, 1, 0.05]])


@pytest.mark.parametrize("ref_labels, k, expected", [
    ([0, 0, 0, 1, 1], 3, 0),     # all three nearest say 0
    ([-1, -1, 0, 1, 1], 3, -1),  # neighbours say noise: noise
    ([0, -1, -1, 1, 1], 3, -1),  # noise is a label: 2 votes beat 1
    ([0, 1, 1, 1, 1], 3, 1),     # majority beats the nearest
    ([0, 1, 2, 2, 2], 3, 0),     # three-way tie: the nearest's label
    ([0, 1, 2, 3, 3], 100, 3),   # k capped at m: all five vote
    ([1, 0, 0, 5, 5], 1, 1),     # k = 1: the nearest
])
def test_knn_vote_majority_noise_and_ties(ref_labels, k, expected):
    query = unit([[1, 0, 0.01]])  # nearest REFS[0], then REFS[1]/[2], far from [3], [4]
    got = knn_vote(query, REFS, np.array(ref_labels, dtype=np.int32), k)
    assert got.tolist() == [expected] and got.dtype == np.int32


@pytest.mark.parametrize("min_similarity, expected", [
    (None, [0, 0]), (-1.0, [0, 0]), (0.5, [0, -1]), (0.999, [-1, -1])])
def test_knn_vote_far_neighbours_vote_noise(min_similarity, expected):
    # [1, 0, .01] is at cosine ~0.999 from its neighbours; [1, 0, 2] at ~0.45: too far
    query = unit([[1, 0, 0.01], [1, 0, 2]])
    labels = np.zeros(5, dtype=np.int32)
    assert knn_vote(query, REFS, labels, 3, min_similarity).tolist() == expected
