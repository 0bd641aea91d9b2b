"""Chat about feelings, work and family that none of these recognizers may touch."""

from __future__ import annotations

import pytest
from presidio_analyzer import EntityRecognizer

from tasks.recognizers.intl_street_address import IntlStreetAddressRecognizer
from tasks.recognizers.name_list import NameListRecognizer
from tasks.recognizers.passport_after_cue import PassportAfterCueRecognizer
from tasks.recognizers.person_context import PersonContextRecognizer
from tasks.recognizers.person_initial import PersonInitialRecognizer
from tasks.recognizers.phone_with_label import PhoneLabelRecognizer
from tasks.recognizers.postal_box import PostalBoxRecognizer
from tasks.recognizers.postcode import PostcodeRecognizer
from tasks.recognizers.speaker_label import SpeakerLabelRecognizer
from tasks.recognizers.ssn_after_cue import SsnAfterCueRecognizer
from tasks.recognizers.uk_bank_account import UkBankAccountRecognizer
from tasks.recognizers.uk_driving_licence import UkDrivingLicenceRecognizer
from tasks.recognizers.uk_nhs import UkNhsRecognizer
from tasks.recognizers.uk_nino import UkNinoRecognizer
from tasks.recognizers.uk_passport import UkPassportRecognizer
from tests.tasks.recognizers.conftest import analyze

# All examples made up.
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
    "NHS 111 told me to rest",
    "my passport expires in 2027",
    "I sorted 12 34 56 into groups",
    "the social club meets at 7 on Friday",
    "Input: a list\nOutput: the sorted list",
]

# CountryRecognizer is left out: countries are masked on purpose (the traps hold none).
RECOGNIZERS = [
    IntlStreetAddressRecognizer(),
    PostalBoxRecognizer(),
    PhoneLabelRecognizer(),
    PersonInitialRecognizer(),
    NameListRecognizer(),
    # issue 13
    PersonContextRecognizer(),
    PostcodeRecognizer(),
    SpeakerLabelRecognizer(),
    UkNinoRecognizer(),
    UkNhsRecognizer(),
    SsnAfterCueRecognizer(),
    UkPassportRecognizer(),
    PassportAfterCueRecognizer(),
    UkDrivingLicenceRecognizer(),
    UkBankAccountRecognizer(),
]


@pytest.mark.parametrize("recognizer", RECOGNIZERS, ids=lambda r: type(r).__name__)
@pytest.mark.parametrize("text", CHAT_TRAPS)
def test_chat_traps_untouched(text: str, recognizer: EntityRecognizer) -> None:
    results = analyze(recognizer, text, recognizer.supported_entities)
    assert results == [], [text[r.start:r.end] for r in results]
