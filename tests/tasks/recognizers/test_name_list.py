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
        # no listed first name, but a plural noun for people right before the list
        # "Kónya", "Becker", "Vasquez"
        ("our 3 founders: Kónya, Becker and Vasquez.", 3, ((16, 21), (23, 29), (34, 41))),
        # "Okafor", "Lind", "Varga"
        ("my colleagues Okafor, Lind and Varga", 3, ((14, 20), (22, 26), (31, 36))),
        # must not match
        ("my favourite languages are Python, Java and Go", 0, ()),
        ("the founders chose Python, Java and Go", 0, ()),
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
