"""UkPassportRecognizer: two letters and seven digits after a passport cue, nine digits
after a UK one."""

from __future__ import annotations

import pytest

from tasks.recognizers.uk_passport import UkPassportRecognizer
from tests.tasks.recognizers.conftest import (
    analyze,
    assert_declares_patterns_and_context,
    assert_results,
)


@pytest.fixture(scope="module")
def recognizer() -> UkPassportRecognizer:
    return UkPassportRecognizer()


@pytest.fixture(scope="module")
def entities() -> list[str]:
    return ["UK_PASSPORT"]


@pytest.mark.parametrize(
    "text, expected_len, expected_positions",
    [
        # fmt: off
        # must match
        ('UK passport GB1234567', 1, ((12, 21),)),  # "GB1234567"
        ('passport no: ab 1234567', 1, ((13, 23),)),  # "ab 1234567"
        ('my British passport number is 123456789', 1, ((30, 39),)),  # "123456789"
        ('UK passport: 987654321', 1, ((13, 22),)),  # "987654321"
        # must not match
        ('passport GB12345', 0, ()),
        ('GB1234567', 0, ()),
        ('passport 123456789', 0, ()),
        ('British passport renewal', 0, ()),
        # fmt: on
    ],
)
def test_analyze(
    text: str,
    expected_len: int,
    expected_positions: tuple[tuple[int, int], ...],
    recognizer: UkPassportRecognizer,
    entities: list[str],
) -> None:
    results = analyze(recognizer, text, entities)
    assert_results(results, text, entities[0], expected_len, expected_positions)


def test_declares_patterns_and_context(
    recognizer: UkPassportRecognizer, entities: list[str]
) -> None:
    assert_declares_patterns_and_context(UkPassportRecognizer, recognizer)
    assert recognizer.supported_entities == entities
