"""UkNinoRecognizer: National Insurance numbers, the issued shape anywhere, any letters
after a cue."""

from __future__ import annotations

import pytest

from tasks.recognizers.uk_nino import UkNinoRecognizer
from tests.tasks.recognizers.conftest import (
    analyze,
    assert_declares_patterns_and_context,
    assert_results,
)


@pytest.fixture(scope="module")
def recognizer() -> UkNinoRecognizer:
    return UkNinoRecognizer()


@pytest.fixture(scope="module")
def entities() -> list[str]:
    return ["UK_NINO"]


@pytest.mark.parametrize(
    "text, expected_len, expected_positions",
    [
        # fmt: off
        # must match
        ('My national insurance number is QQ 12 34 56 C', 1, ((32, 45),)),  # "QQ 12 34 56 C"
        ('ni number qq123456c', 1, ((10, 19),)),  # "qq123456c"
        ('NINO: AB 12 34 56 C', 1, ((6, 19),)),  # "AB 12 34 56 C"
        ('it is ce123456d I think', 1, ((6, 15),)),  # "ce123456d"
        ('NI no: qq-12-34-56-c', 1, ((7, 20),)),  # "qq-12-34-56-c"
        ('insurance number QQ123456', 1, ((17, 25),)),  # "QQ123456"
        # must not match
        ('GB 12 34 56 A', 0, ()),
        ('AB 12 34 56', 0, ()),
        ('AB1234567', 0, ()),
        ('insurance number 12', 0, ()),
        ('NI number unknown', 0, ()),
        ('ask for the NI office', 0, ()),
        # fmt: on
    ],
)
def test_analyze(
    text: str,
    expected_len: int,
    expected_positions: tuple[tuple[int, int], ...],
    recognizer: UkNinoRecognizer,
    entities: list[str],
) -> None:
    results = analyze(recognizer, text, entities)
    assert_results(results, text, entities[0], expected_len, expected_positions)


def test_declares_patterns_and_context(
    recognizer: UkNinoRecognizer, entities: list[str]
) -> None:
    assert_declares_patterns_and_context(UkNinoRecognizer, recognizer)
    assert recognizer.supported_entities == entities
