"""Which title each cluster gets: distinct among siblings and along every ancestor line.

Each cluster has its title options in order of preference (``tasks.summarize.names``). Two
rules bind: siblings (same parent, same level; the top level is one group) never share a
name, and no cluster shares a name with an ancestor or a descendant. Within those rules:

* ``order``: ``"bottom_up"`` names the base clusters first and then each level above,
  a parent taking no name any of its descendants holds; ``"top_down"`` names the top
  level first, a child taking no name of an ancestor. Bottom-up keeps a base cluster's
  only k-backed phrase for the base cluster ("Repeat" under a parent that could be
  named nothing else), which is the level an analyst reads most; top-down gives it to
  the parent and leaves the child unnamed.
* per sibling group, titles are assigned by a minimum-cost matching
  (``scipy.optimize.linear_sum_assignment``): a cluster pays ``size * rank`` for its
  option of that rank and, for none, more than all other costs of the group together, so
  as many clusters as possible are named, then the unnamed ones are the smallest, and
  among those assignments larger clusters keep their better options. A greedy walk
  (largest sibling first) leaves a small sibling unnamed whenever a larger one took its
  only option.

A cluster with no free option stays unnamed (None): the fallback is never a below-k word.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

Order = Literal["bottom_up", "top_down"]


@dataclass(frozen=True)
class Node:
    """One cluster to name: (level, key), its parent's key at level + 1 (None at the top),
    its size (requests) and its title options, best first."""

    level: int
    key: int
    parent: int | None
    size: int
    options: Sequence[str]


def match_group(nodes: Sequence[Node], forbidden: Callable[[Node], set[str]]) -> list[str | None]:
    """One sibling group's names (aligned with ``nodes``): the minimum-cost matching of
    nodes to distinct options not in ``forbidden(node)``; None where none is left."""
    allowed = [[o for o in n.options if o not in forbidden(n)] for n in nodes]
    # a node whose first option no other node lists takes it: that costs it nothing and
    # no one else anything, so only the contested rest goes to the matching (small even
    # when hundreds of siblings share one parent)
    listed: dict[str, int] = {}
    for opts in allowed:
        for o in set(opts):
            listed[o] = listed.get(o, 0) + 1
    out: list[str | None] = [None] * len(nodes)
    rest = []
    for i, opts in enumerate(allowed):
        if opts and listed[opts[0]] == 1:
            out[i] = opts[0]
        else:
            rest.append(i)
    if rest:
        for i, name in zip(rest, _matching([nodes[i] for i in rest],
                                           [allowed[i] for i in rest]), strict=True):
            out[i] = name
    return out


def _matching(nodes: Sequence[Node], allowed: list[list[str]]) -> list[str | None]:
    """The minimum-cost matching of ``match_group`` over already filtered options."""
    columns = sorted({o for opts in allowed for o in opts})
    if not columns:
        return [None] * len(nodes)
    from scipy.optimize import linear_sum_assignment

    index = {o: j for j, o in enumerate(columns)}
    # lexicographic costs: one more unnamed node outweighs everything else; then the
    # unnamed nodes' sizes and the ranks, both weighted by size
    total = sum(max(n.size, 1) for n in nodes)
    ranks = 1 + max(len(opts) for opts in allowed)
    unnamed = float(2 * total * ranks + 1)
    forbid = unnamed * (len(nodes) + 2)
    # columns: the options, then one "no name" column per node
    cost = np.full((len(nodes), len(columns) + len(nodes)), forbid)
    for i, (node, opts) in enumerate(zip(nodes, allowed, strict=True)):
        weight = max(node.size, 1)
        for rank, o in enumerate(opts):
            cost[i, index[o]] = weight * rank
        cost[i, len(columns) + i] = unnamed + weight * ranks
    rows, cols = linear_sum_assignment(cost)
    out: list[str | None] = [None] * len(nodes)
    for i, j in zip(rows, cols, strict=True):
        if j < len(columns) and cost[i, j] < forbid:
            out[int(i)] = columns[int(j)]
    return out


def assign(nodes: Sequence[Node], n_levels: int,
           order: Order = "bottom_up") -> dict[tuple[int, int], str | None]:
    """(level, key) -> name under the sibling and ancestor rules (module docstring)."""
    by_level: dict[int, list[Node]] = {}
    for n in nodes:
        by_level.setdefault(n.level, []).append(n)
    names: dict[tuple[int, int], str | None] = {}
    # names held on the line through a node: above it (top-down) or below it (bottom-up)
    held: dict[tuple[int, int], set[str]] = {}

    def forbidden(n: Node) -> set[str]:
        if order == "top_down":  # the names of its ancestors
            return held.get((n.level + 1, n.parent), set()) if n.parent is not None else set()
        return held.get((n.level, n.key), set())  # those of its descendants

    levels = range(n_levels) if order == "bottom_up" else range(n_levels - 1, -1, -1)
    for level in levels:
        groups: dict[int | None, list[Node]] = {}
        for n in sorted(by_level.get(level, []), key=lambda n: (-n.size, n.key)):
            groups.setdefault(n.parent, []).append(n)
        for group in groups.values():
            for n, name in zip(group, match_group(group, forbidden), strict=True):
                names[(level, n.key)] = name
                line = forbidden(n) | ({name} if name else set())
                held[(level, n.key)] = line
                if order == "bottom_up" and n.parent is not None:
                    held.setdefault((level + 1, n.parent), set()).update(line)
    return names
