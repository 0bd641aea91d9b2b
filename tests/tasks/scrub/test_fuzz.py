"""Property-based scrub: whatever ingest accepts, ``scrub_conversations`` takes.

Fuzzed JSONL files (``tests.tasks.ingest.strategies``: any Unicode but what the contract
rejects, extra fields, empty messages, planted faults) go through ingest's ``read_inputs``,
and the accepted frame through ``scrub_conversations`` with the pattern-only analyzer.

Properties: no exception at all (a ``StageError`` would hide a crash behind the text-safe
wrapper, so even a ``ChorusError`` fails the test); one output row per conversation, in
order; the user turns are the accepted user messages, counted; no assistant text (its
canary) and no planted e-mail address survives; every output string is valid UTF-8; the
PII counts reconcile with the placeholders written.

Budget: ``strategies.FUZZ`` (200 examples; ``CHORUS_FUZZ_EXAMPLES`` for longer runs).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chorus.core.settings import IngestSettings
from tasks.ingest import read_inputs
from tasks.scrub import scrub_conversations
from tests.tasks.ingest.strategies import (
    ASSISTANT_CANARY,
    EMAIL,
    FUZZ,
    MAX_CHARS,
    NOW,
    encode,
    faulty_record,
    valid_record,
)

pytestmark = [pytest.mark.privacy]

INGEST = IngestSettings(max_message_chars=MAX_CHARS, max_quarantine_share=1.0)


@st.composite
def mostly_valid_file(draw) -> bytes:
    lines = []
    for i in range(draw(st.integers(1, 6))):
        if draw(st.integers(0, 3)):
            lines.append(encode(draw, draw(valid_record(i))))
        else:
            lines.append(encode(draw, draw(faulty_record(i))[0]))
    return b"\n".join(lines) + b"\n"


@FUZZ
@given(content=mostly_valid_file())
def test_scrub_takes_every_accepted_conversation(tmp_path_factory, pattern_analyzer, settings,
                                                 content: bytes):
    path: Path = tmp_path_factory.mktemp("fuzz") / "in.jsonl"
    path.write_bytes(content)
    frame = read_inputs([path], INGEST, now=NOW).conversations

    scrubbed, pii_counts = scrub_conversations(frame, pattern_analyzer, settings)

    assert scrubbed["conversation_id"].to_list() == frame["conversation_id"].to_list()
    users = [[m["content"] for m in msgs if m["role"] == "user"]
             for msgs in frame["messages"].to_list()]
    assistants = [sum(m["role"] == "assistant" for m in msgs)
                  for msgs in frame["messages"].to_list()]
    assert scrubbed["n_user_turns"].to_list() == [len(u) for u in users]
    assert scrubbed["n_assistant_turns"].to_list() == assistants
    turns = scrubbed["user_turns"].to_list()
    assert [len(t) for t in turns] == [len(u) for u in users]
    placeholders = 0
    for conv in turns:
        for turn in conv:
            assert ASSISTANT_CANARY not in turn and EMAIL not in turn
            turn.encode("utf-8")  # no lone surrogate came through
            placeholders += turn.count("<EMAIL_ADDRESS>")
    planted = sum(turn.count(EMAIL) for conv in users for turn in conv)
    emails = pii_counts.filter(pii_counts["entity_type"] == "EMAIL_ADDRESS")["n_entities"]
    assert int(emails.sum()) == placeholders
    assert placeholders >= planted  # each planted address became one placeholder at least
