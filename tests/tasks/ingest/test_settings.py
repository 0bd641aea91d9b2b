"""Ingest settings: bounds, and the message limit that keeps every message within spaCy's."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from chorus.core.config import load_config
from chorus.core.errors import ConfigError
from chorus.core.settings import IngestSettings
from chorus.core.settings.ingest import MAX_MESSAGE_CHARS_LIMIT, SPACY_MAX_LENGTH
from tasks.ingest import read_conversations
from tests.tasks.ingest.helpers import good, line, write_lines


@pytest.mark.parametrize(("field", "value"), [
    ("max_quarantine_share", -0.1), ("max_quarantine_share", 1.5),
    ("max_message_chars", 0), ("max_message_chars", MAX_MESSAGE_CHARS_LIMIT + 1),
    ("max_message_chars", 2_000_000), ("max_future_hours", -1.0),
])
def test_out_of_bounds_is_rejected(field, value):
    with pytest.raises(ValidationError):
        IngestSettings(**{field: value})


def test_the_limit_is_in_force_from_the_command_line_config():
    with pytest.raises(ConfigError, match=r"ingest\.max_message_chars: .*less than or equal "
                                          "to 990000"):
        load_config(None, ["ingest.max_message_chars=2000000"])
    assert load_config(None, [f"ingest.max_message_chars={MAX_MESSAGE_CHARS_LIMIT}"])


@pytest.mark.slow
def test_the_limit_stays_below_what_scrubs_spacy_takes():
    """spaCy's default, and the real analyzer's pipeline, take every accepted message."""
    import spacy

    from chorus.core.settings import ScrubSettings
    from tasks.scrub import build_analyzer

    assert spacy.blank("en").max_length == SPACY_MAX_LENGTH > MAX_MESSAGE_CHARS_LIMIT
    analyzer = build_analyzer(ScrubSettings(progress=False))
    assert analyzer.nlp_engine.nlp["en"].max_length >= SPACY_MAX_LENGTH  # type: ignore[attr-defined]


def test_a_message_over_the_limit_is_quarantined_with_its_line(tmp_path):
    settings = IngestSettings(max_message_chars=MAX_MESSAGE_CHARS_LIMIT,
                              max_quarantine_share=0.5)
    huge = good(2)
    huge["messages"][1]["content"] = "x" * (SPACY_MAX_LENGTH + 1)
    at_limit = good(3)
    at_limit["messages"][0]["content"] = "y" * MAX_MESSAGE_CHARS_LIMIT
    path = write_lines(tmp_path / "in.jsonl", [line(good(1)), line(huge), line(at_limit)])
    result = read_conversations([path], settings)
    assert result.conversations["conversation_id"].to_list() == ["c1", "c3"]
    assert result.quarantine.rows() == [(str(path), 2, (
        "messages[1].content is longer than 990000 characters (ingest.max_message_chars)"))]
