"""Digit gates: a gated recognizer answers exactly what the ungated one does.

``ChorusPatternRecognizer.NEEDS_DIGIT`` classes are compared with the same class built
from explicit ``patterns`` (which switches the gate off); ``DigitGatedPhoneRecognizer``
with Presidio's ``PhoneRecognizer``.
"""

from __future__ import annotations

import pytest
from presidio_analyzer import EntityRecognizer, Pattern, RecognizerRegistry
from presidio_analyzer.predefined_recognizers import PhoneRecognizer

from tasks.recognizers._common import ChorusPatternRecognizer, has_digit
from tasks.recognizers.digit_gate import DigitGatedPhoneRecognizer, gate_predefined
from tasks.recognizers.intl_street_address import IntlStreetAddressRecognizer
from tasks.recognizers.passport_after_cue import PassportAfterCueRecognizer
from tasks.recognizers.postcode import PostcodeRecognizer
from tasks.recognizers.uk_nino import UkNinoRecognizer
from tasks.recognizers.uk_passport import UkPassportRecognizer

GATED = [IntlStreetAddressRecognizer, PassportAfterCueRecognizer, PostcodeRecognizer,
         UkNinoRecognizer, UkPassportRecognizer]

# Texts each gated class is run on: hits, near misses, digit-free look-alikes and
# digits outside ASCII (Arabic-Indic, fullwidth), which ``\d`` also reads.
TEXTS = [
    "I live at Mellemvej 32, 2100 København, Denmark",
    "lives at Mellemvej, København",
    "Rua Augusta 25, Lisboa",
    "postcode: sw1a 1aa and zip is 62704",
    "london NW one six XE",
    "in Bjert ٦٠٩١ in its mission",
    "national insurance number is QQ 12 34 56 C",
    "NI number QQ one two",
    "UK passport GB1234567, passport number C01X00T47",
    "passport renewal soon",
    "call １２３-４５６７ tonight",
    "",
]

PHONES = ["call me on (415) 555-0134", "ring +44 20 7946 0958 please", "no number here",
          "٠٢٠ ٧٩٤٦ ٠٩٥٨", "phone: one two three", ""]


def _spans(recognizer: EntityRecognizer, text: str) -> list[tuple[int, int, str, float]]:
    found = recognizer.analyze(text, recognizer.supported_entities, None)
    return sorted((r.start, r.end, r.entity_type, r.score) for r in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", False), ("abc", False), ("a1", True), ("٣", True), ("１", True), ("²", False)],
)
def test_has_digit(text: str, expected: bool) -> None:
    assert has_digit(text) is expected


@pytest.mark.parametrize("cls", GATED, ids=lambda c: c.__name__)
@pytest.mark.parametrize("text", TEXTS)
def test_gated_class_answers_as_ungated(cls: type[ChorusPatternRecognizer], text: str) -> None:
    gated = cls()
    ungated = cls(patterns=[Pattern(p.name, p.regex, p.score) for p in cls.PATTERNS])
    assert gated.needs_digit and not ungated.needs_digit
    assert _spans(gated, text) == _spans(ungated, text)


def test_the_gated_table_has_hits() -> None:
    # not vacuous: every gated class finds something in the table
    for cls in GATED:
        assert any(_spans(cls(), text) for text in TEXTS), cls.__name__
    assert any(_spans(PhoneRecognizer(), text) for text in PHONES)


@pytest.mark.parametrize("text", PHONES)
def test_gated_phone_answers_as_presidio(text: str) -> None:
    plain = PhoneRecognizer()
    assert _spans(DigitGatedPhoneRecognizer.like(plain), text) == _spans(plain, text)


def test_gate_predefined_swaps_in_place() -> None:
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(languages=["en"])
    before = [r.name for r in registry.recognizers]
    assert gate_predefined(registry) == 1
    assert [r.name for r in registry.recognizers] == before
    gated = [r for r in registry.recognizers if isinstance(r, DigitGatedPhoneRecognizer)]
    assert len(gated) == 1 and gated[0].supported_regions == PhoneRecognizer().supported_regions
    assert gate_predefined(registry) == 0
