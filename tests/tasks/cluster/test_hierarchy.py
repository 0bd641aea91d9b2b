"""Parent levels: nested, deterministic, no single-child parents where the data allow,
and the Lance-Williams linkages equal scipy's (unweighted) and point-level ones (sized)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.cluster.hierarchy import fcluster, linkage

from chorus.core.settings import ClusterSettings
from tasks.cluster.hierarchy import (
    LINKAGES,
    attach_lone_children,
    group_nodes,
    level_linkages,
    level_sizes,
    merge_order,
    parent_maps,
    single_child_parents,
)
from tests.tasks.cluster.conftest import unit


def random_unit(m: int, d: int = 16, seed: int = 0) -> np.ndarray:
    x = np.random.default_rng(seed).normal(size=(m, d))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    """Two labelings group the items identically (labels may be renamed)."""
    pairs = set(zip(a.tolist(), b.tolist(), strict=True))
    return len(pairs) == len(set(a.tolist())) == len(set(b.tolist()))


def groups_at(merges: list[tuple[int, int]], m: int, n_groups: int) -> np.ndarray:
    slot = np.arange(m)
    for i, j in merges[: m - n_groups]:
        slot[slot == j] = i
    return slot


@pytest.mark.parametrize("method", ["ward", "average", "complete"])
def test_unweighted_linkages_equal_scipy_at_every_cut(method):
    cents = random_unit(30, seed=3)
    merges = merge_order(cents, np.ones(30), method)
    metric = "euclidean" if method == "ward" else "cosine"
    tree = linkage(cents.astype(np.float64), method=method, metric=metric)
    for t in (2, 5, 11, 29):
        assert same_partition(groups_at(merges, 30, t), fcluster(tree, t, "maxclust"))


@pytest.mark.parametrize("method, scipy_method, metric", [
    ("size_ward", "ward", "euclidean"), ("size_average", "average", "cosine")])
def test_size_weighted_linkages_equal_linkage_of_repeated_points(method, scipy_method, metric):
    """A node of weight w is w identical points: scipy merges those first (at 0), and
    every later merge is the weighted linkage's."""
    cents = random_unit(12, seed=5)
    weights = np.array([1, 7, 2, 3, 9, 1, 4, 2, 6, 1, 3, 5])
    points = np.repeat(cents.astype(np.float64), weights, axis=0)
    owner = np.repeat(np.arange(12), weights)
    tree = linkage(points, method=scipy_method, metric=metric)
    merges = merge_order(cents, weights, method)
    for t in (2, 4, 7, 11):
        cut = fcluster(tree, t, "maxclust")
        node_cut = np.array([cut[owner == i][0] for i in range(12)])
        assert all(len(set(cut[owner == i])) == 1 for i in range(12))
        assert same_partition(groups_at(merges, 12, t), node_cut)


def test_weights_change_the_sized_linkage_only():
    cents = random_unit(20, seed=1)
    heavy = np.arange(1, 21) ** 2
    for method in LINKAGES:
        a, b = merge_order(cents, np.ones(20), method), merge_order(cents, heavy, method)
        assert (a != b) == method.startswith("size_"), method


COMBINED = "size_average+size_ward"  # the default: one linkage for level 1, one above


@pytest.mark.parametrize("center", [False, True])
@pytest.mark.parametrize("n_base", [0, 1, 2, 3, 4, 5, 9, 24, 60, 141])
@pytest.mark.parametrize("method", [*LINKAGES, COMBINED])
def test_parent_maps_nested_dense_and_no_single_child_when_avoidable(n_base, method, center):
    cents = random_unit(n_base, seed=n_base)
    weights = np.arange(n_base) % 7 + 15
    sizes = level_sizes(n_base, 3, 0)
    maps = parent_maps(cents, sizes, method, weights, center)
    assert len(maps) == 2 and all(m.shape == (n_base,) for m in maps)
    below = np.arange(n_base)
    for level, m in enumerate(maps, start=1):
        n_below = np.unique(below).size
        if n_base:
            assert set(m.tolist()) == set(range(int(m.max()) + 1)), "dense ids"
            assert m.max() + 1 <= max(1, sizes[level])
        for p in np.unique(m):  # nested: a child's members share one parent
            children = np.unique(below[m == p])
            assert children.size >= 2 or n_below < 2, (level, p)
        for child in np.unique(below):
            assert np.unique(m[below == child]).size == 1
        below = m
    again = parent_maps(cents, sizes, method, weights, center)
    assert all(np.array_equal(a, b) for a, b in zip(maps, again, strict=True)), "deterministic"


