"""The map layout: published clusters only, deterministic, NULL for 'other' rows and DP."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from chorus.core.release import OTHER_NAME, Release
from chorus.core.schemas import CLUSTER_SCHEMA, FACET_SCHEMA, PHRASE_SCHEMA
from tasks.release.layout import pca_2d, with_layout

pytestmark = pytest.mark.privacy


def release_of(n_groups: int = 3, per: int = 6) -> tuple[Release, np.ndarray]:
    """``n_groups`` published base clusters of ``per`` members each, in separate
    directions, one parent over all of them, one 'other' row, and 5 suppressed rows."""
    rng = np.random.default_rng(3)
    dirs = np.eye(8)[:n_groups]
    vecs = [dirs[g] + 0.05 * rng.standard_normal(8) for g in range(n_groups) for _ in range(per)]
    vecs += [rng.standard_normal(8) for _ in range(5)]  # suppressed: in no published cluster
    emb = np.asarray(vecs, dtype=np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    rows = [{"cluster_id": 1, "level": 1, "parent_id": None, "kind": "cluster",
             "n_users": n_groups * per}]
    rows += [{"cluster_id": 2 + g, "level": 0, "parent_id": 1, "kind": "cluster", "n_users": per}
             for g in range(n_groups)]
    rows.append({"cluster_id": 2 + n_groups, "level": 0, "parent_id": 1, "kind": "other",
                 "name": OTHER_NAME, "n_users": 5})
    members = {1: np.arange(n_groups * per)}
    members |= {2 + g: np.arange(g * per, (g + 1) * per) for g in range(n_groups)}
    clusters = pl.DataFrame(rows, schema=CLUSTER_SCHEMA)
    return (Release(clusters, pl.DataFrame(schema=PHRASE_SCHEMA),
                    pl.DataFrame(schema=FACET_SCHEMA), pl.DataFrame(), {}, members), emb)


def test_pca_is_deterministic_scaled_and_sign_fixed():
    pts = np.random.default_rng(0).standard_normal((20, 5))
    a, b = pca_2d(pts), pca_2d(pts.copy())
    assert np.array_equal(a, b)
    assert np.isclose(np.abs(a).max(), 1.0) and np.abs(a).max() <= 1.0
    for axis in range(2):  # the point farthest along each axis is on its positive side
        assert a[np.argmax(np.abs(a[:, axis])), axis] > 0
    assert np.allclose(pca_2d(-pts), a)  # a reflected input gives the same picture


def test_pca_of_fewer_than_two_points_or_no_spread_is_zero():
    assert pca_2d(np.ones((1, 4))).tolist() == [[0.0, 0.0]]
    assert not pca_2d(np.ones((3, 4))).any()
    line = pca_2d(np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0]]))
    assert not line[:, 1].any() and np.isclose(np.abs(line[:, 0]).max(), 1.0)


def test_published_clusters_get_positions_and_other_rows_null():
    release, emb = release_of()
    out = with_layout(release, emb, dp_enabled=False)
    assert out.columns == list(CLUSTER_SCHEMA)
    kinds = dict(zip(out["cluster_id"], out["kind"], strict=True))
    for cid, x, y in out.select("cluster_id", "x", "y").iter_rows():
        assert (x is None) == (kinds[cid] == "other")
        assert (y is None) == (kinds[cid] == "other")
    base = out.filter((pl.col("level") == 0) & (pl.col("kind") == "cluster"))
    xy = base.select("x", "y").to_numpy()
    gaps = [np.linalg.norm(xy[i] - xy[j]) for i in range(len(xy)) for j in range(i)]
    assert min(gaps) > 0.3, "separate topics land apart"
    parent = out.filter(pl.col("cluster_id") == 1).select("x", "y").to_numpy()[0]
    assert np.linalg.norm(parent - xy.mean(axis=0)) < 0.3, "a parent sits among its children"


def test_members_of_no_published_cluster_do_not_move_the_layout():
    release, emb = release_of()
    moved = emb.copy()
    moved[-5:] = -moved[-5:]  # the suppressed conversations only
    first = with_layout(release, emb, False).select("x", "y")
    assert first.equals(with_layout(release, moved, False).select("x", "y"))


def test_no_layout_under_dp_or_without_embeddings():
    release, emb = release_of()
    for out in (with_layout(release, emb, dp_enabled=True), with_layout(release, None, False)):
        assert out["x"].null_count() == out.height and out["y"].null_count() == out.height
