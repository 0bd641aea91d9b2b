"""NameListRecognizer: each member of a list "X, Y and Z" that holds a listed first name."""

from __future__ import annotations

import pytest

from tasks.recognizers.name_list import NameListRecognizer
from tests.tasks.recognizers.conftest import analyze, assert_results


@pytest.fixture(scope="module")
def recognizer() -> NameListRecognizer:
    return NameListRecognizer()


@pytest.fixture(scope="module")
def entities() -> list[str]:
    return ["PERSON"]


@pytest.mark.parametrize(
    "text, expected_len, expected_positions",
    [
        # fmt: off
        # must match
        # "Okafor", "Priya", "Lindqvist"
        ("we invited Okafor, Priya and Lindqvist", 3, ((11, 17), (19, 24), (29, 38),)),
        # "Tom", "Ines", "Varga", "Hale"
        ("Tom, Ines, Varga & Hale came", 4, ((0, 3), (5, 9), (11, 16), (19, 23),)),
        # fmt: on
    ],
)
def test_analyze(
    text: str,
    expected_len: int,
    expected_positions: tuple[tuple[int, int], ...],
    recognizer: NameListRecognizer,
    entities: list[str],
) -> None:
    results = analyze(recognizer, text, entities)
    assert_results(results, text, entities[0], expected_len, expected_positions)
