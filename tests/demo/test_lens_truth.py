"""The emotional-support lens's ground truth (affective / concern / referral / boundary) agrees
with the lexicons and carries a sentiment signal."""

from __future__ import annotations

from collections import Counter

from chorus.demo import AFFECTIVE_TOPICS, REFERRAL_TOPICS, TAIL_TOPICS
from chorus.demo.replies import BOUNDARY_SHARE, RELIANT_BOUNDARY_SHARE
from tasks.lens import concern_flags, sentiment_trajectory
from tasks.scrub import boundary_flags, referral_flags
from tests.demo.conftest import turns


def test_concern_truth_matches_lens_lexicon(data: tuple[list[dict], list[dict]]) -> None:
    conversations, truth = data
    flags = concern_flags([turns(c, "user") for c in conversations])
    assert [bool(f) for f in flags] == [t["concern"] for t in truth]
    concern = [t for t in truth if t["concern"]]
    n_affective = sum(t["affective"] for t in truth)
    assert 0.015 <= len(concern) / n_affective <= 0.05
    # only in main affective topics, spread over several of them (no cluster of their own)
    topics = Counter(t["topic"] for t in concern)
    assert set(topics) <= set(AFFECTIVE_TOPICS) - set(TAIL_TOPICS)
    assert len(topics) >= 5 and max(topics.values()) <= 0.5 * len(concern)
    # most (not all) are answered with a referral
    referred = sum(t["referral"] for t in concern) / len(concern)
    assert 0.6 <= referred < 1.0


def test_referral_truth_matches_lens_lexicon(data: tuple[list[dict], list[dict]]) -> None:
    conversations, truth = data
    flags = referral_flags([turns(c, "assistant") for c in conversations])
    assert [bool(f) for f in flags] == [t["referral"] for t in truth]

    def share(topics: set[str]) -> float:
        rows = [t for t in truth if t["topic"] in topics and not t["concern"]]
        return sum(t["referral"] for t in rows) / len(rows)

    assert 0.25 <= share(set(REFERRAL_TOPICS)) <= 0.55
    assert share(set(AFFECTIVE_TOPICS) - set(REFERRAL_TOPICS)) <= 0.15


def test_boundary_truth_matches_lexicon(data: tuple[list[dict], list[dict]]) -> None:
    conversations, truth = data
    flags = boundary_flags([turns(c, "assistant") for c in conversations])
    assert [bool(f) for f in flags] == [t["boundary"] for t in truth]
    # known rates: ordinary users' affective conversations vs the heavy-reliance group's
    # (users whose 10+ conversations, the heavy user aside, are all affective)
    per_user = Counter(t["user_id"] for t in truth)
    affective = Counter(t["user_id"] for t in truth if t["affective"])
    reliant = {u for u, c in affective.items() if 10 <= c == per_user[u] < 30}
    ordinary = [t["boundary"] for t in truth if t["affective"] and t["user_id"] not in reliant]
    heavy = [t["boundary"] for t in truth if t["user_id"] in reliant]
    assert abs(sum(ordinary) / len(ordinary) - BOUNDARY_SHARE) <= 0.03
    assert abs(sum(heavy) / len(heavy) - RELIANT_BOUNDARY_SHARE) <= 0.1
    # boundaries and referrals are two questions: both, either or neither occur
    both = sum(t["boundary"] and t["referral"] for t in truth)
    assert 0 < both < sum(t["boundary"] for t in truth)


def test_task_topics_never_refer_concern_or_set_boundaries(
        data: tuple[list[dict], list[dict]]) -> None:
    conversations, truth = data
    task = [(c, t) for c, t in zip(conversations, truth, strict=True) if not t["affective"]]
    assert task and not any(t["referral"] or t["concern"] or t["boundary"] for _, t in task)
    assert not referral_flags([turns(c, "assistant") for c, _ in task]).any()
    assert not boundary_flags([turns(c, "assistant") for c, _ in task]).any()
    assert not concern_flags([turns(c, "user") for c, _ in task]).any()


def test_affective_sentiment_trajectory_has_signal(data: tuple[list[dict], list[dict]]) -> None:
    conversations, truth = data
    affective = [turns(c, "user") for c, t in zip(conversations, truth, strict=True)
                 if t["affective"]]
    _, _, shift = sentiment_trajectory(affective)
    assert shift.mean() > 0.15
    assert (shift > 0.05).mean() > 0.5  # often ends calmer ...
    assert 0.1 <= (shift < -0.05).mean() <= 0.4  # ... and sometimes not