@pytest.mark.parametrize("n_base, sizes, expected_counts, chains", [
    (0, [0, 0, 0], [0, 0], 0), (1, [1, 1, 1], [1, 1], 2), (2, [2, 1, 1], [1, 1], 1),
    (3, [3, 2, 2], [1, 1], 1), (4, [4, 3, 2], [2, 1], 0), (5, [5, 3, 2], [2, 1], 0),
    (6, [6, 3, 2], [3, 1], 0), (8, [8, 5, 3], [4, 2], 0)])
def test_group_counts_and_unavoidable_chains(n_base, sizes, expected_counts, chains):
    """Levels ask for at most half their nodes; chains remain only above a single node.
    Two pairs of nearly equal nodes and so on: every requested pairing is possible."""
    pairs = np.repeat(random_unit((n_base + 1) // 2, seed=7), 2, axis=0)[:n_base]
    cents = (pairs + 0.01 * random_unit(n_base, seed=8)).astype(np.float32)
    assert level_sizes(n_base, 3, 0) == sizes
    maps = parent_maps(cents / np.linalg.norm(cents, axis=1, keepdims=True), sizes, "ward")
    assert [int(m.max()) + 1 if m.size else 0 for m in maps] == expected_counts
    assert single_child_parents(maps) == chains


@pytest.mark.parametrize("n_base", [24, 60, 141])
@pytest.mark.parametrize("method", LINKAGES)
def test_group_counts_stay_close_to_the_requested_sizes(n_base, method):
    sizes = level_sizes(n_base, 3, 0)
    maps = parent_maps(random_unit(n_base, seed=7), sizes, method, np.arange(n_base) + 1)
    for m, size in zip(maps, sizes[1:], strict=True):
        assert 0.75 * size <= m.max() + 1 <= size


def test_lone_child_joins_the_nearest_group():
    cents = unit([[1, 0, 0], [0.9, 0.1, 0], [0, 1, 0], [0.1, 0.9, 0], [0.2, 1, 0.1]])
    groups = np.array([0, 0, 1, 1, 2])
    out = attach_lone_children(groups, cents, np.ones(5))
    assert out.tolist() == [0, 0, 1, 1, 1]
    assert attach_lone_children(np.array([0, 1]), cents[:2], np.ones(2)).tolist() == [0, 0]
    assert attach_lone_children(np.array([0, 0]), cents[:2], np.ones(2)).tolist() == [0, 0]


def test_a_far_outlier_is_attached_not_left_as_its_own_parent():
    """Three tight pairs and one node far from all: Ward cuts it off alone; it joins one."""
    pairs = [[1, 0, 0, 0], [0.95, 0.05, 0, 0], [0, 1, 0, 0], [0.05, 0.95, 0, 0],
             [0, 0, 1, 0], [0, 0.05, 0.95, 0]]
    cents = unit([*pairs, [0.1, 0.1, 0.1, 1]])
    groups = group_nodes(cents, np.ones(7), 3, "ward")
    counts = np.bincount(groups)
    assert counts.size == 3 and counts.min() >= 2
    assert groups[0] == groups[1] and groups[2] == groups[3] and groups[4] == groups[5]


def test_clear_structure_is_recovered_at_two_levels():
    rng = np.random.default_rng(0)
    tops = rng.normal(size=(3, 16))
    mids = np.concatenate([t + 0.3 * rng.normal(size=(3, 16)) for t in tops])
    base = np.concatenate([m + 0.05 * rng.normal(size=(3, 16)) for m in mids])
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    for method in LINKAGES:
        for center in (False, True):
            maps = parent_maps(base.astype(np.float32), [27, 9, 3], method, np.full(27, 20),
                               center)
            assert same_partition(maps[0], np.repeat(np.arange(9), 3)), (method, center)
            assert same_partition(maps[1], np.repeat(np.arange(3), 9)), (method, center)


def test_centering_removes_a_shared_direction():
    """Two topics of 2 and 3 nodes along a strong common direction: the centred centroids
    group them by topic."""
    common = np.array([10.0, 0, 0, 0])
    cents = unit([list(common + v) for v in ([0, 1, 0, 0], [0, 1.1, 0.1, 0],
                                             [0, -1, 0, 0.2], [0, -1.1, 0, 0],
                                             [0, -1, 0.1, 0])])
    maps = parent_maps(cents, [5, 2], "size_average", np.ones(5), center=True)
    assert maps[0].tolist() == [0, 0, 1, 1, 1]


@pytest.mark.parametrize("maps, expected", [
    ([np.array([0, 0, 1, 1])], 0), ([np.array([0, 0, 1])], 1),
    ([np.array([0, 1, 2]), np.array([0, 0, 1])], 4), ([], 0)])
def test_single_child_parents_counts(maps, expected):
    assert single_child_parents(maps) == expected


@pytest.mark.parametrize("spec, n_levels, expected", [
    ("ward", 0, []), ("ward", 1, ["ward"]), ("ward", 3, ["ward"] * 3),
    ("size_average+size_ward", 0, []), ("size_average+size_ward", 1, ["size_average"]),
    ("size_average+size_ward", 2, ["size_average", "size_ward"]),
    ("average+complete", 4, ["average", "complete", "complete", "complete"]),
])
def test_level_linkages_first_for_level_one_second_above(spec, n_levels, expected):
    assert level_linkages(spec, n_levels) == expected


@pytest.mark.parametrize("first, upper", [("size_average", "size_ward"), ("ward", "average"),
                                          ("complete", "complete")])
def test_a_combined_linkage_builds_level_one_as_first_and_the_rest_as_upper(first, upper):
    cents, weights = random_unit(60, seed=11), np.arange(60) % 5 + 10.0
    sizes = [60, 20, 8, 3]
    combined = parent_maps(cents, sizes, f"{first}+{upper}", weights, center=True)
    level_one = parent_maps(cents, sizes[:2], first, weights, center=True)[0]
    assert np.array_equal(combined[0], level_one)
    # the levels above: the upper linkage over level 1's groups (centred, size-weighted)
    centred = cents - cents.mean(axis=0)
    centred /= np.linalg.norm(centred, axis=1, keepdims=True)
    below = combined[0]
    for level, size in zip(combined[1:], sizes[2:], strict=True):
        n = int(below.max()) + 1
        sums = np.zeros((n, cents.shape[1]))
        np.add.at(sums, below, weights[:, None] * centred)
        node_w = np.bincount(below, weights=weights, minlength=n)
        groups = group_nodes(sums / np.linalg.norm(sums, axis=1, keepdims=True), node_w,
                             size, upper)
        assert np.array_equal(level, groups[below])
        below = level


@pytest.mark.parametrize("spec", ["single", "ward+", "+ward", "ward+single",
                                  "ward+ward+ward", "Ward"])
def test_unknown_linkage_fails_loudly(spec):
    with pytest.raises(ValueError, match="unknown linkage"):
        parent_maps(random_unit(4), [4, 2], spec)
    with pytest.raises(ValueError):
        ClusterSettings(linkage=spec)


def test_known_linkages_are_accepted():
    with pytest.raises(ValueError, match="unknown linkage"):
        merge_order(random_unit(3), np.ones(3), "single")
    assert ClusterSettings(linkage="size_ward").linkage == "size_ward"
    assert ClusterSettings().linkage == COMBINED
    assert ClusterSettings(linkage="average+ward").linkage == "average+ward"
