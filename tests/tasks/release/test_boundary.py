"""Boundary among affective conversations (tasks.release.boundary): k-1 / k / k+1 tables,
the guard of 'boundary_concern', its withholding upwards, and differences on random
trees."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from chorus.core.settings import LensSettings, PrivacySettings
from tasks.release import build_release
from tests.tasks.release.conftest import NO_PII, summaries, use_frame

pytestmark = pytest.mark.privacy

K = 5
PRIVACY = PrivacySettings(min_users=K, min_conversations=K)


def build(groups: list[tuple[int, bool, bool, bool, int]], levels: int = 1,
          concern_min_level: int = 0):
    """groups: (n conversations, affective, concern, boundary, base cluster), one user
    each; parents: base // 2 per level above."""
    users, aff, con, bnd, base = [], [], [], [], []
    for n, a, c, b, key in groups:
        users += [f"u{len(users) + i}" for i in range(n)]
        aff += [a] * n
        con += [c] * n
        bnd += [b] * n
        base += [key] * n
    labels = [base]
    for _ in range(levels - 1):
        labels.append([k // 2 for k in labels[-1]])
    keys = [sorted(set(row)) for row in labels]
    return build_release(use_frame(users, aff, concern=con, boundary=bnd),
                         np.array(labels, dtype=np.int32), summaries(keys), NO_PII,
                         len(users), PRIVACY, LensSettings(concern_min_level=concern_min_level))


def rows(rel, facet: str) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {}
    for r in rel.facets.filter(pl.col("facet") == facet).iter_rows(named=True):
        out.setdefault(r["cluster_id"], {})[r["value"]] = r["n_conversations"]
    return out


@pytest.mark.parametrize("n_boundary, shown", [(K - 1, False), (K, True), (K + 1, True)])
def test_boundary_among_affective_needs_k_in_each_value(n_boundary, shown):
    rel = build([(n_boundary, True, False, True, 0), (20, True, False, False, 0),
                 (20, False, False, False, 0)])
    (only,) = rows(rel, "boundary").values()
    assert only == ({"boundary": n_boundary, "no boundary": 20} if shown
                    else {"other": n_boundary + 20})


def test_boundary_needs_the_affective_row():
    rel = build([(10, True, False, True, 0), (10, True, False, False, 0),
                 (K - 1, False, False, False, 0)])                # task below k
    assert "boundary" not in set(rel.facets["facet"])
    assert "boundary_concern" not in set(rel.facets["facet"])


def test_boundary_only_from_concern_min_level():
    groups = [(10, True, False, True, k) for k in range(4)] + \
        [(10, True, False, False, k) for k in range(4)] + \
        [(10, False, False, False, k) for k in range(4)]
    rel = build(groups, levels=2, concern_min_level=1)
    levels = dict(zip(rel.clusters["cluster_id"], rel.clusters["level"], strict=True))
    assert {levels[c] for c in rows(rel, "boundary")} == {1}


@pytest.mark.parametrize("task_concern, shown", [(0, True), (K - 1, False), (K, True),
                                                 (K + 1, True)])
def test_boundary_concern_guards_the_task_conversations_with_concern(task_concern, shown):
    # support_path's concern rows minus this facet's total = task conversations with concern
    rel = build([(K, True, True, True, 0), (K, True, True, False, 0),
                 (20, True, False, True, 0), (20, True, False, False, 0),
                 (20, False, False, False, 0), (task_concern, False, True, False, 0)])
    got = rows(rel, "boundary_concern")
    assert bool(got) is shown
    if shown:
        assert got == {cid: {"boundary": K, "no boundary": K} for cid in got}


@pytest.mark.parametrize("aff_plain_boundary, shown", [(K - 1, False), (K, True)])
def test_boundary_concern_guards_the_boundary_rows(aff_plain_boundary, shown):
    # 'boundary' minus 'boundary_concern' boundary = affective, boundary, no concern
    rel = build([(K, True, True, True, 0), (K, True, True, False, 0),
                 (aff_plain_boundary, True, False, True, 0), (20, True, False, False, 0),
                 (20, False, False, False, 0)])
    assert bool(rows(rel, "boundary_concern")) is shown


def test_a_withheld_child_withholds_its_parent():
    # child 0 fails the guard (K-1 task conversations with concern), child 1 passes
    ok = [(K, True, True, True, 1), (K, True, True, False, 1), (20, True, False, True, 1),
          (20, True, False, False, 1), (20, False, False, False, 1)]
    bad = [(x[0], *x[1:4], 0) for x in ok] + [(K - 1, False, True, False, 0)]
    rel = build(ok + bad, levels=2)
    levels = dict(zip(rel.clusters["cluster_id"], rel.clusters["level"], strict=True))
    got = rows(rel, "boundary_concern")
    assert [levels[c] for c in got] == [0]                   # only the passing child


def test_hiding_a_top_cluster_affective_rows_hides_its_boundary_rows():
    # as in test_facet_rows: T2's affective rows are hidden to keep the run's share
    groups = [(60, False, False, False, 0), (60, False, False, False, 1),
              (3, True, False, True, 1), (20, True, False, True, 2),
              (20, True, False, False, 2), (20, False, False, False, 2)]
    rel = build(groups)
    assert rel.counts["n_affective"] == 43
    assert not any("affective" in v for v in rows(rel, "affective").values())
    assert not rows(rel, "boundary") and not rows(rel, "boundary_concern")


def total(values: dict[str, int]) -> int:
    return sum(values.values())


@pytest.mark.parametrize("seed", range(10))
def test_no_boundary_difference_is_small_on_random_trees(seed):
    rng = np.random.default_rng(seed)
    n = 1200
    base = rng.integers(0, 8, n)
    aff = rng.random(n) < rng.choice([0.2, 0.6], n)
    con = rng.random(n) < 0.12
    bnd = rng.random(n) < np.where(con, 0.5, 0.15)
    groups = [(1, bool(a), bool(c), bool(b), int(k))
              for a, c, b, k in zip(aff, con, bnd, base, strict=True)]
    rel = build(groups, levels=3)
    kids: dict[int, list[int]] = {}
    for r in rel.clusters.iter_rows(named=True):
        kids.setdefault(r["parent_id"], []).append(r["cluster_id"])
    b, bc, sp, af = (rows(rel, f) for f in ("boundary", "boundary_concern", "support_path",
                                             "affective"))
    assert bc, "the guard lets some node show boundary_concern"
    n_children_rows = [0]
    for cid, values in bc.items():
        # nested in the same node: every difference is empty or >= k
        for v in ("boundary", "no boundary"):
            if v in values and v in b.get(cid, {}):
                d = b[cid][v] - values[v]
                assert d == 0 or d >= K
        d = af[cid]["affective"] - total(values)
        assert d == 0 or d >= K
        if "no concern" in sp.get(cid, {}):
            d = total(sp[cid]) - sp[cid]["no concern"] - total(values)
            assert d == 0 or d >= K
        # across levels: the parent's rows are the sum of its children's, 'other' too
        children = kids.get(cid, [])
        if children:
            assert total(values) == sum(total(bc.get(c, {})) for c in children)
            n_children_rows[0] += 1
        for v in ("boundary", "no boundary"):
            if v in values and children:
                assert values[v] == sum(bc.get(c, {}).get(v, 0) for c in children)
    assert n_children_rows[0], "some parent shows boundary_concern"
