"""PhoneFormatRecognizer: phone-number shapes (NANP, "+CC", UK national, local after a cue)."""

from __future__ import annotations

import pytest

from tasks.recognizers.phone_formats import PhoneFormatRecognizer
from tests.tasks.recognizers.conftest import (
    analyze,
    assert_declares_patterns_and_context,
    assert_results,
)


@pytest.fixture(scope="module")
def recognizer() -> PhoneFormatRecognizer:
    return PhoneFormatRecognizer()


@pytest.fixture(scope="module")
def entities() -> list[str]:
    return ["PHONE_NUMBER"]


@pytest.mark.parametrize(
    "text, expected_len, expected_positions",
    [
        # fmt: off
        # must match
        ("call (556) 680-1788 now", 1, ((5, 19),)),  # "(556) 680-1788"
        ("my cell 462-956-5262", 1, ((8, 20),)),  # "462-956-5262"
        ("it's 558.573.2319", 1, ((5, 17),)),  # "558.573.2319"
        ("reach me on +1 462 956 5262 later", 1, ((12, 27),)),  # "+1 462 956 5262"
        ("UK: +44 20 7946 0958", 1, ((4, 20),)),  # "+44 20 7946 0958"
        ("mobile 07700 900123", 1, ((7, 19),)),  # "07700 900123"
        ("call 555-0134 tonight", 1, ((5, 13),)),  # "555-0134"
        # must not match
        ("from 2019-2020", 0, ()),
        ("build 10.0.19041", 0, ()),
        ("pi is 3.14159265", 0, ()),
        ("order 555-0134", 0, ()),
        ("+12", 0, ()),
        ("1234-5678-9012-3456", 0, ()),
        # fmt: on
    ],
)
def test_analyze(
    text: str,
    expected_len: int,
    expected_positions: tuple[tuple[int, int], ...],
    recognizer: PhoneFormatRecognizer,
    entities: list[str],
) -> None:
    results = analyze(recognizer, text, entities)
    assert_results(results, text, entities[0], expected_len, expected_positions)


def test_declares_patterns_and_context(
    recognizer: PhoneFormatRecognizer, entities: list[str]
) -> None:
    assert_declares_patterns_and_context(PhoneFormatRecognizer, recognizer)
    assert recognizer.supported_entities == entities
