"""``tasks.scrub.referral``: the flag is read from raw assistant turns; no text leaves."""

from __future__ import annotations

import logging

import polars as pl
import pytest
from presidio_analyzer import AnalyzerEngine

from chorus.core.schemas import SCRUBBED_SCHEMA
from chorus.core.settings import ScrubSettings
from tasks.scrub import referral_flags, scrub_conversations
from tests.tasks.scrub.conftest import make_frame

REFERRAL_CANARY = "Qorvanthe-7731"


def test_referral_flags_per_conversation() -> None:
    flags = referral_flags([["please talk to a therapist"], [], ["enjoy your meal", ""]])
    assert flags.dtype == bool and flags.tolist() == [True, False, False]


@pytest.mark.privacy
def test_referral_flag_comes_from_raw_assistant_turns_which_never_leave(
    pattern_analyzer: AnalyzerEngine, settings: ScrubSettings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    frame = make_frame([
        ("r1", "u1", [("user", "I feel so low lately"),
                      ("assistant", (f"I'm sorry, {REFERRAL_CANARY}. Please talk to a "
                                     "therapist or call the Samaritans on 116 123 "
                                     "(jo@example.org)."))]),
        ("r2", "u2", [("user", "book me a table for two"),
                      ("assistant", f"Booked, {REFERRAL_CANARY}. Enjoy your meal.")]),
        ("r3", "u3", [("user", "just me talking")]),  # no assistant turn: False
        ("r4", "u4", [("user", "hi"), ("assistant", None),
                      ("ASSISTANT", "Have you tried opening up to your parents?")]),
    ])
    scrubbed, _ = scrub_conversations(frame, pattern_analyzer, settings)
    assert scrubbed.schema == pl.Schema(SCRUBBED_SCHEMA)
    assert scrubbed["referral"].to_list() == [True, False, False, True]
    everything = str(scrubbed.to_dicts()) + str(scrubbed.columns)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    # the count line is there (so the scan below reads real logs) ...
    assert ("scrubbed 4 conversations: 4 documents, 4 user turns, 0 analyzed turn by turn, "
            "0 entities replaced") in logged
    # ... and holds no assistant text
    for fragment in (REFERRAL_CANARY, "therapist", "Samaritans", "Booked", "parents"):
        assert fragment not in everything and fragment not in logged
