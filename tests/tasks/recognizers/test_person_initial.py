"""PersonInitialRecognizer: "First M. Last" names around a single middle initial."""

from __future__ import annotations

import pytest

from tasks.recognizers.person_initial import PersonInitialRecognizer
from tests.tasks.recognizers.conftest import analyze, assert_results


@pytest.fixture(scope="module")
def recognizer() -> PersonInitialRecognizer:
    return PersonInitialRecognizer()


@pytest.fixture(scope="module")
def entities() -> list[str]:
    return ["PERSON"]


@pytest.mark.parametrize(
    "text, expected_len, expected_positions",
    [
        # fmt: off
        # must match
        ("a song by Ravi K. Menon", 1, ((10, 23),)),  # "Ravi K. Menon"
        ("Signed: Anna J Kowalski", 1, ((8, 23),)),  # "Anna J Kowalski"
        # must not match
        ("Vitamin D Deficiency", 0, ()),
        ("ravi k menon", 0, ()),
        ("Grade A Student", 0, ()),
        ("Plan B Works", 0, ()),
        # fmt: on
    ],
)
def test_analyze(
    text: str,
    expected_len: int,
    expected_positions: tuple[tuple[int, int], ...],
    recognizer: PersonInitialRecognizer,
    entities: list[str],
) -> None:
    results = analyze(recognizer, text, entities)
    assert_results(results, text, entities[0], expected_len, expected_positions)
