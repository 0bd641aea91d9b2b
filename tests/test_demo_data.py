"""Tests for the synthetic demo-data generator (chorus.demo_data)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import datetime, timezone

import polars as pl
import pytest

from chorus.demo_data import (
    HEAVY_TOPIC,
    MAIN_TOPICS,
    PII_TYPES,
    TAIL_TOPICS,
    generate,
    write_demo_data,
)

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
        assert set(tr) == {"conversation_id", "user_id", "topic", "pii"}
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
    assert 0.12 <= largest / N <= 0.25


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
