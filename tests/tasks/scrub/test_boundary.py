"""``tasks.scrub.boundary``: the assistant says what it is not or declines a role; the flag
is read from raw assistant turns and no assistant text leaves scrub."""

from __future__ import annotations

import logging

import polars as pl
import pytest
from presidio_analyzer import AnalyzerEngine

from chorus.core.lexicon import matched_pattern_names
from chorus.core.schemas import SCRUBBED_SCHEMA
from chorus.core.settings import ScrubSettings
from tasks.scrub import BOUNDARY_PATTERNS, REFERRAL_PATTERNS, boundary_flags, scrub_conversations
from tests.tasks.scrub.conftest import make_frame

BOUNDARY_CANARY = "Thrennick-5092"


@pytest.mark.parametrize(("text", "pattern"), [
    # says what it is not
    ("I'm an AI, not a therapist, but I can listen.", "ai_not_a_role"),
    ("I am a chatbot and not a real person.", "ai_not_a_role"),
    ("I\u2019m not a doctor, so I can\u2019t tell you what that pain is.", "not_a_role"),
    ("I'm not a licensed therapist.", "not_a_role"),
    ("To be honest, I am not human.", "not_a_role"),
    ("I'm not your girlfriend, and I don't want to pretend otherwise.", "not_a_role"),
    ("Remember that I'm just an AI.", "only_an_ai"),
    ("I am only a language model, so take this with care.", "only_an_ai"),
    # declines a role
    ("I can't be your partner, even if it feels that way.", "declines_role"),
    ("I'm not able to act as your therapist.", "declines_role"),
    ("I cannot really be a friend to you the way a person can.", "declines_role"),
    ("I can't replace a therapist.", "cannot_replace"),
    ("I can't take the place of your friends.", "cannot_replace"),
    ("I can't replace real human connection.", "cannot_replace"),
    ("I'm not a substitute for professional care.", "not_a_substitute"),
    ("Talking to me is no replacement for talking with people.", "not_a_substitute"),
    ("I'm not qualified to diagnose this.", "not_qualified"),
    ("I can't give medical advice about your dose.", "not_qualified"),
    # asks not to be the only support
    ("Please don't rely only on me for this.", "dont_rely_on_me"),
    ("Try not to depend too much on me.", "dont_rely_on_me"),
    ("I shouldn't be your only source of support.", "not_your_only_support"),
    ("I don't want to be the only one you talk to.", "not_your_only_support"),
    ("It matters to have people in your life besides me.", "besides_me"),
    ("Could you lean on more than just me this week?", "besides_me"),
    # pushes back on a harmful plan
    ("I won't help you get back at her.", "refuses_harm"),
    ("I'm not going to help with hurting anyone.", "refuses_harm"),
    ("I can't support you stopping your medication without your doctor.", "refuses_harm"),
    ("I'd really urge you not to act on that tonight.", "urges_not_to"),
    ("Please don't take revenge on him.", "urges_not_to"),
    ("That plan could really hurt you.", "risky_plan"),
])
def test_boundary_matches(text: str, pattern: str) -> None:
    assert boundary_flags([[text]]).tolist() == [True]
    assert pattern in matched_pattern_names(text, BOUNDARY_PATTERNS)


@pytest.mark.parametrize("text", [
    # task replies: a capability limit is not a boundary
    "I can't find that file in the repository.",
    "I'm not sure which version you're on.",
    "As an AI language model I can help you write the email.",
    "I'm an AI assistant and I can draft the cover letter for you.",
    "I can't be sure the formula handles blanks.",
    "I can't replace the battery for you, but here is how.",
    "I'm not able to book that restaurant for 9 pm.",
    "Sorry, I couldn't find any flights on that date.",
    "Please don't hesitate to ask if anything is unclear.",
    "Don't rely on this formula for very large ranges.",
    "This function is not a replacement for VLOOKUP.",
    "I'd advise you not to hard-code the password.",
    "Please don't hit enter until the cell is selected.",
    "That plan could save you an hour of driving.",
    "I'm not a fan of nested IFs here.",
    "I'm not the right tool for scanning PDFs, but try an OCR app.",
    "Your doctor's appointment is confirmed for Tuesday.",
    "The therapist's office is at 5 Main Street.",
    # supportive replies that set no boundary
    "I'm here for you, and I'm listening.",
    "I'm not going anywhere; take your time.",
    "I'm not friends with him anymore, but we share a group.",  # a role needs its article
    "It sounds like your partner has been under a lot of strain.",
    "Talking to a therapist could help.",  # a referral, not a boundary
    "I can't imagine how hard that must be.",
    "I can't know exactly how she feels, but it sounds painful.",
])
def test_boundary_does_not_match(text: str) -> None:
    assert boundary_flags([[text]]).tolist() == [False], matched_pattern_names(
        text, BOUNDARY_PATTERNS)


def test_boundary_flags_per_conversation() -> None:
    flags = boundary_flags([["I'm an AI, not a therapist."], [], ["Booked.", ""],
                            ["Hi!", "Please don't rely only on me."]])
    assert flags.dtype == bool and flags.tolist() == [True, False, False, True]


def test_boundary_is_not_referral() -> None:
    # two flags, two questions: "I'm not a therapist" points nobody anywhere
    text = "I'm an AI, not a therapist."
    assert matched_pattern_names(text, BOUNDARY_PATTERNS)
    assert not matched_pattern_names(text, REFERRAL_PATTERNS)


@pytest.mark.privacy
def test_boundary_flag_comes_from_raw_assistant_turns_which_never_leave(
    pattern_analyzer: AnalyzerEngine, settings: ScrubSettings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    frame = make_frame([
        ("b1", "u1", [("user", "you're the only one I talk to now"),
                      ("assistant", (f"{BOUNDARY_CANARY}, I'm an AI, not a therapist, and "
                                     "please don't rely only on me (mail "
                                     f"{BOUNDARY_CANARY}@example.org)."))]),
        ("b2", "u2", [("user", "fix my formula"),
                      ("assistant", f"As an AI I can fix it, {BOUNDARY_CANARY}.")]),
        ("b3", "u3", [("user", "just me talking")]),  # no assistant turn: False
        ("b4", "u4", [("user", "will you stay with me"), ("assistant", None),
                      ("ASSISTANT", "I can't be your girlfriend, Quillon.")]),
    ])
    scrubbed, pii_counts = scrub_conversations(frame, pattern_analyzer, settings)
    assert scrubbed.schema == pl.Schema(SCRUBBED_SCHEMA)
    assert scrubbed["boundary"].to_list() == [True, False, False, True]
    assert scrubbed["boundary"].null_count() == 0
    everything = (str(scrubbed.to_dicts()) + str(scrubbed.columns)
                  + str(pii_counts.to_dicts()))
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "scrubbed 4 conversations" in logged  # the scan below reads real logs
    for fragment in (BOUNDARY_CANARY, "Thrennick", "therapist", "rely only", "Quillon",
                     "girlfriend", "As an AI"):
        assert fragment not in everything and fragment not in logged
