"""CountryRecognizer: country names, Title-case or upper-case, never ambiguous ones."""

from __future__ import annotations

import pytest

from tasks.recognizers.country import CountryRecognizer
from tests.tasks.recognizers.conftest import analyze, assert_results


@pytest.fixture(scope="module")
def recognizer() -> CountryRecognizer:
    return CountryRecognizer()


@pytest.fixture(scope="module")
def entities() -> list[str]:
    return ["LOCATION"]


@pytest.mark.parametrize(
    "text, expected_len, expected_positions",
    [
        # fmt: off
        # must match
        ("we moved to Portugal", 1, ((12, 20),)),  # "Portugal"
        ("NEW ZEALAND 4410", 1, ((0, 11),)),  # "NEW ZEALAND"
        ("a trip to the United Kingdom", 1, ((14, 28),)),  # "United Kingdom"
        # must not match
        ("my friend Chad", 0, ()),
        ("Jordan called", 0, ()),
        ("roast Turkey dinner", 0, ()),
        ("we met in finland", 0, ()),
        ("Main idea", 0, ()),
        ("New Year", 0, ()),
        # fmt: on
    ],
)
def test_analyze(
    text: str,
    expected_len: int,
    expected_positions: tuple[tuple[int, int], ...],
    recognizer: CountryRecognizer,
    entities: list[str],
) -> None:
    results = analyze(recognizer, text, entities)
    assert_results(results, text, entities[0], expected_len, expected_positions)
