"""Scrubbing with the real spaCy model (marked slow): planted PII goes, topics stay."""

from __future__ import annotations

import pytest
from presidio_analyzer import AnalyzerEngine

from chorus.core.settings import ScrubSettings
from tasks.scrub import scrub_conversations
from tests.tasks.scrub.conftest import counts_by_type, make_frame

pytestmark = pytest.mark.slow

PLANTED = {
    "PERSON": ["Giulia Jones", "Tom Becker", "Xiomara Quispe", "Priya Patel"],
    "EMAIL_ADDRESS": ["sarah.connor@example.com", "jb42@mail.co.uk"],
    "PHONE_NUMBER": ["(415) 555-0134", "+44 20 7946 0958", "07700 900123", "212-555-0199"],
    "STREET_ADDRESS": [
        "42 Maple Avenue, Springfield, IL 62704",
        "12 Baker St, London NW1 6XE",
        "1187 Oak Street, Apt 4B",
    ],
    "CREDIT_CARD": ["4111 1111 1111 1111"],
    "IP_ADDRESS": ["192.168.1.20"],
    "URL": ["https://www.jones-photos.com/about"],
}

PLANTED_CONVERSATION = [
    ("user", "Hi, I had a long chat with Giulia Jones about the Python migration."),
    ("assistant", "ASSISTANT-ONLY-CANARY happy to help, Giulia Jones sounds great"),
    ("user", "my manager Tom Becker wants a reply to Xiomara Quispe by Monday."),
    ("user", "Priya Patel said to email sarah.connor@example.com or jb42@mail.co.uk"),
    ("user", "call (415) 555-0134, +44 20 7946 0958, 07700 900123 or 212-555-0199"),
    ("user", "ship to 42 Maple Avenue, Springfield, IL 62704 or 12 Baker St, London NW1 6XE"),
    ("user", "I used to live at 1187 Oak Street, Apt 4B"),
    ("user", "card 4111 1111 1111 1111 failed; server 192.168.1.20 is down"),
    ("user", "my photos are at https://www.jones-photos.com/about"),
]


@pytest.mark.privacy
def test_planted_pii_disappears(spacy_analyzer: AnalyzerEngine, settings: ScrubSettings) -> None:
    frame = make_frame([("c1", "u1", PLANTED_CONVERSATION)])
    scrubbed, pii_counts = scrub_conversations(frame, spacy_analyzer, settings)
    turns = scrubbed["user_turns"].to_list()[0]
    assert len(turns) == 8
    text = "\n".join(turns)
    for kind, values in PLANTED.items():
        for value in values:
            assert value not in text, kind
            assert f"<{kind}>" in text, kind
    # no fragment of an address, name or number survives either
    for fragment in ("Maple", "62704", "NW1", "Baker", "1187", "Becker", "Quispe", "0958"):
        assert fragment not in text
    assert "ASSISTANT-ONLY-CANARY" not in str(scrubbed.to_dicts())
    # topic words stay
    for word in ("Python", "migration", "server", "card"):
        assert word in text
    counts = counts_by_type(pii_counts)
    for kind in PLANTED:
        assert counts[kind][1] == 1


def test_spacy_counts_on_tiny_frame(
    spacy_analyzer: AnalyzerEngine, settings: ScrubSettings
) -> None:
    frame = make_frame(
        [
            ("c1", "u1", [("user", "email a@example.com and b@example.com")]),
            ("c2", "u1", [("user", "my email is c@example.com")]),
            ("c3", "u2", [("user", "my IP is 10.0.0.7"), ("assistant", "noted 10.0.0.8")]),
            ("c4", "u3", [("user", "how do I sort a list in Python?")]),
        ]
    )
    scrubbed, pii_counts = scrub_conversations(frame, spacy_analyzer, settings)
    assert counts_by_type(pii_counts) == {"EMAIL_ADDRESS": (3, 2, 1), "IP_ADDRESS": (1, 1, 1)}
    assert scrubbed["user_turns"].to_list()[3] == ["how do I sort a list in Python?"]


def test_name_from_earlier_turn_in_ner_context(
    spacy_analyzer: AnalyzerEngine, settings: ScrubSettings
) -> None:
    frame = make_frame(
        [
            (
                "c",
                "u",
                [
                    ("user", "My name is Oluwaseun Adeyemi and I need a cover letter."),
                    ("assistant", "Sure."),
                    ("user", "Sign it Oluwaseun Adeyemi, London."),
                ],
            )
        ]
    )
    scrubbed, _ = scrub_conversations(frame, spacy_analyzer, settings)
    text = "\n".join(scrubbed["user_turns"].to_list()[0])
    assert "Oluwaseun" not in text and "Adeyemi" not in text
    assert "London" not in text
