"""Planted PII: verbatim in the user turns, every type present, cards Luhn-valid."""

from __future__ import annotations

import re

from chorus.demo import PII_TYPES
from tests.demo.conftest import user_text


def _luhn_ok(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return total % 10 == 0


def test_truth_pii_is_verbatim_in_user_messages(data: tuple[list[dict], list[dict]]) -> None:
    conversations, truth = data
    for conv, tr in zip(conversations, truth, strict=True):
        text = user_text(conv)
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
