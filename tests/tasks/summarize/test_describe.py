"""Descriptions and the template words: nothing in them that no k users wrote, except a
fixed list of template words that can never carry user text."""

from __future__ import annotations

import pytest

from chorus.core import tokens
from tasks.summarize import describe, describe_people, majority
from tasks.summarize.describe import joined

K = 5

# The template words that are not stop words: the facet-statistics clause and the
# 'phrases' method's wording. A content word added to TEMPLATE_WORDS fails this test
# until it is reviewed and listed here.
FACET_CLAUSE_WORDS = {"requests", "mentions", "typically", "user", "turns", "turn", "language"}


@pytest.mark.parametrize("items, text", [(["a"], "a"), (["a", "b"], "a and b"),
                                         (["a", "b", "c"], "a, b and c")])
def test_joined(items, text):
    assert joined(items) == text


@pytest.mark.parametrize("phrases, turns, language, text", [
    (["sleep"], None, None, "People ask about sleep."),
    (["sleep", "anxiety"], "1", "en",
     "People ask about sleep and anxiety. Typically 1 user turn, mostly language 'en'."),
    (["a", "b", "c", "d", "e", "f"], "2-3", "und",
     "People ask about a, b and c, and also about d and e. Typically 2-3 user turns."),
])
def test_describe_people(phrases, turns, language, text):
    assert describe_people(phrases, turns, language) == text


def test_the_phrases_method_keeps_its_wording():
    assert describe(["a", "b", "c", "d"], "2-3", "en") == \
        "Requests about a, b, c; also mentions d (typically 2-3 user turns, mostly language 'en')."


@pytest.mark.parametrize("items, users, expected", [
    ([("en", 6, K)], 10, "en"),          # over half the items and k users
    ([("en", 5, K)], 10, None),          # exactly half: no majority
    ([("en", 6, K - 1)], 10, None),      # a majority of k - 1 users
    ([("en", 3, K), ("de", 7, K)], 10, "de"),
    ([], 0, None),
])
def test_majority(items, users, expected):
    assert majority(items, users, K) == expected


@pytest.mark.parametrize("describe_fn", [describe, describe_people])
@pytest.mark.parametrize("turns", ["1", "2-3", "16+", None])
def test_description_words_are_phrase_words_or_template_words(describe_fn, turns):
    phrases = ["walrus tusk", "quiet zebra", "night", "lantern", "harbour"]
    text = describe_fn(phrases, turns, "en")
    extra = set(tokens.words(text)) - {w for p in phrases for w in p.split()} - {"en"}
    assert extra <= tokens.TEMPLATE_WORDS


def test_template_words_are_stop_words_or_the_reviewed_facet_clause():
    assert tokens.TEMPLATE_WORDS - tokens.stop_words() == FACET_CLAUSE_WORDS


@pytest.mark.parametrize("word", sorted(tokens.TEMPLATE_WORDS - FACET_CLAUSE_WORDS))
def test_a_connector_can_never_be_a_key_phrase(word):
    """A stop-word template word is never part of any phrase, so no user text can reach a
    name through it: it only ever comes from the template."""
    assert tokens.phrases(f"{word} {word} walrus {word}", 3) == ["walrus"]
