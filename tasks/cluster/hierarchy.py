"""Parent levels above the base clusters: nested, deterministic, no single-child parents.

``parent_maps(cents, sizes, linkage, weights)`` returns, for each level >= 1, the parent
(0-based, dense) of every base cluster. Levels are built bottom-up: the nodes of level
L-1 (base clusters, or the parents found one level below) are grouped by one
agglomerative linkage over their centroids (``LINKAGES``), stopped at ``sizes[L]``
groups, so every node has exactly one parent and the levels nest by construction.

No parent has a single child where the data allow it: a level never asks for more than
half as many groups as it has nodes, and a node left alone after the cut joins the group
whose centroid is nearest to it (cosine, lowest index first; groups' centroids are the
size-weighted means of their members' unit centroids). The cut is then moved up by the
number of groups missing (halved where that overshoots) until the level holds
``sizes[L]`` groups (or no cut gives more).
A single-child parent remains only where a level has a single node (fewer than two
base clusters, or a level above one whose nodes already merged into one): such a chain
cannot be split with fixed levels, and ``single_child_parents`` counts it; the release
gate publishes such a chain once (``tasks.release.build``: a parent that repeats its
only child is skipped).

``level_sizes`` picks geometrically shrinking group counts per level, as Clio sizes its
levels. Linkages (``cluster.linkage``; measured by ``python -m bench.hierarchy_eval``):

* ``ward``: Ward on the unit centroids, every node weighing one.
* ``size_ward``: Ward with each node weighing its conversations: the merge cost of A
  and B is n_A n_B / (n_A + n_B) ||c_A - c_B||^2, i.e. point-level Ward constrained to
  keep base clusters whole.
* ``average`` / ``complete``: average / complete linkage on cosine distance, nodes
  weighing one.
* ``size_average``: average cosine linkage with nodes weighing their conversations.
* ``a+b``: ``a`` for level 1, ``b`` for the levels above it.

All five run on one Lance-Williams agglomeration (``merge_order``): O(m^2) memory and
O(m^3) time for m nodes (m = 500 base clusters: under a second). ``center``
(``cluster.center_centroids``) subtracts the mean base centroid first: MiniLM's vectors
share one strong direction, and without it every centroid looks alike.

Default ``size_average+size_ward`` on centred centroids: size-weighted average linkage
for level 1 (the parents of the base clusters) and size-weighted Ward for every level
above (``level_linkages``), chosen on CLINC150's train split (4,500 sampled queries,
``python -m bench.hierarchy_eval``) and reported on its test split in ``make eval``; the
table of every variant and what else was tried (graphs of member votes, shared nearest
neighbours, spectral grouping, UMAP-space centroids, word statistics, whitening) is in
README's "Parent levels" decision and ``bench/results/latest.json`` (``hierarchy``).
Average linkage gives the purest small groups; Ward's variance criterion the flattest,
most balanced top level, which is what a handful of broad topics needs.
"""

from __future__ import annotations

import numpy as np

LINKAGES = ("ward", "size_ward", "average", "complete", "size_average")
LINKAGE_PATTERN = "^({0})(\\+({0}))?$".format("|".join(LINKAGES))


def level_linkages(spec: str, n_levels: int) -> list[str]:
    """The linkage of each of ``n_levels`` parent levels from ``cluster.linkage``.

    ``"a"``: every level uses ``a``; ``"a+b"``: the parents of the base clusters (level 1)
    use ``a`` and every level above uses ``b``.

    Raises:
        ValueError: a part that is not one of ``LINKAGES``, or more than two parts.
    """
    parts = spec.split("+")
    if len(parts) > 2 or any(p not in LINKAGES for p in parts):
        raise ValueError(f"unknown linkage {spec!r}; expected one of {LINKAGES}, "
                         "or two joined by '+'")
    return ([parts[0]] + [parts[-1]] * (n_levels - 1))[:n_levels]


def level_sizes(n_base: int, levels: int, top: int) -> list[int]:
    """Cluster counts per level, geometric from n_base down to the top count."""
    if n_base <= 1 or levels == 1:
        return [n_base] * levels
    top = top or max(1, round(n_base ** 0.5))
    top = min(top, n_base)
    ratio = (top / n_base) ** (1.0 / (levels - 1))
    sizes = [n_base] + [max(top, round(n_base * ratio**lvl)) for lvl in range(1, levels)]
    for i in range(1, levels):  # strictly shrinking where possible, never growing
        sizes[i] = min(sizes[i], max(top, sizes[i - 1] - 1))
    return sizes


def _unit(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms == 0, 1, norms)


def merge_order(cents: np.ndarray, weights: np.ndarray, linkage: str) -> list[tuple[int, int]]:
    """The m - 1 merges of an agglomeration of m nodes, in order.

    Args:
        cents: (m, d) unit centroids.
        weights: (m,) positive node weights (conversations per node).
        linkage: one of ``LINKAGES``.

    Returns:
        (i, j) node slots with i < j: the group held in slot j joins slot i. Ties break
        to the lowest flat index, so the order is deterministic.
    """
    if linkage not in LINKAGES:
        raise ValueError(f"unknown linkage {linkage!r}; expected one of {LINKAGES}")
    m = cents.shape[0]
    c = cents.astype(np.float64)
    n = (weights if linkage.startswith("size_") else np.ones(m)).astype(np.float64)
    if linkage.endswith("ward"):
        sq_norms = (c * c).sum(axis=1)
        sq = np.maximum(sq_norms[:, None] + sq_norms[None, :] - 2.0 * (c @ c.T), 0.0)
        dist = n[:, None] * n[None, :] / (n[:, None] + n[None, :]) * sq
    else:
        dist = np.maximum(1.0 - c @ c.T, 0.0)
    np.fill_diagonal(dist, np.inf)
    merges = []
    for _ in range(m - 1):
        i, j = divmod(int(np.argmin(dist)), m)
        i, j = min(i, j), max(i, j)
        dij, di, dj = dist[i, j], dist[i].copy(), dist[j].copy()
        if linkage.endswith("ward"):  # Lance-Williams for the Ward merge cost
            new = ((n[i] + n) * di + (n[j] + n) * dj - n * dij) / (n[i] + n[j] + n)
        elif linkage == "complete":
            new = np.maximum(di, dj)
        else:  # average (UPGMA) over the node weights
            new = (n[i] * di + n[j] * dj) / (n[i] + n[j])
        dist[i, :] = new
        dist[:, i] = new
        dist[j, :] = np.inf
        dist[:, j] = np.inf
        dist[i, i] = np.inf
        n[i] += n[j]
        merges.append((i, j))
    return merges


