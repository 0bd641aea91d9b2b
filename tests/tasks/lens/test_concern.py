"""The concern lexicon: acute-distress language matches, idioms and negations do not."""

from __future__ import annotations

import pytest

from chorus.core.lexicon import matched_pattern_names
from tasks.lens import CONCERN_PATTERNS, concern_flags


@pytest.mark.parametrize("text", [
    "I just want to kill myself",
    "sometimes I think about killing myself",
    "I've been hurting myself again",
    "I started cutting myself last year",
    "I have been self-harming since school",
    "I feel suicidal most nights",
    "I'm thinking about suicide",
    "I want to end my life",
    "I just want to end it all",
    "I don't want to live anymore",
    "I dont want to be alive",
    "honestly I want to die",
    "everyone would be better off if I was gone, I'd be better off dead",
    "I wish I was dead",
    "there is no reason to live",
    "I took an overdose last month",
    "I could swallow all my pills",
    "I can\u2019t go on living like this",
    "I don't want to live like this anymore",
    "I feel life is meaningless and don't want to live in this world",
    "my friend attempted suicide and I am scared",
])
def test_concern_matches(text):
    assert concern_flags([[text]]).tolist() == [True], matched_pattern_names(
        text, CONCERN_PATTERNS)


@pytest.mark.parametrize("text", [
    "this bug is killing me",
    "I could kill for a coffee",
    "my feet are killing me after that hike",
    "I nearly killed myself laughing at that video",
    "I want to die of embarrassment",
    "we watched Suicide Squad last night",
    "how do I kill a process in linux",
    "I'm dying to see the new movie",
    "I'll end the meeting at 5",
    "kill time before my flight",
    "the car has suicide doors",
    "I cut myself a slice of cake",
    "I hurt myself a bit at the gym",
    "I'm not suicidal, just tired",
    "I don't want to die before I see Japan",
    "I don't want to live in this city any more",
    "I volunteer at a suicide hotline",
])
def test_concern_does_not_match(text):
    assert concern_flags([[text]]).tolist() == [False], matched_pattern_names(
        text, CONCERN_PATTERNS)


def test_concern_any_turn_and_empty():
    flags = concern_flags([["hello", "I want to kill myself"], [], ["fine thanks"], [""]])
    assert flags.tolist() == [True, False, False, False]
    assert flags.dtype == bool
