"""The reliance histogram (tasks.release.reliance): k users behind every range, merges at
k-1 / k / k+1, no per-user row, and no run-minus-cluster difference below k."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from chorus.core.settings import LensSettings, PrivacySettings
from tasks.release import build_release
from tasks.release.reliance import all_partitions
from tests.tasks.release.conftest import NO_PII, summaries, use_frame

pytestmark = pytest.mark.privacy

K = 5
PRIVACY = PrivacySettings(min_users=K, min_conversations=K)


def people(spec: list[tuple[str, int, int]]) -> tuple[list[str], list[bool]]:
    """(prefix, number of users, conversations each) -> users, affective (all True)."""
    users, aff = [], []
    for prefix, n_users, each in spec:
        for u in range(n_users):
            users += [f"{prefix}{u}"] * each
            aff += [True] * each
    return users, aff


def release(users: list[str], aff: list[bool], labels: list[list[int]] | None = None,
            privacy: PrivacySettings = PRIVACY, **cols):
    labels = labels or [[0] * len(users)]
    arr = np.array(labels, dtype=np.int32)
    keys = [sorted(set(row)) for row in labels]
    return build_release(use_frame(users, aff, **cols), arr, summaries(keys), NO_PII,
                         len(users), privacy, LensSettings(concern_min_level=0))


def run_hist(rel) -> dict[str, int]:
    f = rel.run_facets.filter(pl.col("facet") == "reliance")
    return dict(zip(f["value"], f["n_users"], strict=True))


def cluster_hist(rel, cid: int) -> dict[str, tuple[int, int]]:
    f = rel.facets.filter((pl.col("facet") == "reliance") & (pl.col("cluster_id") == cid))
    return {r["value"]: (r["n_users"], r["n_conversations"]) for r in f.iter_rows(named=True)}


def test_partitions_of_four_buckets():
    parts = all_partitions()
    assert len(parts) == 8 and ((0, 0), (1, 1), (2, 2), (3, 3)) in parts and ((0, 3),) in parts


@pytest.mark.parametrize("n_two, expected", [
    (K - 1, {"1": 3 * K, "2+": K - 1 + 2 * K}),      # 2-3 too small: merged upwards
    (K, {"1": 3 * K, "2-3": K, "4+": 2 * K}),          # 10+ is empty: merged into 4-9
    (K + 1, {"1": 3 * K, "2-3": K + 1, "4+": 2 * K}),
])
def test_ranges_merge_below_k(n_two, expected):
    users, aff = people([("one", 3 * K, 1), ("two", n_two, 2), ("five", 2 * K, 5)])
    t_users, t_aff = people([("task", 3 * K, 1)])
    rel = release(users + t_users, aff + [False] * len(t_aff))
    assert run_hist(rel) == expected
    top = int(rel.clusters.filter(pl.col("kind") == "cluster")["cluster_id"][0])
    assert {v: u for v, (u, _) in cluster_hist(rel, top).items()} == expected


def test_min_conversations_gates_a_range_too():
    # K+1 single-conversation users: K+1 users but only K+1 < 2K conversations
    users, aff = people([("one", K + 1, 1), ("two", 2 * K, 2), ("ten", K, 10)])
    t_users, _ = people([("task", 3 * K, 1)])
    privacy = PrivacySettings(min_users=K, min_conversations=2 * K)
    rel = release(users + t_users, aff + [False] * len(t_users), privacy=privacy)
    assert run_hist(rel) == {"1-3": 3 * K + 1, "4+": K}     # 4-9 is empty


def test_a_heavy_user_is_never_a_row_of_their_own():
    users, aff = people([("one", 4 * K, 1), ("two", 2 * K, 3), ("heavy", 1, 50)])
    t_users, _ = people([("task", 3 * K, 1)])
    rel = release(users + t_users, aff + [False] * len(t_users))
    rows = pl.concat([rel.facets.filter(pl.col("facet") == "reliance").drop("cluster_id"),
                      rel.run_facets.filter(pl.col("facet") == "reliance")])
    assert rows.height and (rows["n_users"] >= K).all() and (rows["n_conversations"] >= K).all()
    assert run_hist(rel) == {"1": 4 * K, "2+": 2 * K + 1}   # the heavy user's 10+ merged


def test_no_histogram_where_the_affective_group_is_not_published():
    users, aff = people([("one", 3 * K, 1), ("two", 2 * K, 2)])
    t_users, _ = people([("task", K - 1, 1)])                   # task group below k
    rel = release(users + t_users, aff + [False] * len(t_users))
    assert rel.counts["n_affective"] is None and rel.run_facets.is_empty()
    assert "reliance" not in set(rel.facets["facet"])


@pytest.mark.parametrize("split_users, fine", [(0, True), (2, False), (K, True)])
def test_a_cluster_histogram_never_differs_from_the_run_by_fewer_than_k(split_users, fine):
    # Cluster A: 10 x 1, 5 x 2, 5 x 5 affective; ``split_users`` more have 3 in A and 1 in
    # B (4 in the run). The run's 4+ minus A's 4+ is exactly those split users.
    a_users, a_aff = people([("a", 10, 1), ("b", 5, 2), ("h", 5, 5), ("s", split_users, 3),
                             ("ta", 10, 1)])
    a_aff = [u[0] != "t" for u in a_users]
    b_users = [f"s{i}" for i in range(split_users)] + [f"c{i}" for i in range(10)] + \
        [f"tb{i}" for i in range(10)]
    b_aff = [u[0] != "t" for u in b_users]
    rel = release(a_users + b_users, a_aff + b_aff,
                  [[0] * len(a_users) + [1] * len(b_users)])
    a_id = int(rel.clusters.filter(pl.col("n_conversations") == len(a_users))["cluster_id"][0])
    shown = cluster_hist(rel, a_id)
    assert ("4+" in shown) is fine
    if fine:
        assert shown["2-3"][0] == 5 + split_users and shown["4+"][0] == 5
    assert_nested_differences(rel)


def cumulative(rows: dict[str, tuple[int, int]]) -> dict[int, tuple[int, int]]:
    """Published lower bound -> (users, conversations) at or above it."""
    lowers = {v: int(v.split("-")[0].rstrip("+")) for v in rows}
    return {lo: (sum(rows[v][0] for v in rows if lowers[v] >= lo),
                 sum(rows[v][1] for v in rows if lowers[v] >= lo)) for lo in lowers.values()}


def assert_nested_differences(rel) -> None:
    """From published numbers only: every scope's ranges meet k and sum to its affective
    row, and no run-minus-cluster cumulative difference is a small group."""
    run_rows = {r["value"]: (r["n_users"], r["n_conversations"])
                for r in rel.run_facets.iter_rows(named=True) if r["facet"] == "reliance"}
    run_cum = cumulative(run_rows)
    if rel.counts["n_affective"] is not None:
        run_cum.setdefault(1, (rel.counts["n_affective_users"], rel.counts["n_affective"]))
    for cid in set(rel.facets.filter(pl.col("facet") == "reliance")["cluster_id"]):
        rows = cluster_hist(rel, cid)
        assert all(u >= K and c >= K for u, c in rows.values())
        aff = rel.facets.filter((pl.col("cluster_id") == cid) & (pl.col("facet") == "affective")
                                & (pl.col("value") == "affective")).row(0, named=True)
        assert sum(u for u, _ in rows.values()) == aff["n_users"]
        assert sum(c for _, c in rows.values()) == aff["n_conversations"]
        for t_run, (ru, rc) in run_cum.items():
            for t_row, (cu, cc) in cumulative(rows).items():
                if t_row < t_run or (t_run, t_row) == (1, 1):
                    continue
                assert ru - cu == 0 or ru - cu >= K, (t_run, t_row, ru - cu)
                assert rc - cc == 0 or rc - cc >= K, (t_run, t_row, rc - cc)


@pytest.mark.parametrize("seed", range(10))
def test_no_run_minus_cluster_difference_is_small_on_random_runs(seed):
    rng = np.random.default_rng(seed)
    n_users = 160
    per_user = np.minimum(rng.zipf(1.7, n_users), 40)          # heavy-tailed use
    users = np.repeat(np.arange(n_users), per_user)
    n = users.size
    base = rng.integers(0, 8, n)
    labels = [base.tolist(), (base // 4).tolist()]
    aff = rng.random(n) < np.where(base // 4 == 0, 0.7, 0.3)
    rel = release([f"u{u}" for u in users], aff.tolist(), labels)
    assert_nested_differences(rel)
    rows = pl.concat([rel.facets.filter(pl.col("facet") == "reliance").drop("cluster_id"),
                      rel.run_facets.filter(pl.col("facet") == "reliance")])
    assert (rows["n_users"] >= K).all() and (rows["n_conversations"] >= K).all()
