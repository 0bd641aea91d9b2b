"""``bench.lens_eval.boundary``: flag scores and false-positive rates on hand-made inputs."""

from __future__ import annotations

import numpy as np
import pytest

from bench.lens_eval.boundary import false_positive_rates, flag_scores


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


def test_false_positive_rates_of_nothing_are_zero() -> None:
    out = false_positive_rates([])
    assert out == {"n_conversations": 0, "n_turns": 0, "n_flagged_turns": 0,
                   "turn_rate": 0.0, "conversation_rate": 0.0, "patterns": {}}


def test_false_positive_rates_hold_no_text() -> None:
    out = false_positive_rates([["I'm not a doctor, Zarquon."]])
    assert "Zarquon" not in str(out) and "doctor" not in str(out)
