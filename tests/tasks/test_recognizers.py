"""Tables of what each custom recognizer must and must not match (patterns only, fast)."""

from __future__ import annotations

import pytest
from presidio_analyzer import EntityRecognizer

from tasks.recognizers.first_name import FirstNameRecognizer
from tasks.recognizers.person_context import PersonContextRecognizer
from tasks.recognizers.phone_formats import PhoneFormatRecognizer
from tasks.recognizers.postcode import PostcodeRecognizer
from tasks.recognizers.street_address import StreetAddressRecognizer


def spans(recognizer: EntityRecognizer, text: str, threshold: float = 0.4) -> list[str]:
    """The matched substrings, de-duplicated, in text order (as the analyzer keeps them)."""
    results = recognizer.analyze(text, recognizer.supported_entities, None)
    results = EntityRecognizer.remove_duplicates(
        [r for r in results if r.score >= threshold]
    )
    return [text[r.start:r.end] for r in sorted(results, key=lambda r: r.start)]


# --------------------------------------------------------------- PersonContextRecognizer

PERSON_CONTEXT_MATCHES = [
    ("Hi, I'm Sarah Connor and I need help", ["Sarah Connor"]),
    ("my manager Tom Becker wants the report", ["Tom Becker"]),
    ("My name is Priya Patel.", ["Priya Patel"]),
    ("my name's Tom.", ["Tom"]),
    ("I am Anna Schmidt, a nurse", ["Anna Schmidt"]),
    ("im Jo btw", ["Jo"]),
    ("you can call me Liz", ["Liz"]),
    ("Name: Oluwaseun Adeyemi", ["Oluwaseun Adeyemi"]),
    ("my ex-wife, Jane Doe, says", ["Jane Doe"]),
    ("my best friend O'Brien is late", ["O'Brien"]),
    ("our new boss Anna-Lena Vogt started", ["Anna-Lena Vogt"]),
    ("her doctor Dr. Gupta said", ["Gupta"]),
    ("I saw Mrs. O'Neill today", ["O'Neill"]),
    ("Hi, this is Mark from accounts", ["Mark"]),
    ("This is Zebulon here, quick question", ["Zebulon"]),
    ("Dear Mr Patel,\nI am writing", ["Patel"]),
    ("Hi Sarah,\ncan we meet", ["Sarah"]),
    ("Best regards,\nJohn Smith", ["John Smith"]),
    ("a guy named Bob keeps calling", ["Bob"]),
    ("my friend Jack White is here", ["Jack White"]),
    ("write a reply to Ingrid Rodriguez who emailed", ["Ingrid Rodriguez"]),
    ("I had a long chat with Giulia Jones about it", ["Giulia Jones"]),
    ("MY MANAGER Tom said", ["Tom"]),
]

PERSON_CONTEXT_NON_MATCHES = [
    "I'm Sorry",
    "I'm Not sure about this",
    "my manager said no",
    "I'm Using React for this",
    "I am American",
    "this is Python code",
    "This is Python code",
    "Hi Team,\nplease review",
    "Hi ChatGPT, help me",
    "my son's teacher is strict",
    "My name is priya",
    "Monday",
    "call me Monday",
    "chat with Docker about it",
    "42 people came",
]


@pytest.mark.parametrize(("text", "expected"), PERSON_CONTEXT_MATCHES)
def test_person_context_matches_name_only(text: str, expected: list[str]) -> None:
    assert spans(PersonContextRecognizer(), text) == expected


@pytest.mark.parametrize("text", PERSON_CONTEXT_NON_MATCHES)
def test_person_context_ignores(text: str) -> None:
    assert spans(PersonContextRecognizer(), text) == []


# ------------------------------------------------------------------ FirstNameRecognizer

FIRST_NAME_MATCHES = [
    ("Chloe Costa from accounts says", ["Chloe Costa"]),
    ("ask Priya about it", ["Priya"]),
    ("Tom's laptop broke", ["Tom"]),
    ("Mohammed Al Hassan called", ["Mohammed Al Hassan"]),
    ("I told Ngozi Okafor", ["Ngozi Okafor"]),
]

FIRST_NAME_NON_MATCHES = [
    "giulia jones",
    "Will this work?",
    "Mark the cell as done",
    "June is hot",
    "Grace period ends",
    "Ruby on Rails",
    "Julia is a language",
    "Austin Texas",
    "Tomcat server",
]


@pytest.mark.parametrize(("text", "expected"), FIRST_NAME_MATCHES)
def test_first_name_matches(text: str, expected: list[str]) -> None:
    assert spans(FirstNameRecognizer(), text) == expected


@pytest.mark.parametrize("text", FIRST_NAME_NON_MATCHES)
def test_first_name_ignores(text: str) -> None:
    assert spans(FirstNameRecognizer(), text) == []


# -------------------------------------------------------------- StreetAddressRecognizer

