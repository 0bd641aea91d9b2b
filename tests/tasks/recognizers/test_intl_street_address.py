"""IntlStreetAddressRecognizer: non-US street shapes, one line or a pasted address block."""

from __future__ import annotations

import pytest

from tasks.recognizers.intl_street_address import IntlStreetAddressRecognizer
from tests.tasks.recognizers.conftest import analyze, assert_results


@pytest.fixture(scope="module")
def recognizer() -> IntlStreetAddressRecognizer:
    return IntlStreetAddressRecognizer()


@pytest.fixture(scope="module")
def entities() -> list[str]:
    return ["STREET_ADDRESS"]


@pytest.mark.parametrize(
    "text, expected_len, expected_positions",
    [
        # fmt: off
        # must match
        ("I live at Havnevej 14, Aarhus", 1, ((10, 29),)),  # "Havnevej 14, Aarhus"
        ("send it to Birkenstraße 7b please", 1, ((11, 26),)),  # "Birkenstraße 7b"
        ("my flat is at Rua das Flores 88", 1, ((14, 31),)),  # "Rua das Flores 88"
        ("ship to 12 Rue de la Paix, Paris", 1, ((8, 32),)),  # "12 Rue de la Paix, Paris"
        ("ul. Lipowa 5 Apt. 3", 1, ((0, 19),)),
        ("Petőfi tér 4.", 1, ((0, 13),)),
        ("Tammikatu 9\nTampere\nFinland 33100", 1, ((0, 33),)),
        ("4410 Koivu 12\n Suite 7\n Lahti", 1, ((0, 29),)),
        ("she lives at 51 Pargi 8, Tartu", 1, ((13, 30),)),  # "51 Pargi 8, Tartu"
        # must not match
        ("via Zoom at 3", 0, ()),
        ("the Rue is 5 stars", 0, ()),
        ("vejen er lang", 0, ()),
        ("I live with 2 cats", 0, ()),
        ("Kungsgatan is busy", 0, ()),
        # fmt: on
    ],
)
def test_analyze(
    text: str,
    expected_len: int,
    expected_positions: tuple[tuple[int, int], ...],
    recognizer: IntlStreetAddressRecognizer,
    entities: list[str],
) -> None:
    results = analyze(recognizer, text, entities)
    assert_results(results, text, entities[0], expected_len, expected_positions)
