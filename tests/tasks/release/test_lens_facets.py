"""The emotional-support lens's aggregates in the release (rule 4): affective, outcome and
support_path facets, mean sentiment shift, the run's affective share."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from chorus.core.settings import LensSettings, PrivacySettings
from tasks.release import build_release
from tests.tasks.release.conftest import NO_PII, facets_for, summaries

pytestmark = pytest.mark.privacy

K = 5
PRIVACY = PrivacySettings(min_users=K, min_conversations=K)


def lens_frame(users: list[str], affective: list[bool], shift: list[float] | None = None,
               concern: list[bool] | None = None, referral: list[bool] | None = None,
               turns: list[str] | None = None) -> pl.DataFrame:
    n = len(users)
    return facets_for(users).with_columns(
        pl.Series("turns_bucket", turns or ["2-3"] * n),
        pl.Series("affective", affective, dtype=pl.Boolean),
        pl.Series("sentiment_shift", shift or [0.0] * n, dtype=pl.Float32),
        pl.Series("concern", concern or [False] * n, dtype=pl.Boolean),
        pl.Series("referral", referral or [False] * n, dtype=pl.Boolean))


def rows_of(rel, facet: str, cluster_id: int | None = None) -> dict[str, int]:
    f = rel.facets.filter(pl.col("facet") == facet)
    if cluster_id is not None:
        f = f.filter(pl.col("cluster_id") == cluster_id)
    return dict(zip(f["value"], f["n_users"], strict=True))


@pytest.mark.parametrize("n_affective, shown", [(K - 1, False), (K, True), (K + 1, True)])
def test_affective_facet_needs_k_users_in_the_affective_group(n_affective, shown):
    users = [f"u{i}" for i in range(n_affective + 2 * K)]
    frame = lens_frame(users, [True] * n_affective + [False] * 2 * K)
    rel = build_release(frame, np.zeros((1, len(users)), dtype=np.int32), summaries([[0]]),
                        NO_PII, len(users), PRIVACY)
    rows = rows_of(rel, "affective")
    if shown:
        assert rows == {"affective": n_affective, "task": 2 * K}
    else:  # affective alone is too small, and task alone would reveal it: one 'other' row
        assert rows == {"other": len(users)}
    assert (rel.facets["n_users"] >= K).all() and (rel.facets["n_conversations"] >= K).all()


def test_affective_facet_counts_users_not_conversations():
    # K-1 affective users with 10 conversations each: enough conversations, too few users
    users = [f"a{i}" for i in range(K - 1)] * 10 + [f"t{i}" for i in range(2 * K)]
    frame = lens_frame(users, [True] * 10 * (K - 1) + [False] * 2 * K)
    rel = build_release(frame, np.zeros((1, len(users)), dtype=np.int32), summaries([[0]]),
                        NO_PII, len(users), PRIVACY)
    assert "affective" not in rows_of(rel, "affective")


@pytest.mark.parametrize("concern_min_level", [0, 1, 2])
def test_support_path_only_at_levels_from_concern_min_level(concern_min_level):
    users = [f"u{i}" for i in range(40)]
    concern = [True] * 10 + [False] * 30
    referral = [True] * 5 + [False] * 35
    frame = lens_frame(users, [True] * 20 + [False] * 20, concern=concern, referral=referral)
    labels = np.array([[0] * 20 + [1] * 20, [0] * 40], dtype=np.int32)
    rel = build_release(frame, labels, summaries([[0, 1], [0]]), NO_PII, 40, PRIVACY,
                        LensSettings(concern_min_level=concern_min_level))
    levels = dict(zip(rel.clusters["cluster_id"], rel.clusters["level"], strict=True))
    sp = rel.facets.filter(pl.col("facet") == "support_path")
    assert {levels[c] for c in sp["cluster_id"]} == {0, 1} - set(range(concern_min_level))
    top = rows_of(rel, "support_path", rel.clusters.filter(pl.col("level") == 1)["cluster_id"][0])
    if concern_min_level <= 1:
        assert top == {"no concern": 30, "concern, referred": 5, "concern, not referred": 5}
    assert {"affective", "outcome"} <= set(rel.facets["facet"])


@pytest.mark.parametrize("n_task, published", [(K - 1, False), (K, True), (K + 1, True)])
def test_run_affective_share_needs_k_users_in_both_groups(n_task, published):
    n_aff = 3 * K
    users = [f"u{i}" for i in range(n_aff + n_task)]
    frame = lens_frame(users, [True] * n_aff + [False] * n_task)
    rel = build_release(frame, np.zeros((1, len(users)), dtype=np.int32), summaries([[0]]),
                        NO_PII, len(users), PRIVACY)
    c = rel.counts
    if published:
        assert c["n_affective"] == n_aff and c["n_affective_users"] == n_aff
        assert c["affective_share"] == pytest.approx(n_aff / len(users))
        assert 0.0 <= c["affective_share_adjusted"] <= 1.0
    else:  # n_accepted - n_affective would be a group of K-1 users
        assert all(c[k] is None for k in ("n_affective", "n_affective_users",
                                          "affective_share", "affective_share_adjusted"))


def test_run_affective_share_withheld_when_the_affective_group_is_small():
    users = [f"u{i}" for i in range(30)]
    frame = lens_frame(users, [True] * (K - 1) + [False] * (30 - K + 1))
    rel = build_release(frame, np.zeros((1, 30), dtype=np.int32), summaries([[0]]), NO_PII, 30,
                        PRIVACY)
    assert rel.counts["n_affective"] is None and rel.counts["affective_share"] is None


def test_mean_sentiment_shift_on_clusters_and_other_rows_sums_to_the_parent():
    # A: 10 users (shift 0.5), B: 3 users (shift -1), C: 3 users (shift 1) -> other = B + C
    users = [f"a{i}" for i in range(10)] + [f"b{i}" for i in range(3)] + \
        [f"c{i}" for i in range(3)]
    shift = [0.5] * 10 + [-1.0] * 3 + [1.0] * 3
    frame = lens_frame(users, [True] * 16, shift=shift)
    labels = np.array([[0] * 10 + [1] * 3 + [2] * 3, [0] * 16], dtype=np.int32)
    rel = build_release(frame, labels, summaries([[0, 1, 2], [0]]), NO_PII, 16, PRIVACY)
    rows = {(r["level"], r["kind"]): r for r in rel.clusters.iter_rows(named=True)}
    assert rows[(0, "cluster")]["mean_sentiment_shift"] == pytest.approx(0.5)
    assert rows[(0, "other")]["mean_sentiment_shift"] == pytest.approx(0.0)
    parent = rows[(1, "cluster")]
    assert parent["mean_sentiment_shift"] == pytest.approx(5 / 16)
    kids = rel.clusters.filter(pl.col("parent_id") == parent["cluster_id"])
    total = (kids["mean_sentiment_shift"] * kids["n_conversations"]).sum()
    assert total == pytest.approx(parent["mean_sentiment_shift"] * parent["n_conversations"])


def test_outcome_rows_cover_multi_turn_conversations_and_use_the_margin():
    users = [f"u{i}" for i in range(30)]
    shift = [0.3] * 10 + [0.05] * 10 + [-0.3] * 5 + [0.0] * 5
    turns = ["2-3"] * 25 + ["1"] * 5
    frame = lens_frame(users, [True] * 30, shift=shift, turns=turns)
    rel = build_release(frame, np.zeros((1, 30), dtype=np.int32), summaries([[0]]), NO_PII,
                        30, PRIVACY, LensSettings(outcome_margin=0.05))
    assert rows_of(rel, "turns_bucket") == {"2-3": 25, "1": 5}
    assert rows_of(rel, "outcome") == {"better": 10, "same": 10, "worse": 5}


@pytest.mark.parametrize("single_turn_users, outcome_shown",
                         [(0, True), (2, False), (K - 1, False), (K, True), (K + 1, True)])
def test_outcome_needs_the_single_turn_remainder_published(single_turn_users, outcome_shown):
    # 'same' minus turns_bucket '1' would isolate a small group when '1' is folded away
    users = [f"u{i}" for i in range(30 + single_turn_users)]
    turns = ["2-3"] * 30 + ["1"] * single_turn_users
    shift = [0.5] * 15 + [-0.5] * 15 + [0.0] * single_turn_users
    frame = lens_frame(users, [True] * len(users), shift=shift, turns=turns)
    rel = build_release(frame, np.zeros((1, len(users)), dtype=np.int32), summaries([[0]]),
                        NO_PII, len(users), PRIVACY)
    outcome = rows_of(rel, "outcome")
    assert bool(outcome) is outcome_shown
    if outcome_shown:
        assert outcome == {"better": 15, "worse": 15}


def test_lens_off_or_absent_publishes_no_lens_aggregate():
    users = [f"u{i}" for i in range(30)]
    frame = lens_frame(users, [True] * 15 + [False] * 15, shift=[0.5] * 30)
    labels = np.zeros((1, 30), dtype=np.int32)
    for rel in (build_release(frame, labels, summaries([[0]]), NO_PII, 30, PRIVACY,
                              LensSettings(enabled=False)),
                build_release(facets_for(users), labels, summaries([[0]]), NO_PII, 30,
                              PRIVACY)):
        assert set(rel.facets["facet"]) == {"language", "turns_bucket"}
        assert rel.clusters["mean_sentiment_shift"].null_count() == rel.clusters.height
        assert rel.counts["n_affective"] is None


def test_no_lens_aggregate_under_dp():
    from chorus.core.settings import DPSettings

    privacy = PrivacySettings(min_users=K, min_conversations=K,
                              dp=DPSettings(enabled=True, epsilon=20.0))
    users = [f"u{i}" for i in range(400)]
    frame = lens_frame(users, [True] * 200 + [False] * 200, shift=[0.5] * 400,
                       concern=[True] * 100 + [False] * 300)
    rel = build_release(frame, np.zeros((1, 400), dtype=np.int32), summaries([[0]]), NO_PII,
                        400, privacy, LensSettings(concern_min_level=0))
    assert rel.clusters.height >= 1  # the cluster itself is published, with DP counts
    assert rel.facets.is_empty()
    assert rel.clusters["mean_sentiment_shift"].null_count() == rel.clusters.height
    assert all(rel.counts[k] is None for k in ("n_affective", "n_affective_users",
                                               "affective_share", "affective_share_adjusted"))
