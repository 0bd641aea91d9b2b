"""PhoneLabelRecognizer: numbers labelled after them ("... office") or on the line above."""

from __future__ import annotations

import pytest

from tasks.recognizers.phone_with_label import PhoneLabelRecognizer
from tests.tasks.recognizers.conftest import analyze, assert_results


@pytest.fixture(scope="module")
def recognizer() -> PhoneLabelRecognizer:
    return PhoneLabelRecognizer()


@pytest.fixture(scope="module")
def entities() -> list[str]:
    return ["PHONE_NUMBER"]


@pytest.mark.parametrize(
    "text, expected_len, expected_positions",
    [
        # fmt: off
        # must match
        ("301 55 017 office", 1, ((0, 10),)),  # "301 55 017"
        ("44 120 998 1234-Office", 1, ((0, 15),)),  # "44 120 998 1234"
        ("(21) 555-018 (mobile)", 1, ((0, 12),)),  # "(21) 555-018"
        ("Phone:\n812 4407", 1, ((7, 15),)),  # "812 4407"
        # must not match
        ("42 people office party", 0, ()),
        ("2024 work plan", 0, ()),
        ("3 home games", 0, ()),
        ("Phone:\n2 lines are broken", 0, ()),
        # fmt: on
    ],
)
def test_analyze(
    text: str,
    expected_len: int,
    expected_positions: tuple[tuple[int, int], ...],
    recognizer: PhoneLabelRecognizer,
    entities: list[str],
) -> None:
    results = analyze(recognizer, text, entities)
    assert_results(results, text, entities[0], expected_len, expected_positions)
