"""Must-match / must-not-match tables for the address, country, phone-label and name
recognizers added for issue 3 (patterns only, fast; all examples made up)."""

from __future__ import annotations

import pytest
from presidio_analyzer import EntityRecognizer

from tasks.recognizers.country import CountryRecognizer
from tasks.recognizers.intl_street_address import IntlStreetAddressRecognizer
from tasks.recognizers.name_list import NameListRecognizer
from tasks.recognizers.person_initial import PersonInitialRecognizer
from tasks.recognizers.phone_with_label import PhoneLabelRecognizer
from tasks.recognizers.postal_box import PostalBoxRecognizer
from tasks.recognizers.postcode import PostcodeRecognizer
from tasks.recognizers.street_address import StreetAddressRecognizer


def spans(recognizer: EntityRecognizer, text: str, threshold: float = 0.4) -> list[str]:
    results = recognizer.analyze(text, recognizer.supported_entities, None)
    results = EntityRecognizer.remove_duplicates([r for r in results if r.score >= threshold])
    return [text[r.start:r.end] for r in sorted(results, key=lambda r: r.start)]


# Chat about feelings, work and family that no recognizer here may touch.
CHAT_TRAPS = [
    "I'm Tired of all this",
    "my manager said the deadline is Monday",
    "42 people came to the party",
    "I have 3 kids and 2 dogs",
    "I'm learning Python 3 this year",
    "New Year plans: run 5 km a day",
    "Main idea: keep it simple",
    "top 10 songs of 2024",
    "we won 3 home games in a row",
    "the test suite 3 failed again",
    "unit 5 of the course is hard",
    "I work 40 hours a week at 2 jobs",
    "send it via email to the team",
    "Type B personality, Plan B works",
    "Then I Said no",
    "Python, Java and Go are all fine",
    "Monday, Tuesday and Friday work for me",
    "we met in finland last summer",
    "I upgraded to Windows 11 and Office 365",
    "Chapter 4 Section 2 was tough",
]

ALL = [IntlStreetAddressRecognizer(), PostalBoxRecognizer(), CountryRecognizer(),
       PhoneLabelRecognizer(), PersonInitialRecognizer(), NameListRecognizer()]


@pytest.mark.parametrize("text", CHAT_TRAPS)
def test_chat_traps_untouched(text: str) -> None:
    for recognizer in ALL:
        if isinstance(recognizer, CountryRecognizer):
            continue  # countries are masked on purpose; traps hold none
        assert spans(recognizer, text) == [], type(recognizer).__name__


INTL_MATCHES = [
    ("I live at Havnevej 14, Aarhus", ["Havnevej 14, Aarhus"]),
    ("send it to Birkenstraße 7b please", ["Birkenstraße 7b"]),
    ("my flat is at Rua das Flores 88", ["Rua das Flores 88"]),
    ("ship to 12 Rue de la Paix, Paris", ["12 Rue de la Paix, Paris"]),
    ("ul. Lipowa 5 Apt. 3", ["ul. Lipowa 5 Apt. 3"]),
    ("Petőfi tér 4.", ["Petőfi tér 4."]),
    ("Tammikatu 9\nTampere\nFinland 33100", ["Tammikatu 9\nTampere\nFinland 33100"]),
    ("4410 Koivu 12\n Suite 7\n Lahti", ["4410 Koivu 12\n Suite 7\n Lahti"]),
    ("she lives at 51 Pargi 8, Tartu", ["51 Pargi 8, Tartu"]),
]


@pytest.mark.parametrize(("text", "expected"), INTL_MATCHES)
def test_intl_street_matches(text: str, expected: list[str]) -> None:
    assert spans(IntlStreetAddressRecognizer(), text) == expected


@pytest.mark.parametrize("text", ["via Zoom at 3", "the Rue is 5 stars", "vejen er lang",
                                  "I live with 2 cats", "Kungsgatan is busy"])
