"""PassportAfterCueRecognizer: any 6-12 letters and digits after a passport cue."""

from __future__ import annotations

import pytest

from tasks.recognizers.passport_after_cue import PassportAfterCueRecognizer
from tests.tasks.recognizers.conftest import (
    analyze,
    assert_declares_patterns_and_context,
    assert_results,
)


@pytest.fixture(scope="module")
def recognizer() -> PassportAfterCueRecognizer:
    return PassportAfterCueRecognizer()


@pytest.fixture(scope="module")
def entities() -> list[str]:
    return ["PASSPORT"]


@pytest.mark.parametrize(
    "text, expected_len, expected_positions",
    [
        # fmt: off
        # must match
        ('passport number C01X00T47', 1, ((16, 25),)),  # "C01X00T47"
        ('Passport: X1234567', 1, ((10, 18),)),  # "X1234567"
        ('passport no. is 12AB34567', 1, ((16, 25),)),  # "12AB34567"
        ('passport 123456789', 1, ((9, 18),)),  # "123456789"
        # must not match
        ('passport photos', 0, ()),
        ('passport 2024', 0, ()),
        ('passport renewal in 2 weeks', 0, ()),
        ('passport ABCDEFGH', 0, ()),
        # fmt: on
    ],
)
def test_analyze(
    text: str,
    expected_len: int,
    expected_positions: tuple[tuple[int, int], ...],
    recognizer: PassportAfterCueRecognizer,
    entities: list[str],
) -> None:
    results = analyze(recognizer, text, entities)
    assert_results(results, text, entities[0], expected_len, expected_positions)


def test_declares_patterns_and_context(
    recognizer: PassportAfterCueRecognizer, entities: list[str]
) -> None:
    assert_declares_patterns_and_context(PassportAfterCueRecognizer, recognizer)
    assert recognizer.supported_entities == entities
