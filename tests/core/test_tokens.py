"""Tokens: the one tokenizer behind key phrases and their k-user support counts."""

from __future__ import annotations

import pytest

from chorus.core.tokens import (
    CHAT_STOP_WORDS,
    TEMPLATE_WORDS,
    content_words,
    phrases,
    stop_words,
    user_support,
    words,
)


@pytest.mark.parametrize("text, expected", [
    ("", []),
    ("I a", []),  # one-letter words are not words
    ("Hi <PERSON>, I can't SLEEP at night!", ["hi", "can", "sleep", "at", "night"]),
    ("<EMAIL_ADDRESS><PHONE_NUMBER>", []),  # placeholders are dropped, not split
    ("visa2026 visa-application", ["visa", "application"]),
    ("Ünïcode café", []),  # ASCII letters only
])
def test_words(text, expected):
    assert words(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("", []),
    ("Hi <PERSON>, I can't SLEEP at night!", ["sleep", "night"]),
    ("My visa application was rejected again", ["visa", "application", "rejected"]),
    ("honestly I just really feel like it's the thing", []),  # chat and English stop words
    ("sleep sleep", ["sleep", "sleep"]),  # repeats kept
])
def test_content_words(text, expected):
    assert content_words(text) == expected


def test_stop_words_hold_english_and_chat_words():
    stop = stop_words()
    assert CHAT_STOP_WORDS <= stop and {"the", "and", "of"} <= stop
    assert not {"visa", "sleep", "anxiety"} & stop


@pytest.mark.parametrize("text, max_n, expected", [
    ("", 2, []),
    ("the and of", 2, []),
    ("visa", 3, ["visa"]),
    ("visa application rejected", 1, ["visa", "application", "rejected"]),
    ("visa application rejected", 2,
     ["visa", "application", "rejected", "visa application", "application rejected"]),
    ("visa application rejected", 3,
     ["visa", "application", "rejected", "visa application", "application rejected",
      "visa application rejected"]),
    # stop words are removed first, so a phrase may join words a stop word separated
    ("visa for the application", 2, ["visa", "application", "visa application"]),
    ("sleep sleep", 2, ["sleep", "sleep", "sleep sleep"]),
    ("sleep <PERSON> night", 2, ["sleep", "night", "sleep night"]),
])
def test_phrases(text, max_n, expected):
    assert phrases(text, max_n) == expected


def test_user_support_counts_distinct_users_of_every_phrase_and_word():
    texts = ["visa application", "visa denied", "visa application", "the visa"]
    users = ["u1", "u2", "u1", "u3"]
    support = user_support(texts, users, 2)
    assert dict(support) == {
        "visa": {"u1", "u2", "u3"}, "application": {"u1"}, "visa application": {"u1"},
        "denied": {"u2"}, "visa denied": {"u2"},
        "the": {"u3"},  # every word counts, stop words too: template words need support
    }


def test_user_support_agrees_with_phrases():
    text = "my visa application was rejected at the embassy"
    support = user_support([text], ["u1"], 3)
    assert set(support) == set(phrases(text, 3)) | set(words(text))


@pytest.mark.parametrize("texts, users", [(["a b"], []), ([], ["u1"])])
def test_user_support_needs_one_user_per_text(texts, users):
    with pytest.raises(ValueError):
        user_support(texts, users, 2)


def test_template_words_are_plain_words():
    assert TEMPLATE_WORDS and all(words(w) == [w] for w in TEMPLATE_WORDS)
