"""PhoneAfterCueRecognizer: grouped 7-15 digit numbers right after a phone cue."""

from __future__ import annotations

import pytest

from tasks.recognizers.phone_after_cue import PhoneAfterCueRecognizer
from tests.tasks.recognizers.conftest import (
    analyze,
    assert_declares_patterns_and_context,
    assert_results,
)


@pytest.fixture(scope="module")
def recognizer() -> PhoneAfterCueRecognizer:
    return PhoneAfterCueRecognizer()


@pytest.fixture(scope="module")
def entities() -> list[str]:
    return ["PHONE_NUMBER"]


@pytest.mark.parametrize(
    "text, expected_len, expected_positions",
    [
        # fmt: off
        # must match
        ("Phone: 10-20-30-40 E-mail", 1, ((7, 18),)),  # "10-20-30-40"
        ("stop the messages to 600 700 800", 1, ((21, 32),)),  # "600 700 800"
        ("Phone: (12) 345-678", 1, ((7, 19),)),  # "(12) 345-678"
        ("call me on 1234 5678?", 1, ((11, 20),)),  # "1234 5678"
        ("Desk: +1-222-333-4444x55 Fax", 1, ((6, 24),)),  # "+1-222-333-4444x55"
        ("nobody answering at 12 345678", 1, ((20, 29),)),  # "12 345678"
        # must not match
        ("call me at 5", 0, ()),
        ("phone 2019", 0, ()),
        ("version 1.2.3", 0, ()),
        ("call me on 2024-05-01", 0, ()),
        ("it costs 123 456 dollars", 0, ()),
        # fmt: on
    ],
)
def test_analyze(
    text: str,
    expected_len: int,
    expected_positions: tuple[tuple[int, int], ...],
    recognizer: PhoneAfterCueRecognizer,
    entities: list[str],
) -> None:
    results = analyze(recognizer, text, entities)
    assert_results(results, text, entities[0], expected_len, expected_positions)


def test_declares_patterns_and_context(
    recognizer: PhoneAfterCueRecognizer, entities: list[str]
) -> None:
    assert_declares_patterns_and_context(PhoneAfterCueRecognizer, recognizer)
    assert recognizer.supported_entities == entities
