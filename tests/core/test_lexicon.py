"""Lexicons: named patterns matched case-insensitively after quote normalisation."""

from __future__ import annotations

import numpy as np
import pytest

from chorus.core.lexicon import (
    Lexicon,
    any_match,
    compiled,
    match_counts,
    matched_pattern_names,
)

WORRY: Lexicon = (
    ("cant_sleep", r"\bcan'?t\s+sleep\b"),
    ("worried", r"\bworr(?:y|ied|ying)\b"),
    ("helpline", r"\bhelp\s*line\b"),
)


@pytest.mark.parametrize("text, names", [
    ("", []),
    ("I slept fine", []),
    ("I can't sleep", ["cant_sleep"]),
    ("I can\u2019t sleep", ["cant_sleep"]),  # typographic quote folded first
    ("I CANT SLEEP", ["cant_sleep"]),  # case-insensitive
    ("so worried I cant sleep, call a helpline", ["cant_sleep", "worried", "helpline"]),
    ("unworried", []),  # patterns keep their word boundaries
])
def test_matched_pattern_names(text, names):
    assert matched_pattern_names(text, WORRY) == names


def test_any_match_is_per_item_over_all_turns():
    items = [
        ["hello", "I keep WORRYING"],  # a later turn matches
        ["I slept fine"],
        [],  # no turns
        None,  # no turns at all
        ["", "I can\u2019t sleep"],  # empty turns are skipped
        ["help line"],
    ]
    out = any_match(items, WORRY)
    assert out.dtype == np.bool_ and out.shape == (6,)
    assert out.tolist() == [True, False, False, False, True, True]


def test_any_match_of_no_items_is_empty():
    out = any_match([], WORRY)
    assert out.dtype == np.bool_ and out.shape == (0,)


def test_compiled_is_one_cached_case_insensitive_alternation():
    rx = compiled(WORRY)
    assert rx is compiled(WORRY)
    assert rx.search("WORRIED") and rx.search("help line") and not rx.search("fine")
    assert compiled(WORRY[:1]).search("worried") is None


def test_match_counts_counts_distinct_patterns_per_text():
    texts = ["", "I slept fine", "worried, worried, worried",  # one pattern, many times
             "so worried I can\u2019t sleep, call a helpline", "I CANT SLEEP"]
    out = match_counts(texts, WORRY)
    assert out.dtype == np.int32
    assert out.tolist() == [0, 0, 1, 3, 1]
    assert out.tolist() == [len(matched_pattern_names(t, WORRY)) for t in texts]