def test_intl_street_non_matches(text: str) -> None:
    assert spans(IntlStreetAddressRecognizer(), text) == []


def test_us_address_takes_block_tail() -> None:
    text = "88 Willow Lane\nSuite 12\nRiverton\nNew Zealand 4410"
    assert spans(StreetAddressRecognizer(), text) == [text]


def test_address_tail_stops_at_sentence_line() -> None:
    text = "12 Oak Street\nCan you help me with the move?"
    assert spans(StreetAddressRecognizer(), text) == ["12 Oak Street"]


BOX_MATCHES = [
    ("write to P.O. Box 77", ["P.O. Box 77"]),
    ("PO Box 310, Springfield", ["PO Box 310, Springfield"]),
    ("PSC 1234, Box 567\nAPO AE 09012", ["PSC 1234, Box 567\nAPO AE 09012"]),
    ("Unit 2020 Box 11", ["Unit 2020 Box 11"]),
    ("it's Apt. 12 on the left", ["Apt. 12"]),
    ("Suite 400 is upstairs", ["Suite 400"]),
]


@pytest.mark.parametrize(("text", "expected"), BOX_MATCHES)
def test_postal_box_matches(text: str, expected: list[str]) -> None:
    assert spans(PostalBoxRecognizer(), text) == expected


@pytest.mark.parametrize("text", ["a box of 12 donuts", "my inbox 3 times", "apt 5 minutes"])
def test_postal_box_non_matches(text: str) -> None:
    assert spans(PostalBoxRecognizer(), text) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("we moved to Portugal", ["Portugal"]),
    ("NEW ZEALAND 4410", ["NEW ZEALAND"]),
    ("a trip to the United Kingdom", ["United Kingdom"]),
])
def test_country_matches(text: str, expected: list[str]) -> None:
    assert spans(CountryRecognizer(), text) == expected


@pytest.mark.parametrize("text", ["my friend Chad", "Jordan called", "roast Turkey dinner",
                                  "we met in finland", "Main idea", "New Year"])
def test_country_non_matches(text: str) -> None:
    assert spans(CountryRecognizer(), text) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("301 55 017 office", ["301 55 017"]),
    ("44 120 998 1234-Office", ["44 120 998 1234"]),
    ("(21) 555-018 (mobile)", ["(21) 555-018"]),
    ("Phone:\n812 4407", ["812 4407"]),
])
def test_phone_label_matches(text: str, expected: list[str]) -> None:
    assert spans(PhoneLabelRecognizer(), text) == expected


@pytest.mark.parametrize("text", ["42 people office party", "2024 work plan",
                                  "3 home games", "Phone:\n2 lines are broken"])
def test_phone_label_non_matches(text: str) -> None:
    assert spans(PhoneLabelRecognizer(), text) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("ZIP: 4410", ["4410"]),
    ("postal code 123 45", ["123 45"]),
    ("zip: 1234 AB", ["1234 AB"]),
    ("postcode 70-123", ["70-123"]),
])
def test_postcode_intl_after_cue(text: str, expected: list[str]) -> None:
    assert spans(PostcodeRecognizer(), text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("a song by Ravi K. Menon", ["Ravi K. Menon"]),
    ("Signed: Anna J Kowalski", ["Anna J Kowalski"]),
])
def test_person_initial_matches(text: str, expected: list[str]) -> None:
    assert spans(PersonInitialRecognizer(), text) == expected


@pytest.mark.parametrize("text", ["Vitamin D Deficiency", "ravi k menon", "Grade A Student",
                                  "Plan B Works"])
def test_person_initial_non_matches(text: str) -> None:
    assert spans(PersonInitialRecognizer(), text) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("we invited Okafor, Priya and Lindqvist", ["Okafor", "Priya", "Lindqvist"]),
    ("Tom, Ines, Varga & Hale came", ["Tom", "Ines", "Varga", "Hale"]),
])
def test_name_list_matches(text: str, expected: list[str]) -> None:
    assert spans(NameListRecognizer(), text) == expected
