"""The affective score: prototype margin, fitted model, and the fallback between them."""

from __future__ import annotations

import numpy as np

from chorus.core.settings import LensSettings
from tasks.lens import affective_scores, prototype_vectors, scores_from_vectors


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
    # a practical ask where the person is struggling (issue 14: visa, money, work)
    ("the consulate lost my documents again and I'm shaking, if this visa falls through I "
     "lose everything here. what do I do?"),
    ("rent went up again and I've been lying awake doing sums, I'm so ashamed I can't cover "
     "it. how do people budget like this?"),
    ("my team lead ignores every message I send and I've started dreading Mondays. how do I "
     "raise it without crying in the meeting?"),
]
_OTHER_TASK = [
    "convert this list of dicts to a pandas dataframe and sort by date",
    "whats a quick vegetarian lasagne recipe for 6 people",
    "lol did you see that cat video everyone's sharing today",
    "Draft a two-line out-of-office reply for next week.",
    # the same subjects asked plainly
    "What is the processing fee for a tourist visa to Japan?",
    "Compare two savings accounts paying 4% and 4.5% interest over five years.",
    "Write a Slack message reminding the team that the report is due Friday.",
]


def test_affective_scores_hold_on_other_styles(embedder):
    settings = LensSettings()
    scores = affective_scores(_OTHER_AFFECTIVE + _OTHER_TASK, embedder, settings)
    n = len(_OTHER_AFFECTIVE)
    assert (scores[:n] >= settings.threshold).all(), scores[:n]
    assert (scores[n:] < settings.threshold).all(), scores[n:]


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
