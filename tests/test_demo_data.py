"""Tests for the synthetic demo-data generator (chorus.demo_data)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import datetime, timezone

import polars as pl
import pytest

from chorus import demo_data
from chorus.demo_data import (
    AFFECTIVE_TOPICS,
    HEAVY_TOPIC,
    MAIN_TOPICS,
    PII_TYPES,
    REFERRAL_TOPICS,
    TAIL_TOPICS,
    TASK_TOPICS,
    generate,
    write_demo_data,
)
from chorus.core.lexicon import matched_pattern_names
from tasks.lens import CONCERN_PATTERNS, concern_flags, sentiment_trajectory
from tasks.scrub import REFERRAL_PATTERNS, referral_flags

N, SEED = 2000, 7


@pytest.fixture(scope="module")
def data() -> tuple[list[dict], list[dict]]:
    return generate(N, SEED)


def _luhn_ok(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return total % 10 == 0


def _user_text(conv: dict) -> str:
    return "\n".join(m["content"] for m in conv["messages"] if m["role"] == "user")


def _turns(conv: dict, role: str) -> list[str]:
    return [m["content"] for m in conv["messages"] if m["role"] == role]


def test_deterministic_for_same_seed() -> None:
    assert generate(300, 1) == generate(300, 1)


def test_different_seeds_differ() -> None:
    assert generate(300, 1) != generate(300, 2)


def test_exact_count_small_and_large_n() -> None:
    for n in (50, 51, 999):
        conversations, truth = generate(n, 3)
        assert len(conversations) == len(truth) == n


def test_rejects_non_positive_n() -> None:
    with pytest.raises(ValueError):
        generate(0, 1)


def test_record_shape_matches_contract(data: tuple[list[dict], list[dict]]) -> None:
    conversations, truth = data
    start, end = datetime(2026, 9, 2, tzinfo=timezone.utc), datetime(2026, 11, 1, tzinfo=timezone.utc)
    ids = [c["conversation_id"] for c in conversations]
    assert len(set(ids)) == len(ids)
    for conv, tr in zip(conversations, truth, strict=True):
        assert set(conv) == {"conversation_id", "user_id", "created_at", "messages"}
        assert re.fullmatch(r"c\d{6}", conv["conversation_id"])
        assert re.fullmatch(r"u\d{5}", conv["user_id"])
        created = datetime.fromisoformat(conv["created_at"])
        assert created.tzinfo is not None and start <= created < end
        msgs = conv["messages"]
        assert 4 <= len(msgs) <= 8
        for i, msg in enumerate(msgs):
            assert set(msg) == {"role", "content"}
            assert msg["role"] == ("user" if i % 2 == 0 else "assistant")
            assert isinstance(msg["content"], str) and msg["content"].strip()
        user_words = [len(m["content"].split()) for m in msgs if m["role"] == "user"]
        assert 2 <= len(user_words) <= 4
        assert all(10 <= w <= 40 for w in user_words)
        assert 40 <= sum(user_words) <= 120
        assert set(tr) == {"conversation_id", "user_id", "topic", "affective", "concern",
                           "referral", "pii"}
        assert all(isinstance(tr[f], bool) for f in ("affective", "concern", "referral"))
        assert (tr["conversation_id"], tr["user_id"]) == (conv["conversation_id"], conv["user_id"])
        assert all(set(p) == {"type", "value"} and p["type"] in PII_TYPES for p in tr["pii"])
    assert [c["created_at"] for c in conversations] == sorted(c["created_at"] for c in conversations)


def test_truth_pii_is_verbatim_in_user_messages(data: tuple[list[dict], list[dict]]) -> None:
    conversations, truth = data
    for conv, tr in zip(conversations, truth, strict=True):
        text = _user_text(conv)
        for pii in tr["pii"]:
            assert pii["value"] in text
    share = sum(bool(t["pii"]) for t in truth) / len(truth)
    assert 0.25 <= share <= 0.45
    assert max(len(t["pii"]) for t in truth) <= 3


def test_every_pii_type_present(data: tuple[list[dict], list[dict]]) -> None:
    _, truth = data
    seen = {p["type"] for t in truth for p in t["pii"]}
    assert seen == set(PII_TYPES)


def test_credit_cards_pass_luhn(data: tuple[list[dict], list[dict]]) -> None:
    _, truth = data
    cards = [p["value"] for t in truth for p in t["pii"] if p["type"] == "CREDIT_CARD"]
    assert cards
    for card in cards:
        assert re.fullmatch(r"\d{4}([ -])\d{4}\1\d{4}\1\d{4}", card)
        assert card[0] == "4" or 51 <= int(card[:2]) <= 55
        assert _luhn_ok(card)


def test_topics_present_and_skewed(data: tuple[list[dict], list[dict]]) -> None:
    _, truth = data
    counts = Counter(t["topic"] for t in truth)
    assert len(counts) >= 12
    assert set(counts) == set(MAIN_TOPICS) | set(TAIL_TOPICS)
    largest = max(counts.values())
    smallest_main = min(counts[t] for t in MAIN_TOPICS)
    assert largest > 3 * smallest_main
    assert 0.10 <= largest / N <= 0.25  # largest: a task topic, ~12.5% of main traffic


def test_long_tail_below_k_threshold(data: tuple[list[dict], list[dict]]) -> None:
    _, truth = data
    users: dict[str, set[str]] = defaultdict(set)
    for t in truth:
        users[t["topic"]].add(t["user_id"])
    assert any(len(u) < 10 for u in users.values())
    for topic in TAIL_TOPICS:
        assert 1 <= len(users[topic]) <= 6


def test_heavy_user(data: tuple[list[dict], list[dict]]) -> None:
    _, truth = data
    per_user = Counter(t["user_id"] for t in truth)
    heavy = [u for u, c in per_user.items() if c >= 30]
    assert len(heavy) == 1
    assert {t["topic"] for t in truth if t["user_id"] == heavy[0]} == {HEAVY_TOPIC}
    assert sorted(per_user.values())[-2] <= 8


def test_conversations_per_user(data: tuple[list[dict], list[dict]]) -> None:
    _, truth = data
    per_user = Counter(t["user_id"] for t in truth)
    assert 2 <= N / len(per_user) <= 4


def test_write_demo_data(tmp_path) -> None:
    out = tmp_path / "nested" / "dir" / "demo.jsonl"
    conv_path, truth_path = write_demo_data(120, 5, out)
    assert conv_path == out and truth_path == out.parent / "demo.truth.jsonl"
    assert conv_path.exists() and truth_path.exists()
    frame = pl.read_ndjson(conv_path)
    assert frame.height == 120
    assert set(frame.columns) == {"conversation_id", "user_id", "created_at", "messages"}
    assert pl.read_ndjson(truth_path).height == 120
    again = write_demo_data(120, 5, tmp_path / "again.jsonl")
    assert again[0].read_bytes() == conv_path.read_bytes()
    assert again[1].read_bytes() == truth_path.read_bytes()


# --- emotional-support lens ground truth (affective / concern / referral) ---------------------


def test_topic_classes_partition_topics(data: tuple[list[dict], list[dict]]) -> None:
    _, truth = data
    assert not set(TASK_TOPICS) & set(AFFECTIVE_TOPICS)
    assert set(TASK_TOPICS) | set(AFFECTIVE_TOPICS) == set(MAIN_TOPICS) | set(TAIL_TOPICS)
    assert set(REFERRAL_TOPICS) <= set(AFFECTIVE_TOPICS) and HEAVY_TOPIC in AFFECTIVE_TOPICS
    for t in truth:
        assert t["affective"] == (t["topic"] in AFFECTIVE_TOPICS)
    # every task topic is big enough to show up as its own cluster at k = 10
    users: dict[str, set[str]] = defaultdict(set)
    for t in truth:
        users[t["topic"]].add(t["user_id"])
    assert all(len(users[topic]) >= 30 for topic in TASK_TOPICS)
    assert all(len(users[topic]) >= 10 for topic in set(AFFECTIVE_TOPICS) - set(TAIL_TOPICS))


def test_affective_share(data: tuple[list[dict], list[dict]]) -> None:
    _, truth = data
    share = sum(t["affective"] for t in truth) / N
    assert 0.30 <= share <= 0.42  # ~63% task-oriented, ~37% affective


def test_concern_truth_matches_lens_lexicon(data: tuple[list[dict], list[dict]]) -> None:
    conversations, truth = data
    flags = concern_flags([_turns(c, "user") for c in conversations])
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
    flags = referral_flags([_turns(c, "assistant") for c in conversations])
    assert [bool(f) for f in flags] == [t["referral"] for t in truth]

    def share(topics: set[str]) -> float:
        rows = [t for t in truth if t["topic"] in topics and not t["concern"]]
        return sum(t["referral"] for t in rows) / len(rows)

    assert 0.25 <= share(set(REFERRAL_TOPICS)) <= 0.55
    assert share(set(AFFECTIVE_TOPICS) - set(REFERRAL_TOPICS)) <= 0.15


def test_task_topics_never_refer_or_concern(data: tuple[list[dict], list[dict]]) -> None:
    conversations, truth = data
    task = [(c, t) for c, t in zip(conversations, truth, strict=True) if not t["affective"]]
    assert task and not any(t["referral"] or t["concern"] for _, t in task)
    assert not referral_flags([_turns(c, "assistant") for c, _ in task]).any()
    assert not concern_flags([_turns(c, "user") for c, _ in task]).any()


def test_lens_sentence_pools_match_the_lexicons() -> None:
    referrals = (demo_data._REFERRALS + demo_data._CRISIS_REFERRALS
                 + tuple(s for v in demo_data._TOPIC_REFERRALS.values() for s in v))
    for sentence in referrals:
        assert matched_pattern_names(sentence, REFERRAL_PATTERNS), sentence
    for sentence in demo_data._CONCERN_LINES:
        assert matched_pattern_names(sentence, CONCERN_PATTERNS), sentence
    plain = (demo_data._ACKS + demo_data._CLOSES + demo_data._CRISIS_ACKS
             + demo_data._TASK_ACKS + demo_data._TASK_CLOSES)
    for sentence in plain:
        assert not matched_pattern_names(sentence, REFERRAL_PATTERNS), sentence


def test_affective_sentiment_trajectory_has_signal(data: tuple[list[dict], list[dict]]) -> None:
    conversations, truth = data
    affective = [_turns(c, "user") for c, t in zip(conversations, truth, strict=True)
                 if t["affective"]]
    _, _, shift = sentiment_trajectory(affective)
    assert shift.mean() > 0.15
    assert (shift > 0.05).mean() > 0.5  # often ends calmer ...
    assert 0.1 <= (shift < -0.05).mean() <= 0.4  # ... and sometimes not


def test_heavy_topic_word_stays_in_its_topic(data: tuple[list[dict], list[dict]]) -> None:
    # flows tests assert the heavy user's topic word ("visa") is never published
    conversations, truth = data
    for conv, tr in zip(conversations, truth, strict=True):
        if tr["topic"] == HEAVY_TOPIC:
            continue
        text = _user_text(conv)
        for pii in tr["pii"]:
            text = text.replace(pii["value"], "")
        assert "visa" not in text.lower()
