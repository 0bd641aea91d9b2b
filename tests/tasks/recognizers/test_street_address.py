"""StreetAddressRecognizer: US/UK street addresses with their unit, city and postcode tails."""

from __future__ import annotations

import pytest

from tasks.recognizers.street_address import StreetAddressRecognizer
from tests.tasks.recognizers.conftest import (
    analyze,
    assert_declares_patterns_and_context,
    assert_results,
)


@pytest.fixture(scope="module")
def recognizer() -> StreetAddressRecognizer:
    return StreetAddressRecognizer()


@pytest.fixture(scope="module")
def entities() -> list[str]:
    return ["STREET_ADDRESS"]


@pytest.mark.parametrize(
    "text, expected_len, expected_positions",
    [
        # fmt: off
        # must match
        ("I live at 42 Maple Avenue.", 1, ((10, 25),)),  # "42 Maple Avenue"
        ("1187 Oak Street, Apt 4B is mine", 1, ((0, 23),)),  # "1187 Oak Street, Apt 4B"
        ("it's 12 Baker St", 1, ((5, 16),)),  # "12 Baker St"
        # "Flat 3, 12 Baker St, London NW1 6XE"
        ("Flat 3, 12 Baker St, London NW1 6XE. ok", 1, ((0, 35),)),
        ("send it to 42 maple ave please", 1, ((11, 23),)),  # "42 maple ave"
        ("221B Baker Street", 1, ((0, 17),)),
        ("1600 Pennsylvania Avenue NW, Washington, DC 20500", 1, ((0, 49),)),
        ("350 5th Ave, Suite 300", 1, ((0, 22),)),
        # "42 Maple Avenue, Springfield, IL 62704"
        ("42 Maple Avenue, Springfield, IL 62704 and", 1, ((0, 38),)),
        ("42 Maple Avenue, and then", 1, ((0, 15),)),  # "42 Maple Avenue"
        ("10 Downing Street", 1, ((0, 17),)),
        ("12-14 High Rd. #3", 1, ((0, 17),)),
        ("55 West Sunset Blvd", 1, ((0, 19),)),
        # a pasted address block is one span; its tail stops at a sentence line
        ("88 Willow Lane\nSuite 12\nRiverton\nNew Zealand 4410", 1, ((0, 49),)),
        ("12 Oak Street\nCan you help me with the move?", 1, ((0, 13),)),  # "12 Oak Street"
        # must not match
        ("42 people", 0, ()),
        ("walked 3 blocks down the road", 0, ()),
        ("2 Dr appointments", 0, ()),
        ("a 1 TB hard drive", 0, ()),
        ("a 10 minute walk", 0, ()),
        ("3 in a row", 0, ()),
        ("Monday", 0, ()),
        ("version 2 of the way", 0, ()),
        ("a 5 percent rise", 0, ()),
        # fmt: on
    ],
)
def test_analyze(
    text: str,
    expected_len: int,
    expected_positions: tuple[tuple[int, int], ...],
    recognizer: StreetAddressRecognizer,
    entities: list[str],
) -> None:
    results = analyze(recognizer, text, entities)
    assert_results(results, text, entities[0], expected_len, expected_positions)


def test_declares_patterns_and_context(
    recognizer: StreetAddressRecognizer, entities: list[str]
) -> None:
    assert_declares_patterns_and_context(StreetAddressRecognizer, recognizer)
    assert recognizer.supported_entities == entities
