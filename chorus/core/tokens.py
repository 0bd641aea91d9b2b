"""The one tokenizer behind key phrases and their k-user support checks.

The summarizer builds phrases with it and the release gate re-counts each phrase's
support with it, so the two can never disagree about what "a user used this phrase"
means: a phrase is a run of 1..n consecutive content words (stop words removed first,
placeholders such as <PERSON> dropped) of a lower-cased request.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

PLACEHOLDER = re.compile(r"<[A-Z_]+>")
WORD = re.compile(r"\b[a-z][a-z]+\b")

# What is left of "don't", "haven't", "I'm" once the apostrophe splits a word.
CONTRACTION_STEMS = frozenset("""
don doesn didn isn wasn haven hasn hadn aren weren couldn wouldn shouldn mustn ain ve ll
im dont cant wont
""".split())

# Words common to any chat about a worry: they name no topic.
CHAT_STOP_WORDS = frozenset("""
really just like know feel feeling felt think thing things lot bit way going want wants
get got getting make makes made need needs help advice ask asking tell told say said
sorry maybe kind sort pretty actually
honestly right good bad day days time week weeks month months year years people person
someone anyone everyone yeah ok okay hi hello thanks thank please hey able try trying
does did doing lately recently
""".split()) | CONTRACTION_STEMS


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | CHAT_STOP_WORDS


def searchable(text: str) -> str:
    """``text`` lower-cased with placeholders blanked: ``words`` are ``WORD``'s matches
    in it, so each word of ``text`` is a substring of it."""
    return PLACEHOLDER.sub(" ", text).lower()


def words(text: str) -> list[str]:
    """Lower-cased words of ``text`` (placeholders removed), stop words kept."""
    return WORD.findall(searchable(text))


def content_words(text: str) -> list[str]:
    """``words`` without stop words."""
    stop = stop_words()
    return [w for w in words(text) if w not in stop]


def phrases(text: str, max_n: int, keep_stop_words: bool = False) -> list[str]:
    """All 1..max_n-grams of content words of ``text`` (with repeats); of all its
    ``words`` with ``keep_stop_words``."""
    tokens = words(text) if keep_stop_words else content_words(text)
    out: list[str] = []
    for n in range(1, max_n + 1):
        out.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    return out


# Every word the name and description templates add (tasks.summarize); the release gate
# allows these and nothing else that is not backed by k users of the cluster. A fixed,
# reviewed list: connectors that are stop words (never part of a key phrase) and the
# words of the facet-statistics clause. Adding a word needs a review: it is published
# without any user's support.
TEMPLATE_WORDS = frozenset(
    "requests about also mentions and typically user turns mostly language "
    "people ask turn".split())


def user_support(texts: list[str], users: list[str], max_n: int) -> dict[str, set[str]]:
    """term -> distinct users whose text holds it: every 1..max_n-gram of content words
    (``phrases``) and every word (``words``) of each text."""
    support: dict[str, set[str]] = defaultdict(set)
    for text, user in zip(texts, users, strict=True):
        for term in set(phrases(text, max_n)) | set(words(text)):
            support[term].add(user)
    return support
