"""The release gate's categorical values of the lens facets (the gate labels the lens's
columns; these tests may move with the gate's own tests)."""

from __future__ import annotations

import numpy as np
import pytest

from chorus.core.release import LENS_FACET_VALUES
from tasks.release import affective_labels, outcome_labels, support_path_labels


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
                                                  "concern, not referred"},
                                 "boundary": {"boundary", "no boundary"},
                                 "boundary_concern": {"boundary", "no boundary"},
                                 "reliance": {"1", "2-3", "4-9", "10+", "1-3", "1-9", "1+",
                                              "2-9", "2+", "4+"}}
