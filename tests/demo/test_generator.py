"""The generator's contract: determinism, record shape, topic mix, users, and the JSONL files."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import UTC, datetime

import polars as pl
import pytest

from chorus.demo import (
    AFFECTIVE_TOPICS,
    HEAVY_TOPIC,
    MAIN_TOPICS,
    PII_TYPES,
    REFERRAL_TOPICS,
    RELIANCE_GROUPS,
    TAIL_TOPICS,
    TASK_TOPICS,
    generate,
    write_demo_data,
)
from tests.demo.conftest import N, user_text


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
    start, end = datetime(2026, 9, 2, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC)
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
                           "referral", "boundary", "pii"}
        assert all(isinstance(tr[f], bool)
                   for f in ("affective", "concern", "referral", "boundary"))
        assert (tr["conversation_id"], tr["user_id"]) == (conv["conversation_id"], conv["user_id"])
        assert all(set(p) == {"type", "value"} and p["type"] in PII_TYPES for p in tr["pii"])
    created = [c["created_at"] for c in conversations]
    assert created == sorted(created)


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
    # next come the heavy-reliance group (at most 24 conversations), then ordinary users (8)
    assert sorted(per_user.values())[-2] <= max(hi for _, hi, _ in RELIANCE_GROUPS)


def test_heavy_reliance_group(data: tuple[list[dict], list[dict]]) -> None:
    # users with many affective conversations: the 4-9 and 10+ buckets of affective
    # conversations per user each hold at least k = 10 users at n = 2,000
    _, truth = data
    per_user = Counter(t["user_id"] for t in truth)
    affective = Counter(t["user_id"] for t in truth if t["affective"])
    buckets = Counter("1" if c == 1 else "2-3" if c <= 3 else "4-9" if c <= 9 else "10+"
                      for c in affective.values())
    assert buckets["10+"] >= 10 and buckets["4-9"] >= 20
    assert buckets["1"] > buckets["2-3"] > buckets["4-9"] > buckets["10+"]
    # the 10+ users (the heavy user aside) hold nothing but affective conversations
    many = [u for u, c in affective.items() if c >= 10 and per_user[u] < 30]
    assert len(many) >= 9 and all(affective[u] == per_user[u] for u in many)


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
    assert 0.38 <= share <= 0.50  # ~56% task-oriented, ~44% affective


def test_heavy_topic_word_stays_in_its_topic(data: tuple[list[dict], list[dict]]) -> None:
    # flows tests assert the heavy user's topic word ("visa") is never published
    conversations, truth = data
    for conv, tr in zip(conversations, truth, strict=True):
        if tr["topic"] == HEAVY_TOPIC:
            continue
        text = user_text(conv)
        for pii in tr["pii"]:
            text = text.replace(pii["value"], "")
        assert "visa" not in text.lower()
