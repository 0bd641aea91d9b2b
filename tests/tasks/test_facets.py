"""Facets: request text, language, turns, buckets."""

from __future__ import annotations

import polars as pl
import pytest

from chorus.core.settings import FacetSettings
from chorus.core.text import is_pleasantry
from tasks.facets import build_request, compute_facets, turns_bucket


@pytest.mark.parametrize("n, bucket", [(1, "1"), (2, "2-3"), (3, "2-3"), (4, "4-7"),
                                       (8, "8-15"), (16, "16+")])
def test_turns_bucket(n, bucket):
    assert turns_bucket(n) == bucket


def test_request_is_cut_at_a_word_boundary():
    text = build_request(["alpha beta gamma delta"] * 3, max_turns=2, max_chars=30)
    assert len(text) <= 30 and text.endswith(("gamma", "delta", "alpha", "beta"))
    assert build_request(["a b", "c", "d"], max_turns=2, max_chars=100) == "a b c"


def test_compute_facets_language_and_counts():
    frame = pl.DataFrame({
        "conversation_id": ["c1", "c2", "c3"], "user_id": ["u1", "u2", "u3"],
        "user_turns": [["I cannot sleep at night and I worry about my exams all the time"],
                       ["Je ne dors plus la nuit et je m'inquiète pour mes examens"],
                       ["ok"]],
        "n_user_turns": pl.Series([1, 1, 1], dtype=pl.UInt32),
        "n_assistant_turns": pl.Series([1, 0, 1], dtype=pl.UInt32),
    })
    out = compute_facets(frame, FacetSettings())
    assert out["language"].to_list() == ["en", "fr", "und"]
    assert out["n_turns"].to_list() == [2, 1, 2]
    assert out["turns_bucket"].to_list() == ["1", "1", "1"]
    assert out["user_chars"][0] == len(frame["user_turns"][0][0])


@pytest.mark.parametrize("turn", [
    "hi", "Hello.", "hii", "hi there!", "Hello, how are you?", "hello how are you",
    "Good afternoon", "I\u2019m good, how about you?", "i am doing well, thank you",
    "are you there?", "ok thanks", "Hi, nice to meet you.",
])
def test_pleasantries(turn):
    assert is_pleasantry(turn)


@pytest.mark.parametrize("turn", [
    "", "hi, I feel so lonely", "hello, my card was stolen", "not so well",
    "hi there. I need advice about my boss", "thanksgiving plans", "how are you able to help",
    "I'm good at maths but failing physics",
])
def test_not_pleasantries(turn):
    assert not is_pleasantry(turn)


def test_request_skips_leading_pleasantries_only():
    turns = ["hi", "Hello, how are you?", "I lost my job and I feel hopeless", "thanks",
             "my wife is worried too", "and my kids", "ok bye"]
    # the two greetings are skipped; later pleasantries stay (they are not leading)
    assert build_request(turns, max_turns=4, max_chars=600) == (
        "I lost my job and I feel hopeless thanks my wife is worried too and my kids")
    # a greeting with any topic is kept whole
    assert build_request(["hi, my card was stolen", "what now?"], 4, 600) == (
        "hi, my card was stolen what now?")
    # blank leading turns are skipped too
    assert build_request(["  ", "hey", "book a table for two"], 4, 600) == "book a table for two"


def test_request_of_only_pleasantries_is_unchanged():
    assert build_request(["hi", "how are you?", "ok bye"], 2, 600) == "hi how are you?"
    assert build_request([], 4, 600) == ""
