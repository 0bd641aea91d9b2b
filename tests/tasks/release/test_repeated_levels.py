"""A parent whose only child holds all its members is skipped, not published twice."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from chorus.core.settings import DPSettings, PrivacySettings
from tasks.release import build_release
from tests.tasks.release.conftest import NO_PII, facets_for, summaries

pytestmark = pytest.mark.privacy

K = 5
PRIVACY = PrivacySettings(min_users=K, min_conversations=K)


def _tree(groups: list[tuple[int, list[int]]]) -> tuple[list[str], np.ndarray]:
    """Users (one conversation each) and (levels, n) labels from (users, [key per level])."""
    users, cols = [], []
    for g, (n_users, keys) in enumerate(groups):
        users += [f"g{g}u{i}" for i in range(n_users)]
        cols += [keys] * n_users
    return users, np.array(cols, dtype=np.int32).T


def _release(groups, privacy=PRIVACY):
    users, labels = _tree(groups)
    keys = [sorted(set(row.tolist()) - {-1}) for row in labels]
    return build_release(facets_for(users), labels, summaries(keys), NO_PII, len(users),
                         privacy), len(users)


# (base groups: (users, [base, level 1, level 2 key]), published levels top-down, merged)
CASES = [
    # one base cluster under three levels: the two parents above it repeat it
    ([(12, [0, 0, 0])], [0], 2),
    # two base clusters, one parent, one top cluster: the top repeats the parent
    ([(12, [0, 0, 0]), (12, [1, 0, 0])], [1, 0, 0], 1),
    # two chains side by side: every parent repeats its child
    ([(12, [0, 0, 0]), (12, [1, 1, 1])], [0, 0], 4),
    # after suppression: B is below k and takes A with it; the parent stays as a
    # leaf (an 'other' row of all its members would repeat it)
    ([(12, [0, 0, 0]), (K - 1, [1, 0, 0])], [1], 1),
    # a parent with one published child and an 'other' row does not repeat it
    ([(12, [0, 0, 0]), (3, [1, 0, 0]), (3, [2, 0, 0])], [1, 0], 1),
    # nothing repeats: one top cluster over two parents of two children each
    ([(8, [0, 0, 0]), (8, [1, 0, 0]), (8, [2, 1, 0]), (8, [3, 1, 0])],
     [2, 1, 1, 0, 0, 0, 0], 0),
    # k - 1 users in all: nothing is published, nothing is merged
    ([(K - 1, [0, 0, 0])], [], 0),
]


@pytest.mark.parametrize("groups, levels, merged", CASES)
def test_no_published_cluster_repeats_its_only_child(groups, levels, merged):
    rel, n = _release(groups)
    clusters = rel.clusters.filter(pl.col("kind") == "cluster")
    assert clusters["level"].to_list() == levels
    assert rel.counts["merged"] == merged
    for row in rel.clusters.iter_rows(named=True):
        kids = rel.clusters.filter(pl.col("parent_id") == row["cluster_id"])
        assert kids.height != 1, f"row {row['cluster_id']} has a single child"
        if kids.height:  # every member is in a shown child or the 'other' row
            assert kids["n_conversations"].sum() == row["n_conversations"]
        assert row["n_users"] >= K and row["n_conversations"] >= K
    top = rel.clusters.filter(pl.col("parent_id").is_null())
    assert top["n_conversations"].sum() in (0, n)
    n_clusters = sum(len(set(row.tolist())) for row in _tree(groups)[1])
    assert rel.counts["published"] + rel.counts["suppressed"] + merged == n_clusters


@pytest.mark.parametrize("groups, levels", [
    ([(200, [0, 0, 0])], [0]),
    ([(200, [0, 0, 0]), (200, [1, 0, 0])], [1, 0, 0]),
])
def test_dp_mode_skips_a_parent_whose_only_child_is_selected(groups, levels):
    privacy = PrivacySettings(min_users=K, min_conversations=K,
                              dp=DPSettings(enabled=True, epsilon=8.0))
    rel, _ = _release(groups, privacy)
    assert rel.clusters["level"].to_list() == levels
    for cid in rel.clusters["cluster_id"].to_list():
        assert (rel.clusters["parent_id"] == cid).sum() != 1
