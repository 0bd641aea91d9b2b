"""The run-level user prior: a repeated affective user's borderline conversations count."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from chorus.core.settings import LensSettings
from tasks.release.lens_facets import lens_values
from tasks.release.user_prior import with_user_prior

T = -0.5  # threshold
M = 3     # min_affective
D = 1.0   # margin


def run(n_flagged: int, borderline: float, other_user: bool = False):
    """``n_flagged`` clear affective conversations of user "a", then one conversation
    scored ``borderline`` (of user "b" when ``other_user``)."""
    users = np.array(["a"] * n_flagged + ["b" if other_user else "a"])
    scores = np.array([T + 2.0] * n_flagged + [borderline])
    return with_user_prior(users, scores, scores >= T, T, M, D)


@pytest.mark.parametrize("n_flagged, counted", [(M - 1, False), (M, True), (M + 1, True)])
def test_the_prior_needs_min_affective_conversations_of_the_same_user(n_flagged, counted):
    assert bool(run(n_flagged, T - 0.5)[-1]) is counted


@pytest.mark.parametrize("below, counted", [
    (D + 0.01, False),  # further below the threshold than the margin
    (D, True),          # exactly the margin
    (D - 0.01, True),
])
def test_the_prior_reaches_margin_below_the_threshold(below, counted):
    assert bool(run(M, T - below)[-1]) is counted


def test_another_users_borderline_conversation_is_unchanged():
    assert not run(M + 5, T - 0.1, other_user=True)[-1]


@pytest.mark.parametrize("min_affective, margin", [(0, D), (M, 0.0)])
def test_off_leaves_every_flag_as_it_was(min_affective, margin):
    users = np.array(["a"] * 6)
    scores = np.array([T + 1] * 5 + [T - 0.1])
    out = with_user_prior(users, scores, scores >= T, T, min_affective, margin)
    assert out.tolist() == [True] * 5 + [False]


def test_a_flag_is_never_removed():
    users = np.array(["a", "b", "c"])
    scores = np.array([T + 0.1, T + 3, T - 3])
    flags = np.array([True, True, False])
    assert with_user_prior(users, scores, flags, T, 1, D).tolist() == [True, True, False]


def facets(model: str) -> tuple[pl.DataFrame, LensSettings]:
    n = M + 1
    scores = [T + 2.0] * M + [T - 0.5]
    frame = pl.DataFrame({
        "user_id": ["a"] * n, "turns_bucket": ["2-3"] * n,
        "affective_score": pl.Series(scores, dtype=pl.Float32),
        "affective": [s >= T for s in scores],
        "sentiment_shift": pl.Series([0.0] * n, dtype=pl.Float32),
        "concern": [False] * n, "referral": [False] * n,
    })
    return frame, LensSettings(threshold=T, user_prior_min=M, user_prior_margin=D,
                               affective_model=model)


@pytest.mark.parametrize("model, counted", [("tasks/lens_affective.json", True), ("", False)])
def test_the_release_applies_the_prior_only_to_a_fitted_models_scores(model, counted):
    frame, settings = facets(model)
    values = lens_values(frame, settings)
    assert values is not None
    assert (values["affective"][-1] == "affective") is counted
    assert (values["affective"][:M] == "affective").all()
