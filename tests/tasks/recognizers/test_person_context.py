"""PersonContextRecognizer: a Title-case name after a chat cue; only the name is the span."""

from __future__ import annotations

import pytest

from tasks.recognizers.person_context import PersonContextRecognizer
from tests.tasks.recognizers.conftest import (
    analyze,
    assert_declares_patterns_and_context,
    assert_results,
)


@pytest.fixture(scope="module")
def recognizer() -> PersonContextRecognizer:
    return PersonContextRecognizer()


@pytest.fixture(scope="module")
def entities() -> list[str]:
    return ["PERSON"]


@pytest.mark.parametrize(
    "text, expected_len, expected_positions",
    [
        # fmt: off
        # must match
        ("Hi, I'm Sarah Connor and I need help", 1, ((8, 20),)),  # "Sarah Connor"
        ("my manager Tom Becker wants the report", 1, ((11, 21),)),  # "Tom Becker"
        ("My name is Priya Patel.", 1, ((11, 22),)),  # "Priya Patel"
        ("my name's Tom.", 1, ((10, 13),)),  # "Tom"
        ("I am Anna Schmidt, a nurse", 1, ((5, 17),)),  # "Anna Schmidt"
        ("im Jo btw", 1, ((3, 5),)),  # "Jo"
        ("you can call me Liz", 1, ((16, 19),)),  # "Liz"
        ("Name: Oluwaseun Adeyemi", 1, ((6, 23),)),  # "Oluwaseun Adeyemi"
        ("my ex-wife, Jane Doe, says", 1, ((12, 20),)),  # "Jane Doe"
        ("my best friend O'Brien is late", 1, ((15, 22),)),  # "O'Brien"
        ("our new boss Anna-Lena Vogt started", 1, ((13, 27),)),  # "Anna-Lena Vogt"
        ("her doctor Dr. Gupta said", 1, ((15, 20),)),  # "Gupta"
        ("I saw Mrs. O'Neill today", 1, ((11, 18),)),  # "O'Neill"
        ("Hi, this is Mark from accounts", 1, ((12, 16),)),  # "Mark"
        ("This is Zebulon here, quick question", 1, ((8, 15),)),  # "Zebulon"
        ("Dear Mr Patel,\nI am writing", 1, ((8, 13),)),  # "Patel"
        ("Hi Sarah,\ncan we meet", 1, ((3, 8),)),  # "Sarah"
        ("Best regards,\nJohn Smith", 1, ((14, 24),)),  # "John Smith"
        ("a guy named Bob keeps calling", 1, ((12, 15),)),  # "Bob"
        ("my friend Jack White is here", 1, ((10, 20),)),  # "Jack White"
        ("write a reply to Ingrid Rodriguez who emailed", 1, ((17, 33),)),  # "Ingrid Rodriguez"
        ("I had a long chat with Giulia Jones about it", 1, ((23, 35),)),  # "Giulia Jones"
        ("MY MANAGER Tom said", 1, ((11, 14),)),  # "Tom"
        # name fields, lower-case after the strongest cues, quote attribution, subjects
        ("Her maiden name is Møller", 1, ((19, 25),)),  # "Møller"
        ("my last name is LeBatelier", 1, ((16, 26),)),  # "LeBatelier"
        ("surname: Okafor", 1, ((9, 15),)),  # "Okafor"
        ("her maiden name is nyberg", 1, ((19, 25),)),  # "nyberg"
        ("My name is priya", 1, ((11, 16),)),  # "priya"
        ("everyone calls me Ján", 1, ((18, 21),)),  # "Ján"
        ("sometimes people call me višeslav", 1, ((25, 33),)),  # "višeslav"
        ('"I am glad," says Hauta-aho.', 1, ((18, 27),)),  # "Hauta-aho"
        ("jealous! said Erle", 1, ((14, 18),)),  # "Erle"
        ("Timotea lives on Via dei Fiorentini", 1, ((0, 7),)),  # "Timotea"
        ("Nikolaj spent a year at Datamarket", 1, ((0, 7),)),  # "Nikolaj"
        ("Billing address: Tintin Forsberg\n 2437 Main St", 1, ((17, 32),)),  # the name
        # must not match
        ("I'm Sorry", 0, ()),
        ("I'm Not sure about this", 0, ()),
        ("my manager said no", 0, ()),
        ("I'm Using React for this", 0, ()),
        ("I am American", 0, ()),
        ("this is Python code", 0, ()),
        ("This is Python code", 0, ()),
        ("Hi Team,\nplease review", 0, ()),
        ("Hi ChatGPT, help me", 0, ()),
        ("my son's teacher is strict", 0, ()),
        ("my friend john said", 0, ()),  # lower case after a weak cue stays
        ("Monday", 0, ()),
        ("call me Monday", 0, ()),
        ("chat with Docker about it", 0, ()),
        ("42 people came", 0, ()),
        ("my name is not important", 0, ()),
        ("people call me back", 0, ()),
        ("they call me crazy", 0, ()),
        ("it said Python", 0, ()),
        ("Monday works for me", 0, ()),
        ("surname: unknown", 0, ()),
        # fmt: on
    ],
)
def test_analyze(
    text: str,
    expected_len: int,
    expected_positions: tuple[tuple[int, int], ...],
    recognizer: PersonContextRecognizer,
    entities: list[str],
) -> None:
    results = analyze(recognizer, text, entities)
    assert_results(results, text, entities[0], expected_len, expected_positions)


def test_declares_patterns_and_context(
    recognizer: PersonContextRecognizer, entities: list[str]
) -> None:
    assert_declares_patterns_and_context(PersonContextRecognizer, recognizer)
    assert recognizer.supported_entities == entities
