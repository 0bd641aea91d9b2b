"""The emotional-support lens: affective score, sentiment, concern and referral flags."""

from __future__ import annotations

import logging

import numpy as np
import polars as pl
import pytest
from pydantic import ValidationError

from tasks.lens import (
    CONCERN_PATTERNS,
    REFERRAL_PATTERNS,
    LensSettings,
    adjusted_share,
    affective_scores,
    concern_flags,
    lens_facets,
    matched_pattern_names,
    referral_flags,
    scores_from_vectors,
    sentiment_trajectory,
)


@pytest.fixture(scope="module")
def embedder():
    from tasks.embed import EmbedSettings, build_embedder

    return build_embedder(EmbedSettings(progress=False))


# --- concern ------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "I just want to kill myself",
    "sometimes I think about killing myself",
    "I've been hurting myself again",
    "I started cutting myself last year",
    "I have been self-harming since school",
    "I feel suicidal most nights",
    "I'm thinking about suicide",
    "I want to end my life",
    "I just want to end it all",
    "I don't want to live anymore",
    "I dont want to be alive",
    "honestly I want to die",
    "everyone would be better off if I was gone, I'd be better off dead",
    "I wish I was dead",
    "there is no reason to live",
    "I took an overdose last month",
    "I could swallow all my pills",
    "I can\u2019t go on living like this",
    "I don't want to live like this anymore",
    "I feel life is meaningless and don't want to live in this world",
    "my friend attempted suicide and I am scared",
])
def test_concern_matches(text):
    assert concern_flags([[text]]).tolist() == [True], matched_pattern_names(
        text, CONCERN_PATTERNS)


@pytest.mark.parametrize("text", [
    "this bug is killing me",
    "I could kill for a coffee",
    "my feet are killing me after that hike",
    "I nearly killed myself laughing at that video",
    "I want to die of embarrassment",
    "we watched Suicide Squad last night",
    "how do I kill a process in linux",
    "I'm dying to see the new movie",
    "I'll end the meeting at 5",
    "kill time before my flight",
    "the car has suicide doors",
    "I cut myself a slice of cake",
    "I hurt myself a bit at the gym",
    "I'm not suicidal, just tired",
    "I don't want to die before I see Japan",
    "I don't want to live in this city any more",
    "I volunteer at a suicide hotline",
])
def test_concern_does_not_match(text):
    assert concern_flags([[text]]).tolist() == [False], matched_pattern_names(
        text, CONCERN_PATTERNS)


def test_concern_any_turn_and_empty():
    flags = concern_flags([["hello", "I want to kill myself"], [], ["fine thanks"], [""]])
    assert flags.tolist() == [True, False, False, False]
    assert flags.dtype == bool


# --- referral -----------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "It might help to talk to a therapist about this.",
    "Have you considered seeing a counsellor?",
    "Please see your doctor about the sleep problems.",
    "You could speak to your GP.",
    "Maybe reach out to a mental health professional.",
    "You can call the Samaritans any time on 116 123.",
    "If you are in danger, call a crisis line or 988.",
    "There are helplines you can call tonight.",
    "Could you talk to your friends about how you feel?",
    "Is there someone you trust you could confide in, like family?",
    "Have you tried opening up to your parents?",
    "Seeking professional help is a sign of strength.",
    "Counseling could help you work through this.",
    "Maybe consider therapy.",
])
def test_referral_matches(text):
    assert referral_flags([[text]]).tolist() == [True], matched_pattern_names(
        text, REFERRAL_PATTERNS)


@pytest.mark.parametrize("text", [
    "Your table is booked for 7 pm.",
    "The transfer of 200 dollars is complete.",
    "Here is a Python function that sorts the list.",
    "I understand, that sounds really hard.",
    "What do you think made you feel that way?",
    "Your friend's flight lands at 6.",
    "The doctor's office opens at 9 and closes at 5.",
])
def test_referral_does_not_match(text):
    assert referral_flags([[text]]).tolist() == [False], matched_pattern_names(
        text, REFERRAL_PATTERNS)


# --- sentiment ----------------------------------------------------------------------------

