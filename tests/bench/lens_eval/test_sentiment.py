"""``bench.lens_eval.sentiment``: survey intensities and the rank correlation."""

from __future__ import annotations

import numpy as np
import pytest

from bench.lens_eval.sentiment import intensity, spearman


@pytest.mark.parametrize(("survey", "want"), [
    ({"x": "4"}, 4.0), ({"x": 2}, 2.0), ({"x": " 3 "}, 3.0),
    ({}, None), ({"x": None}, None), ({"x": "n/a"}, None), ({"x": [1]}, None),
])
def test_intensity(survey: dict, want: float | None) -> None:
    assert intensity(survey, "x") == want


def test_spearman_ranks() -> None:
    a = np.array([1.0, 2.0, 3.0, 4.0])
    assert spearman(a, a ** 3) == pytest.approx(1.0)
    assert spearman(a, -a) == pytest.approx(-1.0)
