"""Text helpers: the one definition of a pleasantry turn, quote normalisation."""

from __future__ import annotations

import pytest

from chorus.core.text import is_pleasantry, normalise_quotes


@pytest.mark.parametrize("turn", [
    "hi", "Hiii", "hey", "heyyy", "hello", "HELLO!!!", "hi there", "hello, how are you?",
    "how are you doing today?", "good morning", "Good evening :)", "thanks", "thank you",
    "thank you so much!", "thanks again, take care", "thx", "ty", "ok bye", "okay",
    "yes", "nope", "sure", "you too", "have a nice day", "I'm fine", "I\u2019m doing well",
    "im good", "I am okay", "doing great, and you?", "how about you", "nice to meet you",
    "are you there?", "anyone there?", "you're welcome", "cheers", "  hi  ", "hi, hello, hey",
])
def test_pleasantries(turn):
    assert is_pleasantry(turn)


@pytest.mark.parametrize("turn", [
    "", "   ", "?!", "hiking", "hello world", "hi, I can't sleep", "thanks for the visa advice",
    "bye forever", "no idea what to do", "I'm worried", "I'm good at math",
    "how are you able to help", "ok so my boss yelled at me", "hey, quick question",
    "good luck", "thank god", "sleep",
])
def test_not_pleasantries(turn):
    assert not is_pleasantry(turn)


@pytest.mark.parametrize("text, expected", [
    ("I\u2019m fine", "I'm fine"),
    ("\u2018quoted\u2019", "'quoted'"),
    ("plain 'ascii'", "plain 'ascii'"),
    ("\u201cdouble\u201d", "\u201cdouble\u201d"),  # only single quotes are folded
    ("", ""),
])
def test_normalise_quotes(text, expected):
    assert normalise_quotes(text) == expected