ADDRESS_MATCHES = [
    ("I live at 42 Maple Avenue.", ["42 Maple Avenue"]),
    ("1187 Oak Street, Apt 4B is mine", ["1187 Oak Street, Apt 4B"]),
    ("it's 12 Baker St", ["12 Baker St"]),
    ("Flat 3, 12 Baker St, London NW1 6XE. ok", ["Flat 3, 12 Baker St, London NW1 6XE"]),
    ("send it to 42 maple ave please", ["42 maple ave"]),
    ("221B Baker Street", ["221B Baker Street"]),
    (
        "1600 Pennsylvania Avenue NW, Washington, DC 20500",
        ["1600 Pennsylvania Avenue NW, Washington, DC 20500"],
    ),
    ("350 5th Ave, Suite 300", ["350 5th Ave, Suite 300"]),
    ("42 Maple Avenue, Springfield, IL 62704 and", ["42 Maple Avenue, Springfield, IL 62704"]),
    ("42 Maple Avenue, and then", ["42 Maple Avenue"]),
    ("10 Downing Street", ["10 Downing Street"]),
    ("12-14 High Rd. #3", ["12-14 High Rd. #3"]),
    ("55 West Sunset Blvd", ["55 West Sunset Blvd"]),
]

ADDRESS_NON_MATCHES = [
    "42 people",
    "walked 3 blocks down the road",
    "2 Dr appointments",
    "a 1 TB hard drive",
    "a 10 minute walk",
    "3 in a row",
    "Monday",
    "version 2 of the way",
    "a 5 percent rise",
]


@pytest.mark.parametrize(("text", "expected"), ADDRESS_MATCHES)
def test_street_address_matches(text: str, expected: list[str]) -> None:
    assert spans(StreetAddressRecognizer(), text) == expected


@pytest.mark.parametrize("text", ADDRESS_NON_MATCHES)
def test_street_address_ignores(text: str) -> None:
    assert spans(StreetAddressRecognizer(), text) == []


# ------------------------------------------------------------------- PostcodeRecognizer

POSTCODE_MATCHES = [
    ("I'm in SW1A 1AA", ["SW1A 1AA"]),
    ("NW1 6XE", ["NW1 6XE"]),
    ("zip is 62704", ["62704"]),
    ("zip code: 10001-1234", ["10001-1234"]),
    ("Springfield, IL 62704", ["IL 62704"]),
    ("postcode: sw1a 1aa", ["sw1a 1aa"]),
]

POSTCODE_NON_MATCHES = ["COVID 19", "RTX 4090", "A4 paper", "in 62704", "IN 2024", "MP3"]


@pytest.mark.parametrize(("text", "expected"), POSTCODE_MATCHES)
def test_postcode_matches(text: str, expected: list[str]) -> None:
    assert spans(PostcodeRecognizer(), text) == expected


@pytest.mark.parametrize("text", POSTCODE_NON_MATCHES)
def test_postcode_ignores(text: str) -> None:
    assert spans(PostcodeRecognizer(), text) == []


# ---------------------------------------------------------------- PhoneFormatRecognizer

PHONE_MATCHES = [
    ("call (556) 680-1788 now", ["(556) 680-1788"]),
    ("my cell 462-956-5262", ["462-956-5262"]),
    ("it's 558.573.2319", ["558.573.2319"]),
    ("reach me on +1 462 956 5262 later", ["+1 462 956 5262"]),
    ("UK: +44 20 7946 0958", ["+44 20 7946 0958"]),
    ("mobile 07700 900123", ["07700 900123"]),
    ("call 555-0134 tonight", ["555-0134"]),
]

PHONE_NON_MATCHES = [
    "from 2019-2020",
    "build 10.0.19041",
    "pi is 3.14159265",
    "order 555-0134",
    "+12",
    "1234-5678-9012-3456",
]


@pytest.mark.parametrize(("text", "expected"), PHONE_MATCHES)
def test_phone_format_matches(text: str, expected: list[str]) -> None:
    assert spans(PhoneFormatRecognizer(), text) == expected


@pytest.mark.parametrize("text", PHONE_NON_MATCHES)
def test_phone_format_ignores(text: str) -> None:
    assert spans(PhoneFormatRecognizer(), text) == []


# ---------------------------------------------------------------------------- shared


@pytest.mark.parametrize(
    "cls",
    [
        PersonContextRecognizer,
        FirstNameRecognizer,
        StreetAddressRecognizer,
        PostcodeRecognizer,
        PhoneFormatRecognizer,
    ],
)
def test_recognizer_declares_patterns_and_context(cls: type) -> None:
    recognizer = cls()
    assert cls.PATTERNS and cls.CONTEXT
    assert recognizer.supported_language == "en"
    # every pattern clears the default 0.4 threshold on its own
    assert all(p.score >= 0.4 for p in recognizer.patterns)
    # instances do not share compiled Pattern objects with the class constant
    assert all(a is not b for a, b in zip(recognizer.patterns, cls.PATTERNS))
