"""Stop-word title material: which all-word n-grams may be title material."""

from __future__ import annotations

import pytest

from tasks.summarize.wording import admissible


@pytest.mark.parametrize("phrase, ok", [
    ("top up failed", True),         # stop words inside and at the start
    ("card not working", True),      # a negation inside
    ("what is your name", True),     # a question word may start
    ("name", True),                  # a topic word the stop list holds
    ("card arrival", False),         # no stop word: a key phrase already
    ("is your name", False),         # starts with a function word
    ("card not", False),             # ends with one
    ("how do", False),               # nothing but function and question words
    ("pin how", False),              # ends with a question word
    ("hello", False),                # a stop word that names nothing
    ("top up again", False),         # ends with one
    ("say", False),                  # a chat stop word: names no topic
    ("didn", False),                 # a contraction's stem
    ("guilt didn", False),           # ends with one
    ("say goodbye", True),           # a topic word beside a chat stop word
])
def test_admissible(phrase, ok):
    assert admissible(phrase) is ok
