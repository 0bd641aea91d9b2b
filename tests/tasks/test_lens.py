"""The emotional-support lens: affective score, sentiment, concern and referral flags."""

from __future__ import annotations

import logging

import numpy as np
import polars as pl
import pytest
from pydantic import ValidationError

from chorus.core.errors import ChorusError, ConfigError
from chorus.core.lexicon import matched_pattern_names
from chorus.core.release import LENS_FACET_VALUES
from chorus.core.settings import LensSettings
from tasks.lens import CONCERN_PATTERNS, affective_scores, applicable_model, concern_flags, lens_counts, lens_facets, load_affective_model, prototype_fingerprint, prototype_vectors, scores_from_vectors, sentiment_trajectory
from tasks.scrub import REFERRAL_PATTERNS, referral_flags
from tasks.suppress import adjusted_share, affective_labels, outcome_labels, support_path_labels


@pytest.fixture(scope="module")
def embedder():
    from chorus.core.settings import EmbedSettings
    from tasks.embedders import build_embedder

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


def test_sentiment_skips_greetings_and_thanks_and_averages_the_ends():
    turns = ["hi", "I feel awful and hopeless", "everything is going wrong",
             "talking helped", "I feel a lot better now, calmer", "thanks!", "bye"]
    start, end, shift = sentiment_trajectory([turns, ["thank you", "ok"]])
    from tasks.lens import _compound

    assert start[0] == pytest.approx(np.mean([_compound(t) for t in turns[1:3]]), abs=1e-6)
    assert end[0] == pytest.approx(np.mean([_compound(t) for t in turns[3:5]]), abs=1e-6)
    assert start[0] < 0 < end[0] and shift[0] > 0
    # only trivial turns: they are kept (first vs last)
    assert start[1] == pytest.approx(_compound("thank you"), abs=1e-6)


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


# Hand-written in styles unlike the evaluation sets (not copied from any data set): the lens
# must hold on other people's conversations, not only on ESConv / SGD / BANKING77.
_OTHER_AFFECTIVE = [
    "ugh my manager humiliated me in the standup again and i just sat in my car crying",
    ("Our 15-year-old has stopped eating dinner with us and barely speaks. I'm scared we're "
     "losing her and I don't know what I did wrong."),
    "since the divorce the evenings are the worst, the flat is so quiet. can we just talk?",
    ("I keep comparing myself to my friends who all have houses and kids and I feel like "
     "I've wasted my twenties."),
]
_OTHER_TASK = [
    "convert this list of dicts to a pandas dataframe and sort by date",
    "whats a quick vegetarian lasagne recipe for 6 people",
    "lol did you see that cat video everyone's sharing today",
    "Draft a two-line out-of-office reply for next week.",
]


def test_affective_scores_hold_on_other_styles(embedder):
    settings = LensSettings()
    scores = affective_scores(_OTHER_AFFECTIVE + _OTHER_TASK, embedder, settings)
    n = len(_OTHER_AFFECTIVE)
    assert (scores[:n] >= settings.threshold).all(), scores[:n]
    assert (scores[n:] < settings.threshold).all(), scores[n:]


def test_shipped_model_matches_embedder_and_prototypes(embedder):
    model = load_affective_model(LensSettings().affective_model)
    assert model.embedder_model_id == embedder.model_id
    assert model.coef.shape == (384,) and model.coef.dtype == np.float32
    # editing the prototype lists means refitting: python -m bench.lens_fit
    assert model.prototypes == prototype_fingerprint()
    assert applicable_model(embedder, LensSettings(), 384) is model


class _OtherEmbedder:
    """The real model under another id: the fitted model must not apply to it."""

    def __init__(self, inner):
        self.inner, self.model_id = inner, "some-other-model:128"

    def embed(self, texts):
        return self.inner.embed(texts)


def test_other_embedder_or_no_model_falls_back_to_prototypes(embedder):
    texts = _OTHER_AFFECTIVE[:2] + _OTHER_TASK[:2]
    vectors = embedder.embed(texts)
    settings = LensSettings(threshold=1.5, prototype_threshold=0.02)
    margin = scores_from_vectors(vectors, *prototype_vectors(embedder), settings.top_k)
    for emb, cfg in ((_OtherEmbedder(embedder), settings),
                     (embedder, settings.model_copy(update={"affective_model": ""}))):
        scores = affective_scores(texts, emb, cfg, vectors)
        assert np.allclose(scores, margin + 1.5 - 0.02, atol=1e-5)
        assert ((scores >= cfg.threshold) == (margin >= 0.02)).all()


