"""The referral lexicon (computed by tasks.scrub from the raw assistant turns; the lens
carries the flag through)."""

from __future__ import annotations

import pytest

from chorus.core.lexicon import matched_pattern_names
from tasks.scrub import REFERRAL_PATTERNS, referral_flags


@pytest.mark.parametrize("text", [
    "It might help to talk to a therapist about this.",
    "Have you considered seeing a counsellor?",
    "Please see your doctor about the sleep problems.",
    "You could speak to your GP.",
    "Maybe reach out to a mental health professional.",
    "You can call the Samaritans any time on 116 123.",
    "If you are in danger, call a crisis line or 988.",
    "There are helplines you can call tonight.",
    "Could you talk to your friends about how you feel?",
    "Is there someone you trust you could confide in, like family?",
    "Have you tried opening up to your parents?",
    "Seeking professional help is a sign of strength.",
    "Counseling could help you work through this.",
    "Maybe consider therapy.",
])
def test_referral_matches(text):
    assert referral_flags([[text]]).tolist() == [True], matched_pattern_names(
        text, REFERRAL_PATTERNS)


@pytest.mark.parametrize("text", [
    "Your table is booked for 7 pm.",
    "The transfer of 200 dollars is complete.",
    "Here is a Python function that sorts the list.",
    "I understand, that sounds really hard.",
    "What do you think made you feel that way?",
    "Your friend's flight lands at 6.",
    "The doctor's office opens at 9 and closes at 5.",
])
def test_referral_does_not_match(text):
    assert referral_flags([[text]]).tolist() == [False], matched_pattern_names(
        text, REFERRAL_PATTERNS)
