"""``bench.lens_eval.mixes``: mix sampling, rates and expected share errors."""

from __future__ import annotations

import random

import numpy as np
import pytest

from bench.lens_eval.mixes import MIXES, rates, sample_mix, share_errors


@pytest.mark.parametrize(("share", "n", "n_pos", "want_aff", "want_total"), [
    (0.03, 2000, 195, 60, 2000),    # enough affective chats: n items
    (0.10, 2000, 195, 195, 1950),   # capped at the pool: 195 of 1,950
    (0.30, 2000, 195, 195, 650),
    (0.30, 100, 195, 30, 100),
])
def test_sample_mix_sizes(share: float, n: int, n_pos: int, want_aff: int,
                          want_total: int) -> None:
    picked = sample_mix(list(range(n_pos)), list(range(5000)), list(range(5000)), share, n,
                        random.Random(1))
    kinds = [k for k, _ in picked]
    assert len(picked) == want_total and kinds.count("es") == want_aff
    n_task = want_total - want_aff
    assert kinds.count("sgd") == n_task // 2
    assert kinds.count("banking77") == n_task - n_task // 2
    assert len(set(picked)) == len(picked)  # sampled without replacement


def test_sample_mix_is_seeded() -> None:
    args = (list(range(195)), list(range(900)), list(range(900)), 0.1, 500)
    assert sample_mix(*args, random.Random("s")) == sample_mix(*args, random.Random("s"))
    assert sample_mix(*args, random.Random("s")) != sample_mix(*args, random.Random("t"))


def test_rates() -> None:
    pred = np.array([True, True, False, False])
    truth = np.array([True, False, True, False])
    assert rates(pred, truth) == {"true_share": 0.5, "estimated_share": 0.5,
                                  "precision": 0.5, "recall": 0.5}
    nothing = rates(np.zeros(2, dtype=bool), np.zeros(2, dtype=bool))
    assert nothing["precision"] == 0.0 and nothing["recall"] == 0.0


@pytest.mark.parametrize(("tpr", "fpr", "want"), [
    (1.0, 0.0, [0.0, 0.0, 0.0]),
    (0.9, 0.0, [-0.003, -0.01, -0.03]),
    (1.0, 0.01, [0.0097, 0.009, 0.007]),
])
def test_share_errors(tpr: float, fpr: float, want: list[float]) -> None:
    assert MIXES == (0.03, 0.10, 0.30)
    assert share_errors(tpr, fpr) == pytest.approx(want)
