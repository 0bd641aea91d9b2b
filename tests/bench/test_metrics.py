"""Clustering scores under both noise conventions, on hand-made labelings."""

from __future__ import annotations

import numpy as np
import pytest

from bench.metrics import cluster_scores


def test_perfect_clustering() -> None:
    scores = cluster_scores(["a", "a", "b", "b"], np.array([1, 1, 0, 0]))
    assert scores["ari"] == pytest.approx(1.0) and scores["nmi"] == pytest.approx(1.0)
    assert scores["coverage"] == 1.0 and scores["n_clusters"] == 2 and scores["n_noise"] == 0


def test_noise_counted_as_one_cluster_versus_dropped() -> None:
    truth = ["a", "a", "a", "b", "b", "b"]
    pred = np.array([0, 0, -1, 1, 1, -1])
    scores = cluster_scores(truth, pred)
    assert scores["ari_non_noise"] == pytest.approx(1.0)
    assert scores["ari"] < 1.0
    assert scores["coverage"] == pytest.approx(4 / 6)
    assert scores["n_clusters"] == 2 and scores["n_noise"] == 2


def test_all_noise_has_no_non_noise_scores() -> None:
    scores = cluster_scores(["a", "b"], np.array([-1, -1]))
    assert scores["ari_non_noise"] is None and scores["coverage"] == 0.0
    assert scores["n_clusters"] == 0


def test_nmi_equals_v_measure() -> None:
    truth = ["a", "b", "c", "a", "b", "c", "a"]
    scores = cluster_scores(truth, np.array([0, 0, 1, 1, 2, 2, 0]))
    assert scores["nmi"] == pytest.approx(scores["v_measure"])


def test_shape_mismatch_raises() -> None:
    with pytest.raises(ValueError):
        cluster_scores(["a"], np.array([0, 1]))
