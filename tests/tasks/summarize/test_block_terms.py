"""A block's phrases, tokenized over the whole block, are ``tokens.phrases``'s, text by
text, also where the two regex engines' Unicode word boundaries differ."""

from __future__ import annotations

import pytest

from chorus.core import tokens
from tasks.summarize.counts import block_terms

CASES = [
    "Hello <PERSON>, my python pip error: pip error again",
    "", "   ", "the and of it", "<EMAIL_ADDRESS> <PHONE_NUMBER>",
    "x ab_cd ab-cd 9ab ab9 ab CamelCase",
    "cafe\u0301 bar walrus",        # combining accent: a word character to one engine only
    "\u0130stanbul walrus tusk",    # dotted capital I lowers to i + combining dot
    "\u212aelvin walrus tusk",      # the Kelvin sign lowers to ASCII k
    "x\u00b2ab walrus", "na\u00efve walrus tusk", "tab\tnew\nline walrus",
    "lone \udc80 surrogate walrus",
]


@pytest.mark.parametrize("keep_stop_words", [False, True])
@pytest.mark.parametrize("ngram_max", [1, 3])
def test_block_terms_equal_phrases_text_by_text(ngram_max, keep_stop_words):
    frame = block_terms(CASES, ngram_max, keep_stop_words)
    assert frame.height == frame.unique().height
    for i, text in enumerate(CASES):
        got = set(frame.filter(frame["doc"] == i)["term"].to_list())
        want = set(tokens.phrases(text, ngram_max, keep_stop_words))
        assert got == want, text.encode("unicode_escape")


def test_keep_stop_words_keeps_them_and_drops_placeholders():
    text = "Why has my top up <PERSON> not gone through?"
    kept = set(block_terms([text], 3, keep_stop_words=True)["term"].to_list())
    assert {"why has my", "top up", "up not gone", "my"} <= kept
    assert not any("person" in t for t in kept)
    dropped = set(block_terms([text], 3)["term"].to_list())
    assert dropped == set(tokens.phrases(text, 3)) and "my" not in dropped


def test_no_texts_give_an_empty_frame():
    assert block_terms([], 3).height == 0
