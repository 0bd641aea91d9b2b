"""Vectors: unit-length cluster centroids, noise ignored."""

from __future__ import annotations

import numpy as np
import pytest

from chorus.core.vectors import centroids


def test_centroids_are_unit_means_per_label():
    emb = np.array([[1, 0], [0, 1], [3, 0], [0, -2]], dtype=np.float32)
    labels = np.array([0, 0, 1, -1])
    out = centroids(emb, labels, 2)
    assert out.dtype == np.float32 and out.shape == (2, 2)
    np.testing.assert_allclose(out, [[2 ** -0.5, 2 ** -0.5], [1, 0]], rtol=1e-6)


@pytest.mark.parametrize("labels, n_clusters", [
    ([-1, -1], 2),  # all noise
    ([0, 0], 2),  # label 1 has no member
    ([], 1),  # no rows
])
def test_labels_without_members_get_a_zero_row(labels, n_clusters):
    labels = np.array(labels, dtype=np.int64)
    emb = np.ones((len(labels), 3), dtype=np.float32)
    out = centroids(emb, labels, n_clusters)
    assert out.shape == (n_clusters, 3) and np.isfinite(out).all()
    members = set(labels[labels >= 0].tolist())
    for k in range(n_clusters):
        norm = np.linalg.norm(out[k])
        assert norm == pytest.approx(1.0 if k in members else 0.0, abs=1e-6)


def test_opposite_members_cancel_to_zero_not_nan():
    out = centroids(np.array([[1.0, 0.0], [-1.0, 0.0]]), np.array([0, 0]), 1)
    assert np.array_equal(out, np.zeros((1, 2), dtype=np.float32))
