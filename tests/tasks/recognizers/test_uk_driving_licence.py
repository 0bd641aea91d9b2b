"""UkDrivingLicenceRecognizer: DVLA numbers in any case."""

from __future__ import annotations

import pytest

from tasks.recognizers.uk_driving_licence import UkDrivingLicenceRecognizer
from tests.tasks.recognizers.conftest import (
    analyze,
    assert_declares_patterns_and_context,
    assert_results,
)


@pytest.fixture(scope="module")
def recognizer() -> UkDrivingLicenceRecognizer:
    return UkDrivingLicenceRecognizer()


@pytest.fixture(scope="module")
def entities() -> list[str]:
    return ["UK_DRIVING_LICENCE"]


@pytest.mark.parametrize(
    "text, expected_len, expected_positions",
    [
        # fmt: off
        # must match
        ('driving licence MORGA753116SM9IJ', 1, ((16, 32),)),  # "MORGA753116SM9IJ"
        ('morga 753116 sm9ij', 1, ((0, 18),)),
        ('licence SMITH961234AB1CD ok', 1, ((8, 24),)),  # "SMITH961234AB1CD"
        # must not match
        ('MORGA753116', 0, ()),
        ('MORGA713116SM9IJ', 0, ()),
        ('HELLO WORLD 123', 0, ()),
        # fmt: on
    ],
)
def test_analyze(
    text: str,
    expected_len: int,
    expected_positions: tuple[tuple[int, int], ...],
    recognizer: UkDrivingLicenceRecognizer,
    entities: list[str],
) -> None:
    results = analyze(recognizer, text, entities)
    assert_results(results, text, entities[0], expected_len, expected_positions)


def test_declares_patterns_and_context(
    recognizer: UkDrivingLicenceRecognizer, entities: list[str]
) -> None:
    assert_declares_patterns_and_context(UkDrivingLicenceRecognizer, recognizer)
    assert recognizer.supported_entities == entities
