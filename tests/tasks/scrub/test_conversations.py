"""``tasks.scrub.conversations``: shapes, counts, input checks, and what never leaves."""

from __future__ import annotations

import logging

import polars as pl
import pytest
from presidio_analyzer import AnalyzerEngine, EntityRecognizer

from chorus.core.errors import ChorusError, StageError
from chorus.core.schemas import PII_COUNTS_SCHEMA, SCRUBBED_SCHEMA
from chorus.core.settings import ScrubSettings
from tasks.scrub import scrub_conversations, scrub_texts
from tests.tasks.scrub.conftest import (
    CONVERSATIONS,
    SECRET,
    analyzer_with,
    counts_by_type,
    make_frame,
)


def test_scrub_conversations_shapes_and_text(
    pattern_analyzer: AnalyzerEngine, settings: ScrubSettings
) -> None:
    frame = make_frame(CONVERSATIONS)
    scrubbed, pii_counts = scrub_conversations(frame, pattern_analyzer, settings)

    assert scrubbed.schema == pl.Schema(SCRUBBED_SCHEMA)
    assert pii_counts.schema == pl.Schema(PII_COUNTS_SCHEMA)
    assert scrubbed["conversation_id"].to_list() == ["c1", "c2", "c3", "c4"]
    assert scrubbed["created_at"].to_list() == frame["created_at"].to_list()
    assert scrubbed["n_user_turns"].to_list() == [2, 1, 0, 2]
    assert scrubbed["n_assistant_turns"].to_list() == [2, 0, 1, 0]
    assert scrubbed["user_turns"].to_list() == [
        ["my manager <PERSON> wants this by Friday", "ok, email it to <EMAIL_ADDRESS> please"],
        ["call me on <PHONE_NUMBER> or <EMAIL_ADDRESS>"],
        [],
        ["", "first para\n\nsecond para <IP_ADDRESS>"],
    ]
    everything = str(scrubbed.to_dicts())
    assert "ASSISTANT-ONLY-CANARY" not in everything
    assert "helpful assistant" not in everything
    assert scrubbed["referral"].to_list() == [False, False, False, False]
    assert scrubbed["boundary"].to_list() == [False, False, False, False]


def test_pii_counts_per_type(pattern_analyzer: AnalyzerEngine, settings: ScrubSettings) -> None:
    _, pii_counts = scrub_conversations(make_frame(CONVERSATIONS), pattern_analyzer, settings)
    assert counts_by_type(pii_counts) == {
        "PERSON": (1, 1, 1),
        "EMAIL_ADDRESS": (2, 2, 1),
        "PHONE_NUMBER": (1, 1, 1),
        "IP_ADDRESS": (1, 1, 1),
    }
    # every scrubbed type has a row, zeros included, sorted by type
    types = pii_counts["entity_type"].to_list()
    assert types == sorted(types)
    assert "CREDIT_CARD" in types
    assert "LOCATION" not in types  # not findable without NER


def test_empty_frame(pattern_analyzer: AnalyzerEngine, settings: ScrubSettings) -> None:
    scrubbed, pii_counts = scrub_conversations(make_frame([]), pattern_analyzer, settings)
    assert scrubbed.height == 0
    assert scrubbed.schema == pl.Schema(SCRUBBED_SCHEMA)
    assert pii_counts.schema == pl.Schema(PII_COUNTS_SCHEMA)
    assert pii_counts["n_entities"].sum() == 0


def test_input_without_messages_column_is_rejected(
    pattern_analyzer: AnalyzerEngine, settings: ScrubSettings
) -> None:
    frame = make_frame(CONVERSATIONS).drop("messages")
    with pytest.raises(ChorusError, match="messages"):
        scrub_conversations(frame, pattern_analyzer, settings)


# ------------------------------------------------------------------------- privacy

ASSISTANT_CANARY = "Vexmorrin-4417"


@pytest.mark.privacy
def test_assistant_text_never_leaves_scrub(
    pattern_analyzer: AnalyzerEngine, settings: ScrubSettings
) -> None:
    # The assistant turn carries a canary, PII of its own and a boundary statement: neither
    # its text nor its PII may reach any column of either output (the PII counts count
    # user turns only); only the boundary Boolean does.
    frame = make_frame([
        ("a1", "u1", [("user", "how do I sort a list?"),
                      ("assistant", f"{ASSISTANT_CANARY}: mail {ASSISTANT_CANARY}@example.org "
                                    "or call (415) 555-0177 from 10.9.8.7; I'm an AI, not "
                                    "a therapist")]),
        ("a2", "u2", [("assistant", f"only the assistant speaks, {ASSISTANT_CANARY}")]),
    ])
    scrubbed, pii_counts = scrub_conversations(frame, pattern_analyzer, settings)
    assert scrubbed["user_turns"].to_list() == [["how do I sort a list?"], []]
    assert scrubbed["n_assistant_turns"].to_list() == [1, 1]
    assert scrubbed["boundary"].to_list() == [True, False]
    for out in (scrubbed, pii_counts):
        assert out.height > 0
        for column in out.columns:
            values = str(out.get_column(column).to_list())
            for fragment in (ASSISTANT_CANARY, "Vexmorrin", "555-0177", "10.9.8.7",
                             "therapist"):
                assert fragment not in values and fragment not in column
    assert counts_by_type(pii_counts) == {}


@pytest.mark.privacy
def test_logs_hold_counts_not_text(
    pattern_analyzer: AnalyzerEngine, settings: ScrubSettings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    scrub_conversations(make_frame(CONVERSATIONS), pattern_analyzer, settings)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    # the count line is there (so the scan below reads real logs) ...
    assert ("scrubbed 4 conversations: 3 documents, 5 user turns, 0 analyzed turn by turn, "
            "5 entities replaced") in logged
    # ... and no text is
    for fragment in ("Tom Becker", "tom.becker@", "555-0134", "10.1.2.3", "first para", "CANARY"):
        assert fragment not in logged


class ExplodingRecognizer(EntityRecognizer):
    """Fails the way a library might: with the analyzed text in the message."""

    def __init__(self) -> None:
        super().__init__(supported_entities=["BOOM"], supported_language="en")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        raise ValueError(f"cannot parse {text!r}")


@pytest.fixture
def exploding_analyzer() -> AnalyzerEngine:
    return analyzer_with(ExplodingRecognizer())


@pytest.mark.privacy
def test_failing_analyzer_raises_stage_error_without_text(
    exploding_analyzer: AnalyzerEngine, caplog: pytest.LogCaptureFixture
) -> None:
    settings = ScrubSettings(progress=False, entities=["BOOM"])
    frame = make_frame([("c", "u", [("user", SECRET)])])
    caplog.set_level(logging.DEBUG)
    with pytest.raises(StageError) as info:
        scrub_conversations(frame, exploding_analyzer, settings)
    assert "scrub" in str(info.value)
    assert "Zebulon" not in str(info.value) and "Secret" not in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__
    with pytest.raises(StageError) as info2:
        scrub_texts([SECRET], exploding_analyzer, settings)
    assert "Zebulon" not in str(info2.value)
    # the failure is logged by type (so the scan below reads real logs), without the text
    assert "stage scrub failed with ValueError (message withheld)" in [
        r.getMessage() for r in caplog.records
    ]
    assert all("Zebulon" not in r.getMessage() for r in caplog.records)
