"""Facet rows of the published tree that cannot be differenced across levels.

Within one cluster, rule 2 of the gate (``tasks.release.partition.split_partition``) makes a
facet's rows safe: small values are shown only inside an "other" row that meets k. Across
levels that is not enough. If a parent shows ``language = fr: 20`` and its children show
``fr: 12`` and (folded into 'other') nothing, the parent minus the children is the child's
8 French conversations: a small group the child had hidden.

The rule here closes that, bottom-up: a node (published cluster, 'other' row, or the run
itself) may show value v of a facet only if every child node that carries the facet
either shows v too or has no conversation with v. Then every number a parent shows is the
sum of numbers its children show, so the parent adds no equation an analyst could
subtract; by induction every published facet number is a sum of per-node rows that are
each safe under rule 2, over disjoint groups. Values a child hides are hidden by its
parent as well (in the parent's 'other' row), which costs detail at coarse levels and is
the price of the guarantee.

Two-valued facets (``FacetSpec.relaxed``: affective/task) use a weaker rule that is
still enough, so that one small hidden cell deep in the tree does not withhold every
coarser share, the run's headline share included. A node shows both values or neither
(then its 'other' row is its total). It shows them when each meets k in the node and,
per value, the node's conversations of that value that no showing node below it holds
(the only group its rows add to what the tree already shows) are none or meet k. These
uncovered groups of different showing nodes are disjoint, so every published number is
a sum of shown rows and such groups, each empty or of at least k users.

A facet whose domain total is no published number (``FacetSpec.guard``: boundary among
affective conversations with concern) is withheld at a node where its guard fails, and
at every node above one that withheld it (or published no row of it, its total being
below k) while holding conversations of its domain: a parent's 'other' row never holds
such a child's conversations, so the parent's rows stay sums of its children's.

Secondary suppression for the run's headline share: while one of the run's uncovered
groups is non-empty and below k, the run hides the relaxed facet at the smallest topmost
showing node holding members of that value, descending below clusters that show nothing
themselves. A node it hides loses the rows of every facet that ``requires`` the relaxed
one, and so do the nodes between it and the run.

Inputs are index arrays into per-conversation value arrays; nothing here reads text.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class FacetSpec:
    """One facet: per-conversation values and where it is published.

    Attributes:
        name: facet name as written to ``cluster_facets.facet``.
        values: (n,) str values, aligned with the release's conversations.
        domain: (n,) bool, the conversations the facet covers (None: all).
        min_level: nodes below this level carry no rows of this facet.
        max_level: nodes above this level carry none either (None: no limit).
        relaxed: a two-valued facet shown under the uncovered-group rule (docstring).
        requires: (facet, value): the facet is published at a node only when that node
            shows this value of that (earlier) facet, or has no conversation outside the
            domain. Used by 'outcome', which covers multi-turn conversations only: its
            total is the node minus the turns_bucket '1' row, which must then be shown.
        guard: guard(node members) -> bool: the facet is published at a node only when
            it holds there and no child withheld the facet while holding conversations of
            its domain (module docstring). For a facet whose domain total is not itself a
            published number; the guard checks the groups that total could be
            subtracted from.
    """

    name: str
    values: np.ndarray
    domain: np.ndarray | None = None
    min_level: int = 0
    max_level: int | None = None
    requires: tuple[str, str] | None = None
    relaxed: bool = False
    guard: Callable[[np.ndarray], bool] | None = None

    def __post_init__(self) -> None:
        if self.relaxed and (self.min_level or self.requires or self.domain is not None
                             or self.guard is not None):
            raise ValueError("a relaxed facet applies to every node and every conversation")


@dataclass
class Node:
    """A group of conversations that the release shows a total for."""

    key: Hashable
    level: int
    idx: np.ndarray                       # member rows
    children: list[Hashable] = field(default_factory=list)
    publish_rows: bool = True             # False: only constrains its parent (e.g. noise)
    prefer_show: bool = False             # the run: hide children to show a relaxed facet


# split(keys, users, exclude) -> tasks.release.partition.Split (published keys, {key: (n_conv,
# n_users)}, the 'other' row's (n_conv, n_users) or None)
SplitFn = Callable[[np.ndarray, np.ndarray, frozenset], Any]
# meets(n_conversations, n_users) -> the thresholds hold
MeetsFn = Callable[[int, int], bool]


def consistent_facet_rows(nodes: Sequence[Node], specs: Sequence[FacetSpec],
                          users: np.ndarray, split: SplitFn, meets: MeetsFn
                          ) -> tuple[dict[Hashable, list[dict]], dict[Hashable, dict]]:
    """Rows of every facet at every node, consistent across levels.

    Args:
        nodes: every node of the tree, with children listed (children's levels lower).
        specs: facets in publication order (a ``requires`` refers to an earlier spec).
        users: (n,) user ids.
        split: rule 2 of the gate with values that must not be shown alone.
        meets: the gate's thresholds on a group's (conversations, distinct users).

    Returns:
        ({node key: [{facet, value, n_conversations, n_users}, ...]} for nodes with
        ``publish_rows``, {node key: {facet: set of values shown, or None when the facet
        does not apply at the node}}).
    """
    by_key = {n.key: n for n in nodes}
    covers: dict[tuple[Hashable, str], np.ndarray] = {}  # relaxed facets: covered members
    shown: dict[Hashable, dict[str, set[str] | None]] = {}
    rows: dict[Hashable, list[dict]] = {}
    withheld: set[tuple[Hashable, str]] = set()  # (node, facet): withheld with members
    for node in sorted(nodes, key=lambda n: n.level):
        shown[node.key], rows[node.key] = {}, []
        for spec in specs:
            if node.level < spec.min_level or (spec.max_level is not None
                                               and node.level > spec.max_level):
                shown[node.key][spec.name] = None
                continue
            idx = node.idx if spec.domain is None else node.idx[spec.domain[node.idx]]
            if spec.requires is not None and idx.size < node.idx.size:
                facet, value = spec.requires
                if value not in (shown[node.key].get(facet) or set()):
                    shown[node.key][spec.name] = set()
                    if idx.size:
                        withheld.add((node.key, spec.name))
                    continue
            if idx.size == 0:
                shown[node.key][spec.name] = set()
                continue
            if spec.guard is not None and (
                    not spec.guard(node.idx)
                    or any((c, spec.name) in withheld for c in node.children)):
                shown[node.key][spec.name] = set()
                withheld.add((node.key, spec.name))
                continue
            if spec.relaxed:
                show, bad = _relaxed_shown(node, spec, by_key, users, meets, covers)
                while not show and bad and node.prefer_show:
                    # secondary suppression for the run's headline: hide the smallest
                    # topmost showing node that holds members of a value whose uncovered
                    # group is too small, until the groups meet k (or nothing is left)
                    path = _node_to_hide(node, spec, by_key, shown, bad)
                    if path is None:
                        break
                    _hide_relaxed(path, spec, specs, by_key, users, shown, rows,
                                  withheld, covers)
                    show, bad = _relaxed_shown(node, spec, by_key, users, meets, covers)
                shown[node.key][spec.name] = show
                rows[node.key] += _relaxed_rows(idx, spec, show, users)
                continue
            hidden: set[str] = set()
            for child_key in node.children:
                child = by_key[child_key]
                child_shown = shown[child_key].get(spec.name)
                if child_shown is None:
                    continue  # the facet is not published at the child's level
                cidx = (child.idx if spec.domain is None
                        else child.idx[spec.domain[child.idx]])
                hidden |= set(np.unique(spec.values[cidx]).tolist()) - child_shown
            names, codes = np.unique(spec.values[idx], return_inverse=True)
            exclude = frozenset(int(c) for c, v in enumerate(names.tolist()) if v in hidden)
            result = split(codes, users[idx], exclude)
            published, sizes, other = result.published, result.sizes, result.other
            shown[node.key][spec.name] = {str(names[c]) for c in published}
            rows[node.key] += [{"facet": spec.name, "value": str(names[c]),
                                "n_conversations": sizes[c][0], "n_users": sizes[c][1]}
                               for c in published]
            if other is not None:
                rows[node.key].append({"facet": spec.name, "value": "other",
                                       "n_conversations": other[0], "n_users": other[1]})
            elif not published:  # members, but not even one 'other' row: its total < k
                withheld.add((node.key, spec.name))
    return {k: v for k, v in rows.items() if by_key[k].publish_rows}, shown


def _withhold_dependents(key: Hashable, facet: str, specs: Sequence[FacetSpec],
                         shown: dict, rows: dict, withheld: set) -> None:
    """Drop a node's rows of every facet that ``requires`` ``facet``, now hidden there."""
    for dep in specs:
        if (dep.requires is not None and dep.requires[0] == facet
                and shown[key].get(dep.name) is not None):
            shown[key][dep.name] = set()
            rows[key] = [r for r in rows[key] if r["facet"] != dep.name]
            withheld.add((key, dep.name))


def _relaxed_rows(idx: np.ndarray, spec: FacetSpec, show: set[str],
                  users: np.ndarray) -> list[dict]:
    """Rows of a relaxed facet at a node: both values, or one 'other' row (the total)."""
    if not show:
        return [{"facet": spec.name, "value": "other", "n_conversations": int(idx.size),
                 "n_users": int(np.unique(users[idx]).size)}]
    out = []
    for value in sorted(show):
        members = idx[spec.values[idx] == value]
        out.append({"facet": spec.name, "value": value, "n_conversations": int(members.size),
                    "n_users": int(np.unique(users[members]).size)})
    return out


def _covered_below(node: Node, spec: FacetSpec, by_key: dict, users: np.ndarray,
                   covers: dict) -> np.ndarray:
    """(len(node.idx),) bool: members held by a showing node strictly below ``node``."""
    scratch = np.zeros(users.size, dtype=bool)
    for child_key in node.children:
        if (child_key, spec.name) in covers:
            scratch[by_key[child_key].idx] = covers[(child_key, spec.name)]
    return scratch[node.idx]


def _meets(members: np.ndarray, users: np.ndarray, meets: MeetsFn) -> bool:
    return meets(int(members.size), int(np.unique(users[members]).size))


def _deficient(node: Node, spec: FacetSpec, users: np.ndarray, meets: MeetsFn,
               covered: np.ndarray) -> tuple[list[str], bool]:
    """(values whose uncovered group is non-empty and below k, every value meets k)."""
    values = spec.values[node.idx]
    bad, all_meet = [], True
    for value in np.unique(values).tolist():
        members = values == value
        all_meet &= _meets(node.idx[members], users, meets)
        uncovered = node.idx[members & ~covered]
        if uncovered.size and not _meets(uncovered, users, meets):
            bad.append(str(value))
    return bad, all_meet


def _relaxed_shown(node: Node, spec: FacetSpec, by_key: dict, users: np.ndarray,
                   meets: MeetsFn, covers: dict) -> tuple[set[str], list[str]]:
    """Values a node shows under the uncovered-group rule (both of them or none), and the
    values that alone keep it from showing them (their uncovered group is too small;
    empty when something else does); records which of its members are covered by it or
    by a showing node below it."""
    covered = _covered_below(node, spec, by_key, users, covers)
    names = np.unique(spec.values[node.idx])
    bad, all_meet = _deficient(node, spec, users, meets, covered)
    fixable = 0 < names.size <= 2 and all_meet
    show = {str(v) for v in names.tolist()} if fixable and not bad else set()
    covers[(node.key, spec.name)] = np.ones(node.idx.size, dtype=bool) if show else covered
    return show, (bad if fixable else [])


def _node_to_hide(root: Node, spec: FacetSpec, by_key: dict, shown: dict,
                  bad: list[str]) -> list[Node] | None:
    """The path (root's child first) to the smallest showing node below ``root`` with no
    showing node between them that holds members of a ``bad`` value (None: none).

    Hiding such a node moves its members that no showing node below it covers into
    ``root``'s uncovered groups; the nodes between it and ``root`` show nothing already.
    """
    candidates: list[list[Node]] = []
    stack: list[list[Node]] = [[by_key[c]] for c in root.children]
    while stack:
        path = stack.pop()
        node = path[-1]
        if not shown[node.key].get(spec.name):
            stack += [[*path, by_key[c]] for c in node.children]
        elif np.isin(spec.values[node.idx], bad).any():
            candidates.append(path)
    return min(candidates, key=lambda p: (p[-1].idx.size, str(p[-1].key)), default=None)


def _hide_relaxed(path: list[Node], spec: FacetSpec, specs: Sequence[FacetSpec],
                  by_key: dict, users: np.ndarray, shown: dict, rows: dict,
                  withheld: set, covers: dict) -> None:
    """Hide ``spec`` at ``path[-1]`` (its rows become the one 'other' row), withhold what
    ``requires`` it there and at every node above it on ``path`` (their strict rows
    were sums over a child that now shows nothing), and recompute the covered members of
    the path's nodes, bottom-up."""
    hidden = path[-1]
    shown[hidden.key][spec.name] = set()
    rows[hidden.key] = [r for r in rows[hidden.key] if r["facet"] != spec.name]
    rows[hidden.key] += _relaxed_rows(hidden.idx, spec, set(), users)
    for node in reversed(path):
        _withhold_dependents(node.key, spec.name, specs, shown, rows, withheld)
        covers[(node.key, spec.name)] = _covered_below(node, spec, by_key, users, covers)
