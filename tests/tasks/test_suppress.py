"""The release gate: k-1 / k / k+1 tables, heavy users, secondary suppression, phrases."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from chorus.core.settings import LensSettings
from chorus.core.schemas import SUMMARY_SCHEMA
from chorus.core.release import OTHER_NAME
from chorus.core.settings import PrivacySettings
from tasks.suppress import build_release, checked_strings, split_partition

pytestmark = pytest.mark.privacy

K = 5
PRIVACY = PrivacySettings(min_users=K, min_conversations=K)


def facets_for(users: list[str], texts: list[str] | None = None) -> pl.DataFrame:
    n = len(users)
    return pl.DataFrame({
        "conversation_id": [f"c{i}" for i in range(n)], "user_id": users,
        "request": texts or ["sleep insomnia night"] * n,
        "language": ["en"] * n, "turns_bucket": ["2-3"] * n,
    })


def summaries(keys_per_level: list[list[int]], phrase: str = "sleep insomnia") -> pl.DataFrame:
    rows = [{"level": lvl, "cluster_key": key, "name": phrase.capitalize(),
             "description": f"Requests about {phrase}.",
             "phrases": [{"phrase": phrase, "score": 1.0, "n_users": 99}]}
            for lvl, keys in enumerate(keys_per_level) for key in keys]
    return pl.DataFrame(rows, schema=SUMMARY_SCHEMA)


NO_PII = pl.DataFrame(schema={"entity_type": pl.Utf8, "n_entities": pl.Int64,
                              "n_conversations": pl.Int64, "n_users": pl.Int64})


@pytest.mark.parametrize("n_users, published", [(K - 1, False), (K, True), (K + 1, True)])
def test_cluster_needs_k_distinct_users(n_users, published):
    users = [f"u{i}" for i in range(n_users)] * 3  # 3 conversations each: enough conversations
    labels = np.zeros((1, len(users)), dtype=np.int32)
    rel = build_release(facets_for(users), labels, summaries([[0]]), NO_PII, len(users), PRIVACY)
    assert (rel.clusters.height == 1) is published
    if published:
        assert rel.clusters["n_users"][0] == n_users
        assert rel.clusters["name"][0] == "Sleep insomnia"


@pytest.mark.parametrize("n_conv, published", [(K - 1, False), (K, True), (K + 1, True)])
def test_cluster_needs_min_conversations(n_conv, published):
    privacy = PrivacySettings(min_users=3, min_conversations=K)
    users = [f"u{i % 3}" for i in range(n_conv)]
    labels = np.zeros((1, n_conv), dtype=np.int32)
    rel = build_release(facets_for(users), labels, summaries([[0]]), NO_PII, n_conv, privacy)
    assert (rel.clusters.height == 1) is published


def test_one_user_with_fifty_conversations_is_never_published():
    users = ["heavy"] * 50 + [f"u{i}" for i in range(K - 2)]
    labels = np.zeros((1, len(users)), dtype=np.int32)
    rel = build_release(facets_for(users), labels, summaries([[0]]), NO_PII, len(users), PRIVACY)
    assert rel.clusters.is_empty() and rel.phrases.is_empty()
    assert rel.counts["suppressed"] == 1


def test_small_sibling_is_folded_into_other_when_other_meets_k():
    # cluster 0: 10 users, cluster 1: 3 users, cluster 2: 3 users -> other row of 6 users.
    users = [f"a{i}" for i in range(10)] + [f"b{i}" for i in range(3)] + [f"c{i}" for i in range(3)]
    labels = np.array([[0] * 10 + [1] * 3 + [2] * 3], dtype=np.int32)
    rel = build_release(facets_for(users), labels, summaries([[0, 1, 2]]), NO_PII, 16, PRIVACY)
    kinds = dict(zip(rel.clusters["kind"], rel.clusters["n_users"]))
    assert kinds == {"cluster": 10, "other": 6}
    other = rel.clusters.filter(pl.col("kind") == "other")
    assert other["name"][0] == OTHER_NAME
    assert rel.phrases["cluster_id"].unique().to_list() == \
        rel.clusters.filter(pl.col("kind") == "cluster")["cluster_id"].to_list()


def test_secondary_suppression_hides_a_remainder_below_k():
    # Under one parent: A 10 users, B 6 users, C 2 users. Publishing A and B alone would let
    # parent - A - B = 2 users be computed. The gate must fold B into the remainder.
    users = [f"a{i}" for i in range(10)] + [f"b{i}" for i in range(6)] + ["c0", "c1"]
    base = [0] * 10 + [1] * 6 + [2] * 2
    labels = np.array([base, [0] * len(base)], dtype=np.int32)
    rel = build_release(facets_for(users), labels, summaries([[0, 1, 2], [0]]), NO_PII,
                        len(users), PRIVACY)
    parent = rel.clusters.filter(pl.col("level") == 1)
    children = rel.clusters.filter(pl.col("parent_id") == parent["cluster_id"][0])
    assert parent["n_users"][0] == 18
    assert sorted(children["n_users"].to_list()) == [8, 10]  # A, and other = B + C
    published_sum = children["n_conversations"].sum()
    assert published_sum == parent["n_conversations"][0]


@pytest.mark.parametrize("rest_users", [1, K - 1, K])
def test_parent_minus_published_children_never_reveals_below_k(rest_users):
    users = [f"a{i}" for i in range(12)] + [f"b{i}" for i in range(12)] + \
            [f"r{i}" for i in range(rest_users)]
    base = [0] * 12 + [1] * 12 + [2] * rest_users
    labels = np.array([base, [0] * len(base)], dtype=np.int32)
    rel = build_release(facets_for(users), labels, summaries([[0, 1, 2], [0]]), NO_PII,
                        len(users), PRIVACY)
    for parent in rel.clusters.iter_rows(named=True):
        kids = rel.clusters.filter(pl.col("parent_id") == parent["cluster_id"])
        if kids.is_empty():
            continue
        gap = parent["n_conversations"] - kids["n_conversations"].sum()
        assert gap == 0, "every member of a parent is in a published child or the other row"
    for row in rel.clusters.iter_rows(named=True):
        assert row["n_users"] >= K and row["n_conversations"] >= K


def test_split_partition_folds_until_remainder_meets():
    keys = np.array([0] * 10 + [1] * 5 + [2] * 1)
    users = np.array([f"u{i}" for i in range(16)])
    split = split_partition(keys, users, PRIVACY)
    assert split.published == [0]
    assert split.other == (6, 6)


@pytest.mark.parametrize("phrase_users, kept", [(K - 1, False), (K, True), (K + 1, True)])
def test_phrase_needs_k_users_of_its_cluster(phrase_users, kept):
    texts = ["quiet zebra nightmare, sleep worry"] * phrase_users + \
        ["plain sleep worry"] * (10 - phrase_users)
    users = [f"u{i}" for i in range(10)]
    summary = {"name": "Sleep worry", "description": "Requests about sleep worry.",
               "phrases": [{"phrase": "zebra nightmare", "score": 1.0, "n_users": 10},
                           {"phrase": "sleep worry", "score": 0.5, "n_users": 10}]}
    out, dropped = checked_strings(summary, texts, users, PRIVACY,
                                   frozenset({"requests", "about"}))
    assert ("zebra nightmare" in [p["phrase"] for p in out["phrases"]]) is kept
    assert dropped == (0 if kept else 1)


def test_phrase_repeated_by_one_user_does_not_count():
    texts = ["zebra nightmare"] * 20 + ["sleep"] * 4
    users = ["heavy"] * 20 + ["a", "b", "c", "d"]
    summary = {"name": None, "description": None,
               "phrases": [{"phrase": "zebra nightmare", "score": 1.0, "n_users": 20}]}
    out, _ = checked_strings(summary, texts, users, PRIVACY, frozenset())
    assert out["phrases"] == []


def test_name_with_a_rare_word_is_dropped():
    texts = ["sleep worry"] * 9 + ["sleep worry zanzibarian"]
    users = [f"u{i}" for i in range(10)]
    summary = {"name": "Sleep worry zanzibarian", "description": "Requests about sleep worry.",
               "phrases": []}
    out, dropped = checked_strings(summary, texts, users, PRIVACY, frozenset({"requests", "about"}))
    assert out["name"] is None and out["description"] == "Requests about sleep worry."
    assert dropped == 1


def test_facet_rows_meet_k_and_other_row_covers_the_rest():
    users = [f"u{i}" for i in range(20)]
    frame = facets_for(users).with_columns(
        pl.Series("language", ["en"] * 16 + ["de"] * 2 + ["fr"] * 2))
    labels = np.zeros((1, 20), dtype=np.int32)
    rel = build_release(frame, labels, summaries([[0]]), NO_PII, 20, PRIVACY)
    lang = rel.facets.filter(pl.col("facet") == "language")
    # en alone (16) would reveal de + fr = 4 < k by subtraction: it is folded into other.
    assert dict(zip(lang["value"], lang["n_users"])) == {"other": 20}
    assert (rel.facets["n_users"] >= K).all()


def test_facet_values_meeting_k_are_published_with_their_remainder():
    users = [f"u{i}" for i in range(30)]
    frame = facets_for(users).with_columns(
        pl.Series("language", ["en"] * 20 + ["de"] * 6 + ["fr"] * 2 + ["es"] * 2))
    rel = build_release(frame, np.zeros((1, 30), dtype=np.int32), summaries([[0]]), NO_PII,
                        30, PRIVACY)
    lang = rel.facets.filter(pl.col("facet") == "language")
    assert dict(zip(lang["value"], lang["n_users"])) == {"en": 20, "other": 10}


def test_pii_counts_below_k_users_are_not_published():
    pii = pl.DataFrame({"entity_type": ["PERSON", "CREDIT_CARD"], "n_entities": [40, 1],
                        "n_conversations": [30, 1], "n_users": [20, 1]})
    users = [f"u{i}" for i in range(10)]
    rel = build_release(facets_for(users), np.zeros((1, 10), dtype=np.int32),
                        summaries([[0]]), pii, 10, PRIVACY)
    assert rel.pii["entity_type"].to_list() == ["PERSON"]


def test_noise_is_never_published_as_a_cluster():
    users = [f"u{i}" for i in range(12)]
    labels = np.array([[-1] * 12], dtype=np.int32)
    rel = build_release(facets_for(users), labels, summaries([[]]), NO_PII, 12, PRIVACY)
    assert rel.clusters.is_empty()
    assert rel.counts["noise_published"] == 12


@pytest.mark.parametrize("noise_users, noise_published", [(K - 1, None), (K, K)])
def test_noise_below_k_is_folded_into_the_root_other_row(noise_users, noise_published):
    users = [f"a{i}" for i in range(12)] + [f"b{i}" for i in range(12)] + \
            [f"n{i}" for i in range(noise_users)]
    base = [0] * 12 + [1] * 12 + [-1] * noise_users
    labels = np.array([base], dtype=np.int32)
    rel = build_release(facets_for(users), labels, summaries([[0, 1]]), NO_PII, len(users),
                        PRIVACY)
    assert rel.counts["noise_published"] == noise_published
    top = rel.clusters.filter(pl.col("parent_id").is_null())
    # n_accepted - published top rows - published noise is 0: nothing small is isolated
    assert top["n_conversations"].sum() + (noise_published or 0) == len(users)
    assert (top["n_users"] >= K).all()


@pytest.mark.parametrize("min_users, min_conv", [(1, 5), (5, 1), (5, 4)])
def test_invalid_thresholds_fail_loudly(min_users, min_conv):
    with pytest.raises(ValueError):
        PrivacySettings(min_users=min_users, min_conversations=min_conv)


# --- the emotional-support lens (issue 5) -------------------------------------------------

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
    return dict(zip(f["value"], f["n_users"]))


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
    levels = dict(zip(rel.clusters["cluster_id"], rel.clusters["level"]))
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


@pytest.mark.parametrize("single_turn_users, outcome_shown", [(0, True), (2, False), (K, True)])
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
