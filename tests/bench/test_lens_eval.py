"""The boundary and reliance scores of ``bench.lens_eval``, on hand-made inputs."""

from __future__ import annotations

import numpy as np
import pytest

from bench.lens_eval import (
    false_positive_rates,
    flag_scores,
    relative_errors,
    reliance_bucket,
    reliance_counts,
)


def test_flag_scores_counts_and_rates() -> None:
    pred = np.array([True, True, False, False, True])
    truth = np.array([True, False, True, False, True])
    assert flag_scores(pred, truth) == {
        "n": 5, "n_true": 3, "n_flagged": 3, "true_positives": 2,
        "precision": pytest.approx(2 / 3), "recall": pytest.approx(2 / 3)}


def test_flag_scores_without_positives_are_none() -> None:
    scores = flag_scores(np.zeros(3, dtype=bool), np.zeros(3, dtype=bool))
    assert scores["precision"] is None and scores["recall"] is None


def test_false_positive_rates_per_turn_conversation_and_pattern() -> None:
    out = false_positive_rates([
        ["Your table is booked.", "I'm an AI, not a therapist."],
        ["I can't find that restaurant.", ""],
        [],
        ["Please don't rely only on me."],
    ])
    assert out["n_conversations"] == 4 and out["n_turns"] == 4  # empty turns skipped
    assert out["n_flagged_turns"] == 2
    assert out["turn_rate"] == pytest.approx(0.5)
    assert out["conversation_rate"] == pytest.approx(0.5)
    assert out["patterns"] == {"ai_not_a_role": 1, "dont_rely_on_me": 1}


def test_false_positive_rates_hold_no_text() -> None:
    out = false_positive_rates([["I'm not a doctor, Zarquon."]])
    assert "Zarquon" not in str(out) and "doctor" not in str(out)


@pytest.mark.parametrize(("count", "label"), [
    (1, "1"), (2, "2-3"), (3, "2-3"), (4, "4-9"), (9, "4-9"), (10, "10+"), (250, "10+"),
])
def test_reliance_bucket(count: int, label: str) -> None:
    assert reliance_bucket(count) == label


def test_reliance_bucket_rejects_zero() -> None:
    with pytest.raises(ValueError):
        reliance_bucket(0)


def test_reliance_counts_per_user_skipping_users_without_affective() -> None:
    users = ["a"] * 12 + ["b"] * 5 + ["c", "c", "d", "e"]
    affective = [True] * 12 + [True, True, True, True, False] + [True, True, True, False]
    # a: 12 (10+), b: 4 (4-9), c: 2 (2-3), d: 1 (1), e: none (skipped)
    assert reliance_counts(users, affective) == {"1": 1, "2-3": 1, "4-9": 1, "10+": 1}
    assert reliance_counts(["x"], [False]) == {"1": 0, "2-3": 0, "4-9": 0, "10+": 0}


def test_relative_errors() -> None:
    errors = relative_errors({"1": 95, "2-3": 12, "10+": 3}, {"1": 100, "2-3": 10, "4-9": 0,
                                                              "10+": 4})
    assert errors == {"1": pytest.approx(0.05), "2-3": pytest.approx(0.2), "4-9": None,
                      "10+": pytest.approx(0.25)}