def test_sentiment_trajectory_direction_and_edges():
    start, end, shift = sentiment_trajectory([
        ["I feel terrible and hopeless", "ok", "thank you so much, I feel much better now"],
        ["I am happy"],
        [],
        ["", "   "],
    ])
    assert start[0] < 0 < end[0] and shift[0] > 0
    assert start[1] == end[1] and shift[1] == 0
    assert start[2] == end[2] == shift[2] == 0 and shift[3] == 0
    assert start.dtype == end.dtype == shift.dtype == np.float32
    assert np.allclose(shift, end - start)


# --- affective ----------------------------------------------------------------------------

def test_scores_from_vectors_is_difference_of_top_k_means():
    a = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]], dtype=np.float32)
    t = np.array([[-1.0, 0.0]], dtype=np.float32)
    v = np.array([[1.0, 0.0]], dtype=np.float32)
    assert scores_from_vectors(v, a, t, 1).tolist() == [2.0]  # max: 1 - (-1)
    assert scores_from_vectors(v, a, t, 2).tolist() == [1.5]  # (1 + 0) / 2 + 1
    assert scores_from_vectors(v, a, t, 9).tolist() == [1.0]  # k above the count: mean
    assert scores_from_vectors(np.zeros((0, 2), np.float32), a, t).shape == (0,)


def test_affective_scores_separate_support_from_tasks(embedder):
    settings = LensSettings()
    texts = ["I've felt so lonely and depressed since my divorce, I can't stop crying",
             "My best friend stopped talking to me and I feel awful about it",
             "Book me a table for four at an Italian restaurant tomorrow at 8",
             "Why was my card payment declined at the supermarket?"]
    scores = affective_scores(texts, embedder, settings)
    assert scores.shape == (4,) and scores.dtype == np.float32
    assert (scores[:2] >= settings.threshold).all() and (scores[2:] < settings.threshold).all()
    again = affective_scores(texts, embedder, settings, vectors=embedder.embed(texts))
    assert np.allclose(scores, again, atol=1e-5)


def test_lens_facets_schema_and_no_text_in_logs(embedder, caplog):
    frame = pl.DataFrame({
        "conversation_id": ["c1", "c2"],
        "user_turns": [["I feel worthless and I want to kill myself", "thanks, that helps"],
                       ["Find me a flight to Boston on Friday"]],
        "assistant_turns": [["I'm so sorry. Please call a crisis line or talk to a therapist."],
                            ["I found three flights."]],
    })
    with caplog.at_level(logging.DEBUG, logger="tasks.lens"):
        out = lens_facets(frame, embedder, LensSettings())
    assert out.columns[:3] == frame.columns
    expected = {"affective_score": pl.Float32, "affective": pl.Boolean,
                "sentiment_start": pl.Float32, "sentiment_end": pl.Float32,
                "sentiment_shift": pl.Float32, "concern": pl.Boolean, "referral": pl.Boolean}
    assert {c: out.schema[c] for c in expected} == expected
    assert out["affective"].to_list() == [True, False]
    assert out["concern"].to_list() == [True, False]
    assert out["referral"].to_list() == [True, False]
    assert out["sentiment_shift"][0] > 0
    logged = " ".join(r.getMessage() for r in caplog.records)
    for turns in frame["user_turns"].to_list() + frame["assistant_turns"].to_list():
        for turn in turns:
            assert turn not in logged
            assert all(word not in logged for word in ("worthless", "therapist", "Boston"))


def test_lens_facets_without_assistant_turns_gives_null_referral(embedder):
    frame = pl.DataFrame({"user_turns": [["hello there"]], "request": ["hello there"]})
    out = lens_facets(frame, embedder, LensSettings())
    assert out["referral"].dtype == pl.Boolean and out["referral"].null_count() == 1


# --- settings and share -------------------------------------------------------------------

def test_settings_forbid_unknown_keys_and_bad_values():
    with pytest.raises(ValidationError):
        LensSettings(treshold=0.1)
    with pytest.raises(ValidationError):
        LensSettings(max_user_turns=0)
    with pytest.raises(ValidationError):
        LensSettings(top_k=0)


def test_adjusted_share_corrects_known_error_rates():
    settings = LensSettings(calibration_tpr=0.9, calibration_fpr=0.1)
    flags = np.array([True] * 26 + [False] * 74)  # observed 0.26 = 0.2 * 0.9 + 0.8 * 0.1
    assert adjusted_share(flags, settings) == pytest.approx(0.2)
    assert adjusted_share(np.zeros(10, bool), settings) == 0.0
    assert adjusted_share(np.zeros(0, bool), settings) == 0.0
