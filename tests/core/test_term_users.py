"""``TermUsers.count`` equals ``tokens.user_support``'s distinct-user count, capped, on
every term of random texts and on strings that are no text's term."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chorus.core import tokens
from chorus.core.term_users import TermUsers

WORDS = ["card", "fee", "top", "up", "the", "my", "sleep", "anxiety", "not", "working",
         "Card", "FEE", "naïve", "café", "x", "ab"]
PIECES = WORDS + [" ", "  ", ", ", "<PERSON>", "<EMAIL_ADDRESS>", "-", "'", "9", "\n"]

texts_strategy = st.lists(st.lists(st.sampled_from(PIECES), max_size=14).map(" ".join),
                          min_size=1, max_size=12)


def _reference(texts: list[str], users: list[str], max_n: int, term: str, cap: int) -> int:
    return min(cap, len(tokens.user_support(texts, users, max_n).get(term, ())))


@settings(max_examples=150, deadline=None)
@given(texts=texts_strategy, max_n=st.integers(1, 4), cap=st.integers(1, 6),
       seed=st.integers(0, 10))
def test_count_equals_user_support(texts, max_n, cap, seed):
    users = [f"u{(i * 7 + seed) % 5}" for i in range(len(texts))]  # repeated users
    support = tokens.user_support(texts, users, max_n)
    asked = sorted(support) + ["card  fee", "Card fee", "card fee working up sleep", " card",
                               "top up", "the", "", "naïve", "caf", "up not"]
    counter = TermUsers(texts, users, max_n)
    for term in asked:
        assert counter.count(term, cap) == _reference(texts, users, max_n, term, cap), term


@pytest.mark.parametrize(("n_users", "cap", "expected"), [
    (2, 3, 2), (3, 3, 3), (4, 3, 3),  # k-1, k, k+1 users against a cap of k
])
def test_counting_stops_at_the_cap(n_users, cap, expected):
    texts = ["my card fee again"] * (n_users + 2)
    users = [f"u{i % n_users}" for i in range(n_users + 2)]
    counter = TermUsers(texts, users, 2)
    assert counter.count("card fee", cap) == expected
    assert counter.count("my", cap) == expected      # a stop word is a word
    assert counter.count("my card", cap) == 0        # never part of a phrase


def test_a_phrase_longer_than_max_n_is_nobody_s():
    counter = TermUsers(["sleep anxiety card"] * 3, ["a", "b", "c"], 2)
    assert counter.count("sleep anxiety", 5) == 3
    assert counter.count("sleep anxiety card", 5) == 0
    with pytest.raises(ValueError):
        TermUsers(["x"], [], 1)
