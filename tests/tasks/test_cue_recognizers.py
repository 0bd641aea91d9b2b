"""What the cue-based card and phone recognizers must and must not match (patterns only)."""

from __future__ import annotations

import pytest

from tasks.recognizers.card_after_cue import CardAfterCueRecognizer
from tasks.recognizers.phone_after_cue import PhoneAfterCueRecognizer
from tests.tasks.test_recognizers import spans

CARD_MATCHES = [
    ("my card 4000123412341234567 expires", ["4000123412341234567"]),
    ("card number 600011112222 is lost", ["600011112222"]),
    ("my credit card number is 700012345678?", ["700012345678"]),
    ("the bill for cc 500098765432 please", ["500098765432"]),
    ("limit on my card # 2200 3300 4400 5500", ["2200 3300 4400 5500"]),
]
CARD_NON_MATCHES = ["my card 2023", "order 123456789012 shipped", "card ending 1234",
                    "card 12345678901234567890123"]

PHONE_MATCHES = [
    ("Phone: 10-20-30-40 E-mail", ["10-20-30-40"]),
    ("stop the messages to 600 700 800", ["600 700 800"]),
    ("Phone: (12) 345-678", ["(12) 345-678"]),
    ("call me on 1234 5678?", ["1234 5678"]),
    ("Desk: +1-222-333-4444x55 Fax", ["+1-222-333-4444x55"]),
    ("nobody answering at 12 345678", ["12 345678"]),
]
PHONE_NON_MATCHES = ["call me at 5", "phone 2019", "version 1.2.3", "call me on 2024-05-01",
                     "it costs 123 456 dollars"]


@pytest.mark.parametrize(("text", "expected"), CARD_MATCHES)
def test_card_after_cue_matches(text: str, expected: list[str]) -> None:
    assert spans(CardAfterCueRecognizer(), text) == expected


@pytest.mark.parametrize("text", CARD_NON_MATCHES)
def test_card_after_cue_ignores(text: str) -> None:
    assert spans(CardAfterCueRecognizer(), text) == []


@pytest.mark.parametrize(("text", "expected"), PHONE_MATCHES)
def test_phone_after_cue_matches(text: str, expected: list[str]) -> None:
    assert spans(PhoneAfterCueRecognizer(), text) == expected


@pytest.mark.parametrize("text", PHONE_NON_MATCHES)
def test_phone_after_cue_ignores(text: str) -> None:
    assert spans(PhoneAfterCueRecognizer(), text) == []


@pytest.mark.parametrize("cls", [CardAfterCueRecognizer, PhoneAfterCueRecognizer])
def test_declares_patterns_and_context(cls: type) -> None:
    assert cls.PATTERNS and cls.CONTEXT and cls().supported_language == "en"