def _groups_after(merges: list[tuple[int, int]], m: int, n_groups: int) -> np.ndarray:
    """Group (dense, numbered by lowest member) of each of m nodes after m - n_groups merges."""
    slot = np.arange(m)
    for i, j in merges[: m - n_groups]:
        slot[slot == j] = i
    _, dense = np.unique(slot, return_inverse=True)
    return dense.astype(np.int32)


def attach_lone_children(groups: np.ndarray, cents: np.ndarray,
                         weights: np.ndarray) -> np.ndarray:
    """Move every node alone in its group to the group with the nearest centroid.

    Args:
        groups: (m,) group of each node; cents (m, d) unit; weights (m,) positive.

    Returns:
        (m,) dense groups in which no group has one node, unless there is one group.
    """
    groups = groups.copy()
    n_groups = int(groups.max()) + 1 if groups.size else 0
    sums = np.zeros((n_groups, cents.shape[1]))
    np.add.at(sums, groups, weights[:, None] * cents.astype(np.float64))
    members = np.bincount(groups, minlength=n_groups)
    for node in range(groups.size):
        g = groups[node]
        if members[g] != 1 or (members > 0).sum() == 1:
            continue
        sims = _unit(sums) @ cents[node]
        sims[(members == 0) | (np.arange(n_groups) == g)] = -np.inf
        target = int(np.argmax(sims))
        groups[node], members[g], members[target] = target, 0, members[target] + 1
        sums[target] += sums[g]
        sums[g] = 0.0
    _, dense = np.unique(groups, return_inverse=True)
    return dense.astype(np.int32)


def group_nodes(cents: np.ndarray, weights: np.ndarray, n_groups: int,
                linkage: str) -> np.ndarray:
    """(m,) group of each node: about ``n_groups`` groups, each of >= 2 nodes when m >= 2.

    At most m // 2 groups are asked for; lone nodes join their nearest group, and the cut
    moves up by the groups missing until at least that many remain or none is left.
    """
    m = cents.shape[0]
    if m <= 1:
        return np.zeros(m, dtype=np.int32)
    merges = merge_order(cents, weights, linkage)
    target = max(1, min(n_groups, m // 2))
    def fixed(cut: int) -> np.ndarray:
        return attach_lone_children(_groups_after(merges, m, cut), cents, weights)

    cut, best = target, fixed(target)
    while best.max() + 1 < target and cut < m - 1:
        step = target - int(best.max()) - 1  # ask for the groups missing, halving on overshoot
        while True:
            candidate = fixed(min(m - 1, cut + step))
            if candidate.max() + 1 <= target or step == 1:
                break
            step = max(1, step // 2)
        cut = min(m - 1, cut + step)
        if candidate.max() > best.max():
            best = candidate
    return best


def parent_maps(cents: np.ndarray, sizes: list[int], linkage: str = "ward",
                weights: np.ndarray | None = None, center: bool = False) -> list[np.ndarray]:
    """For each level >= 1, the parent label (0-based, dense) of every base cluster.

    Args:
        cents: (n_base, d) unit centroids of the base clusters.
        sizes: group counts per level (``level_sizes``); sizes[0] is the base level.
        linkage: one of ``LINKAGES``, or ``"a+b"``: ``a`` for level 1 and ``b`` above
            (``level_linkages``).
        weights: (n_base,) conversations per base cluster (default: all one).
        center: subtract the mean base centroid (then unit length again) first, so the
            direction every sentence embedding shares does not dominate the distances.

    Returns:
        levels - 1 int32 arrays of shape (n_base,); level L+1 groups whole level-L groups.
    """
    n_base = cents.shape[0]
    if center and n_base:
        cents = _unit(cents.astype(np.float64) - cents.astype(np.float64).mean(axis=0))
    base_w = np.ones(n_base) if weights is None else np.asarray(weights, dtype=np.float64)
    node_of_base = np.arange(n_base)
    maps = []
    for size, level_linkage in zip(sizes[1:], level_linkages(linkage, len(sizes) - 1),
                                   strict=True):
        n_nodes = int(node_of_base.max()) + 1 if n_base else 0
        sums = np.zeros((n_nodes, cents.shape[1]))
        np.add.at(sums, node_of_base, base_w[:, None] * cents.astype(np.float64))
        node_w = np.bincount(node_of_base, weights=base_w, minlength=n_nodes)
        parent = group_nodes(_unit(sums), node_w, size, level_linkage)
        node_of_base = parent[node_of_base] if n_base else node_of_base
        maps.append(node_of_base.astype(np.int32))
    return maps


def single_child_parents(maps: list[np.ndarray]) -> int:
    """Parents (over all levels >= 1) that have exactly one child one level below."""
    count = 0
    below = np.arange(maps[0].size) if maps else np.array([])
    for level in maps:
        for p in np.unique(level):
            count += int(np.unique(below[level == p]).size == 1)
        below = level
    return count
