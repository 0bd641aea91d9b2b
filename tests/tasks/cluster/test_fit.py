"""cluster_embeddings at scale: a seeded sample fit, the rest assigned, counts, no change
when everything fits (these run UMAP + HDBSCAN: slow)."""

from __future__ import annotations

import numpy as np
import pytest

from chorus.core.settings import ClusterSettings
from tasks.cluster import sample_indices
from tests.tasks.cluster.conftest import blobs


@pytest.mark.parametrize("n, fit_sample, expected_size", [
    (100, 0, None), (100, 100, None), (100, 1_000, None), (101, 100, 100), (10_000, 7, 7),
    (0, 5, None),
])
def test_sample_indices_sizes(n, fit_sample, expected_size):
    idx = sample_indices(n, fit_sample, seed=42)
    if expected_size is None:
        assert idx is None
        return
    assert idx is not None and idx.size == expected_size
    assert (np.diff(idx) > 0).all() and idx.min() >= 0 and idx.max() < n  # sorted, unique


def test_sample_indices_are_seeded():
    a, b, c = (sample_indices(10_000, 500, seed) for seed in (1, 1, 2))
    assert a is not None and b is not None and c is not None
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def _with_outliers(n_per: int, topics: int, n_out: int = 12):
    x, truth = blobs(n_per, topics, spread=0.15)
    rng = np.random.default_rng(1)
    out = rng.normal(size=(n_out, x.shape[1]))
    x = np.vstack([x, out / np.linalg.norm(out, axis=1, keepdims=True)]).astype(np.float32)
    return x, np.concatenate([truth, np.full(n_out, -1)])


@pytest.mark.slow
def test_no_sampling_when_everything_fits_is_the_plain_fit():
    from tasks.cluster import cluster_embeddings

    x, _ = _with_outliers(50, 6)
    plain = cluster_embeddings(x, ClusterSettings(min_cluster_size=15, fit_sample=0))
    fits = cluster_embeddings(x, ClusterSettings(min_cluster_size=15, fit_sample=x.shape[0]))
    assert np.array_equal(plain.labels, fits.labels)
    assert (plain.n_noise, plain.n_reassigned) == (fits.n_noise, fits.n_reassigned)
    assert fits.n_fitted == x.shape[0] and fits.n_assigned == 0


@pytest.mark.slow
@pytest.mark.parametrize("method", ["centroid", "knn"])
def test_sample_fit_assigns_the_rest_deterministically(method):
    from sklearn.metrics import adjusted_rand_score

    from tasks.cluster import cluster_embeddings

    x, truth = _with_outliers(150, 6)  # 900 in blobs + 12 far outliers
    settings = ClusterSettings(min_cluster_size=15, fit_sample=300, assign_method=method,
                               levels=2)
    result = cluster_embeddings(x, settings)
    again = cluster_embeddings(x, settings)
    base = result.labels[0]
    assert np.array_equal(result.labels, again.labels), "same seed, same labels"
    assert result.n_fitted == 300
    fitted = np.zeros(x.shape[0], dtype=bool)
    fitted[sample_indices(x.shape[0], 300, settings.seed)] = True
    # every blob point outside the sample got a cluster; counted as assigned
    assert result.n_assigned == int(((base >= 0) & ~fitted).sum()) >= 600 - 5
    assert adjusted_rand_score(truth[:900], base[:900]) > 0.9
    assert (base[900:][~fitted[900:]] == -1).all(), "far outliers outside the sample: noise"
    assert result.n_noise == int((base == -1).sum())
    assert ((result.labels == -1) == (base == -1)).all(), "noise stays noise on every level"
    assert set(result.seconds) == {"fit", "assign", "noise", "parents"}
    other = cluster_embeddings(x, settings.model_copy(update={"seed": 7}))
    assert other.n_fitted == 300  # another seed, another sample, still the blobs
    assert adjusted_rand_score(truth[:900], other.labels[0][:900]) > 0.9