def test_missing_or_bad_model_file_is_a_config_error(embedder, tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        affective_scores(["hi"], embedder,
                         LensSettings(affective_model=str(tmp_path / "none.json")))
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": 1, "dim": 3, "coef": [1, 2]}')
    with pytest.raises(ConfigError, match="not a lens model"):
        affective_scores(["hi"], embedder, LensSettings(affective_model=str(bad)))


def test_lens_facets_schema_and_no_text_in_logs(embedder, caplog):
    user_turns = [["I feel worthless and I want to kill myself", "thanks, that helps"],
                  ["Find me a flight to Boston on Friday"]]
    frame = pl.DataFrame({
        "conversation_id": ["c1", "c2"],
        "user_turns": user_turns,
        "request": [" ".join(t) for t in user_turns],
        "referral": [True, False],  # computed by tasks.scrub from the assistant turns
    })
    vectors = embedder.embed(frame["request"].to_list())
    with caplog.at_level(logging.DEBUG, logger="tasks.lens"):
        out = lens_facets(frame, embedder, LensSettings(), vectors)
    assert out.columns[:4] == frame.columns
    expected = {"affective_score": pl.Float32, "affective": pl.Boolean,
                "sentiment_start": pl.Float32, "sentiment_end": pl.Float32,
                "sentiment_shift": pl.Float32, "concern": pl.Boolean, "referral": pl.Boolean}
    assert {c: out.schema[c] for c in expected} == expected
    assert out["affective"].to_list() == [True, False]
    assert out["concern"].to_list() == [True, False]
    assert out["referral"].to_list() == [True, False]
    assert out["sentiment_shift"][0] > 0
    logged = " ".join(r.getMessage() for r in caplog.records)
    for turns in user_turns:
        for turn in turns:
            assert turn not in logged
    assert all(word not in logged for word in ("worthless", "Boston"))


def test_lens_facets_without_referral_column_gives_null_referral(embedder):
    frame = pl.DataFrame({"user_turns": [["hello there"]], "request": ["hello there"]})
    out = lens_facets(frame, embedder, LensSettings())
    assert out["referral"].dtype == pl.Boolean and out["referral"].null_count() == 1


def test_lens_facets_needs_the_request_and_matching_vectors(embedder):
    frame = pl.DataFrame({"user_turns": [["I feel low"]], "assistant_turns": [["see a GP"]]})
    with pytest.raises(ChorusError, match="request"):
        lens_facets(frame, embedder, LensSettings())
    frame = frame.with_columns(pl.lit("I feel low").alias("request"))
    with pytest.raises(ChorusError, match="vectors"):
        lens_facets(frame, embedder, LensSettings(), np.zeros((2, 384), np.float32))


# --- the gate's categorical values --------------------------------------------------------

@pytest.mark.parametrize("shift, label", [
    (0.06, "better"), (0.0501, "better"), (0.05, "same"), (0.0, "same"), (-0.05, "same"),
    (-0.0501, "worse"), (-1.5, "worse"), (2.0, "better"),
])
def test_outcome_labels_boundaries(shift, label):
    assert outcome_labels(np.array([shift], np.float32), 0.05).tolist() == [label]


def test_outcome_labels_margin_zero_and_vectorised():
    assert outcome_labels(np.array([0.01, 0.0, -0.01]), 0.0).tolist() == [
        "better", "same", "worse"]
    assert outcome_labels(np.zeros(0), 0.05).tolist() == []


@pytest.mark.parametrize("concern, referral, label", [
    (False, False, "no concern"), (False, True, "no concern"), (False, None, "no concern"),
    (True, True, "concern, referred"), (True, False, "concern, not referred"),
    (True, None, "concern, not referred"),
])
def test_support_path_labels(concern, referral, label):
    assert support_path_labels(np.array([concern]), [referral]).tolist() == [label]


def test_affective_labels_and_fixed_vocabulary():
    assert affective_labels(np.array([True, False])).tolist() == ["affective", "task"]
    assert LENS_FACET_VALUES == {"affective": {"affective", "task"},
                                 "outcome": {"better", "same", "worse"},
                                 "support_path": {"no concern", "concern, referred",
                                                  "concern, not referred"}}


def test_lens_counts_are_numbers_only():
    frame = pl.DataFrame({"affective": [True, False, True], "concern": [False, True, False],
                          "referral": [None, True, False]},
                         schema={"affective": pl.Boolean, "concern": pl.Boolean,
                                 "referral": pl.Boolean})
    assert lens_counts(frame) == {"conversations": 3, "affective": 2, "concern": 1,
                                  "referral": 1}


# --- settings and share -------------------------------------------------------------------

def test_settings_forbid_unknown_keys_and_bad_values():
    with pytest.raises(ValidationError):
        LensSettings(treshold=0.1)
    with pytest.raises(ValidationError):
        LensSettings(max_user_turns=4)  # removed: the request comes from tasks.facets
    with pytest.raises(ValidationError):
        LensSettings(top_k=0)


@pytest.mark.parametrize("field, value, ok", [
    ("outcome_margin", -0.01, False), ("outcome_margin", 0.0, True),
    ("outcome_margin", 0.05, True),
    ("concern_min_level", -1, False), ("concern_min_level", 0, True),
    ("concern_min_level", 2, True),
])
def test_lens_settings_bounds(field, value, ok):
    if ok:
        assert getattr(LensSettings(**{field: value}), field) == value
    else:
        with pytest.raises(ValidationError):
            LensSettings(**{field: value})


def test_lens_defaults():
    settings = LensSettings()
    assert settings.enabled and settings.outcome_margin == 0.05
    assert settings.concern_min_level == 1


def test_adjusted_share_corrects_known_error_rates():
    settings = LensSettings(calibration_tpr=0.9, calibration_fpr=0.1)
    flags = np.array([True] * 26 + [False] * 74)  # observed 0.26 = 0.2 * 0.9 + 0.8 * 0.1
    assert adjusted_share(flags, settings) == pytest.approx(0.2)
    assert adjusted_share(np.zeros(10, bool), settings) == 0.0
    assert adjusted_share(np.zeros(0, bool), settings) == 0.0
