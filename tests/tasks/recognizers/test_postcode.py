"""PostcodeRecognizer: UK postcodes, US ZIP codes after a state code, any code after a cue."""

from __future__ import annotations

import pytest

from tasks.recognizers.postcode import PostcodeRecognizer
from tests.tasks.recognizers.conftest import (
    analyze,
    assert_declares_patterns_and_context,
    assert_results,
)


@pytest.fixture(scope="module")
def recognizer() -> PostcodeRecognizer:
    return PostcodeRecognizer()


@pytest.fixture(scope="module")
def entities() -> list[str]:
    return ["POSTAL_CODE"]


@pytest.mark.parametrize(
    "text, expected_len, expected_positions",
    [
        # fmt: off
        # must match
        ("I'm in SW1A 1AA", 1, ((7, 15),)),  # "SW1A 1AA"
        ("NW1 6XE", 1, ((0, 7),)),
        ("zip is 62704", 1, ((7, 12),)),  # "62704"
        ("zip code: 10001-1234", 1, ((10, 20),)),  # "10001-1234"
        ("Springfield, IL 62704", 1, ((13, 21),)),  # "IL 62704"
        ("postcode: sw1a 1aa", 1, ((10, 18),)),  # "sw1a 1aa"
        # other countries' codes after a cue
        ("ZIP: 4410", 1, ((5, 9),)),  # "4410"
        ("postal code 123 45", 1, ((12, 18),)),  # "123 45"
        ("zip: 1234 AB", 1, ((5, 12),)),  # "1234 AB"
        ("postcode 70-123", 1, ((9, 15),)),  # "70-123"
        # lower-case UK postcodes (the space is required), codes after a place name
        ("I live at 12 Baker Street, london nw1 6xe", 1, ((34, 41),)),  # "nw1 6xe"
        ("sw1a 1aa", 1, ((0, 8),)),
        ("support Factset in Bjert 6091 in its mission", 1, ((25, 29),)),  # "6091"
        ("in Quinta de São Tiago 3610-114.", 1, ((23, 31),)),  # "3610-114"
        ("in ÖVERTURINGEN 840 24,", 1, ((16, 22),)),  # "840 24"
        # must not match
        ("COVID 19", 0, ()),
        ("RTX 4090", 0, ()),
        ("A4 paper", 0, ()),
        ("in 62704", 0, ()),
        ("IN 2024", 0, ()),
        ("MP3", 0, ()),
        ("b2 3rd", 0, ()),
        ("mp3 2nd", 0, ()),
        ("in Windows 2000", 0, ()),
        ("in Office 2016 and Excel", 0, ()),
        ("in room 1234.", 0, ()),
        ("in Python 3.12", 0, ()),
        # fmt: on
    ],
)
def test_analyze(
    text: str,
    expected_len: int,
    expected_positions: tuple[tuple[int, int], ...],
    recognizer: PostcodeRecognizer,
    entities: list[str],
) -> None:
    results = analyze(recognizer, text, entities)
    assert_results(results, text, entities[0], expected_len, expected_positions)


def test_declares_patterns_and_context(
    recognizer: PostcodeRecognizer, entities: list[str]
) -> None:
    assert_declares_patterns_and_context(PostcodeRecognizer, recognizer)
    assert recognizer.supported_entities == entities
