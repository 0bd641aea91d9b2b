"""CardAfterCueRecognizer: 12-19 digit numbers right after a card cue, Luhn or not."""

from __future__ import annotations

import pytest

from tasks.recognizers.card_after_cue import CardAfterCueRecognizer
from tests.tasks.recognizers.conftest import (
    analyze,
    assert_declares_patterns_and_context,
    assert_results,
)


@pytest.fixture(scope="module")
def recognizer() -> CardAfterCueRecognizer:
    return CardAfterCueRecognizer()


@pytest.fixture(scope="module")
def entities() -> list[str]:
    return ["CREDIT_CARD"]


@pytest.mark.parametrize(
    "text, expected_len, expected_positions",
    [
        # fmt: off
        # must match
        ("my card 4000123412341234567 expires", 1, ((8, 27),)),  # "4000123412341234567"
        ("card number 600011112222 is lost", 1, ((12, 24),)),  # "600011112222"
        ("my credit card number is 700012345678?", 1, ((25, 37),)),  # "700012345678"
        ("the bill for cc 500098765432 please", 1, ((16, 28),)),  # "500098765432"
        ("limit on my card # 2200 3300 4400 5500", 1, ((19, 38),)),  # "2200 3300 4400 5500"
        # must not match
        ("my card 2023", 0, ()),
        ("order 123456789012 shipped", 0, ()),
        ("card ending 1234", 0, ()),
        ("card 12345678901234567890123", 0, ()),
        # fmt: on
    ],
)
def test_analyze(
    text: str,
    expected_len: int,
    expected_positions: tuple[tuple[int, int], ...],
    recognizer: CardAfterCueRecognizer,
    entities: list[str],
) -> None:
    results = analyze(recognizer, text, entities)
    assert_results(results, text, entities[0], expected_len, expected_positions)


def test_declares_patterns_and_context(
    recognizer: CardAfterCueRecognizer, entities: list[str]
) -> None:
    assert_declares_patterns_and_context(CardAfterCueRecognizer, recognizer)
    assert recognizer.supported_entities == entities
