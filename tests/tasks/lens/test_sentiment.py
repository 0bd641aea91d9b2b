"""The sentiment trajectory: VADER at the start and end of the user's turns."""

from __future__ import annotations

import numpy as np
import pytest

from tasks.lens import compound, sentiment_trajectory


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

    assert start[0] == pytest.approx(np.mean([compound(t) for t in turns[1:3]]), abs=1e-6)
    assert end[0] == pytest.approx(np.mean([compound(t) for t in turns[3:5]]), abs=1e-6)
    assert start[0] < 0 < end[0] and shift[0] > 0
    # only trivial turns: they are kept (first vs last)
    assert start[1] == pytest.approx(compound("thank you"), abs=1e-6)
