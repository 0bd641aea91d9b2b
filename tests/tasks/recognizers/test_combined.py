"""Chat about feelings, work and family that none of the issue-3 recognizers may touch."""

from __future__ import annotations

import pytest
from presidio_analyzer import EntityRecognizer

from tasks.recognizers.intl_street_address import IntlStreetAddressRecognizer
from tasks.recognizers.name_list import NameListRecognizer
from tasks.recognizers.person_initial import PersonInitialRecognizer
from tasks.recognizers.phone_with_label import PhoneLabelRecognizer
from tasks.recognizers.postal_box import PostalBoxRecognizer
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
]

# CountryRecognizer is left out: countries are masked on purpose (the traps hold none).
RECOGNIZERS = [
    IntlStreetAddressRecognizer(),
    PostalBoxRecognizer(),
    PhoneLabelRecognizer(),
    PersonInitialRecognizer(),
    NameListRecognizer(),
]


@pytest.mark.parametrize("recognizer", RECOGNIZERS, ids=lambda r: type(r).__name__)
@pytest.mark.parametrize("text", CHAT_TRAPS)
def test_chat_traps_untouched(text: str, recognizer: EntityRecognizer) -> None:
    results = analyze(recognizer, text, recognizer.supported_entities)
    assert results == [], [text[r.start:r.end] for r in results]
