"""FirstNameRecognizer: a listed first name, Title-case, with the surname words after it."""

from __future__ import annotations

import pytest

from tasks.recognizers.first_name import FirstNameRecognizer
from tests.tasks.recognizers.conftest import (
    analyze,
    assert_declares_patterns_and_context,
    assert_results,
)


@pytest.fixture(scope="module")
def recognizer() -> FirstNameRecognizer:
    return FirstNameRecognizer()


@pytest.fixture(scope="module")
def entities() -> list[str]:
    return ["PERSON"]


@pytest.mark.parametrize(
    "text, expected_len, expected_positions",
    [
        # fmt: off
        # must match
        ("Chloe Costa from accounts says", 1, ((0, 11),)),  # "Chloe Costa"
        ("ask Priya about it", 1, ((4, 9),)),  # "Priya"
        ("Tom's laptop broke", 1, ((0, 3),)),  # "Tom"
        ("Mohammed Al Hassan called", 1, ((0, 18),)),  # "Mohammed Al Hassan"
        ("I told Ngozi Okafor", 1, ((7, 19),)),  # "Ngozi Okafor"
        # must not match
        ("giulia jones", 0, ()),
        ("Will this work?", 0, ()),
        ("Mark the cell as done", 0, ()),
        ("June is hot", 0, ()),
        ("Grace period ends", 0, ()),
        ("Ruby on Rails", 0, ()),
        ("Julia is a language", 0, ()),
        ("Austin Texas", 0, ()),
        ("Tomcat server", 0, ()),
        # fmt: on
    ],
)
def test_analyze(
    text: str,
    expected_len: int,
    expected_positions: tuple[tuple[int, int], ...],
    recognizer: FirstNameRecognizer,
    entities: list[str],
) -> None:
    results = analyze(recognizer, text, entities)
    assert_results(results, text, entities[0], expected_len, expected_positions)


def test_declares_patterns_and_context(
    recognizer: FirstNameRecognizer, entities: list[str]
) -> None:
    assert_declares_patterns_and_context(FirstNameRecognizer, recognizer)
    assert recognizer.supported_entities == entities
