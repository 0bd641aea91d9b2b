"""The gate's adjusted affective share (corrects the flagged share for the calibrated
error rates; it lives with the release gate and may move with its tests)."""

from __future__ import annotations

import numpy as np
import pytest

from chorus.core.settings import LensSettings
from tasks.release import adjusted_share


def test_adjusted_share_corrects_known_error_rates():
    settings = LensSettings(calibration_tpr=0.9, calibration_fpr=0.1)
    flags = np.array([True] * 26 + [False] * 74)  # observed 0.26 = 0.2 * 0.9 + 0.8 * 0.1
    assert adjusted_share(flags, settings) == pytest.approx(0.2)
    assert adjusted_share(np.zeros(10, bool), settings) == 0.0
    assert adjusted_share(np.zeros(0, bool), settings) == 0.0
