"""Self-disclosure patterns: first-person feelings, venting and rumination count; task
phrasing with the same words does not; the count is capped."""

from __future__ import annotations

import numpy as np
import pytest

from chorus.core.lexicon import matched_pattern_names
from tasks.lens.disclosure import (
    DISCLOSURE_CAP,
    DISCLOSURE_PATTERNS,
    disclosure_counts,
    disclosure_fingerprint,
)


@pytest.mark.parametrize("text, names", [
    ("I'm so anxious about the interview", ["first_person_feeling"]),
    ("I've been really stressed since the move", ["first_person_feeling"]),
    ("I still feel awful about it", ["first_person_feeling"]),
    ("I\u2019m terrified", ["first_person_feeling"]),  # typographic quote
    ("Thanks, I feel a bit better now", ["feel_after"]),
    ("I'm feeling more positive about it", ["feel_after"]),
    ("I'm worried that I'll fail", ["first_person_feeling", "afraid_of"]),
    ("Everything feels like too much", ["it_feels"]),
    ("the forms are overwhelming", ["overwhelming"]),
    ("Thank you so much for listening", ["venting"]),
    ("I just needed to get this off my chest", ["venting"]),
    ("I don't really know who else to ask", ["venting"]),
    ("I can't stop worrying about money", ["rumination"]),
    ("It's been on my mind all week", ["rumination"]),
    ("my anxiety gets worse at night", ["emotion_noun"]),
    ("I cried in the car", ["crying"]),
])
def test_disclosures_match(text, names):
    assert matched_pattern_names(text, DISCLOSURE_PATTERNS) == names


@pytest.mark.parametrize("text", [
    "",
    "How do I fix a KeyError in pandas?",
    "I got better results with a left join",  # "better" is a feeling only after "feel"
    "I'm better at Python than SQL",
    "I got lost on the way to the station, which bus goes there?",
    "It seems impossible to install this package on Windows",
    "I lost my card, can you freeze it?",
    "Is the hotel pool heated?",
    "This function is too much code, can you shorten it?",
    "My phone's low battery warning keeps popping up",
])
def test_task_phrasing_does_not_match(text):
    assert matched_pattern_names(text, DISCLOSURE_PATTERNS) == []


@pytest.mark.parametrize("n_matched", [DISCLOSURE_CAP - 1, DISCLOSURE_CAP, DISCLOSURE_CAP + 1])
def test_count_is_capped(n_matched):
    parts = ["I'm so anxious.", "Thanks for listening.", "my grief is heavy.",
             "I keep crying.", "the forms are overwhelming."][:n_matched]
    text = " ".join(parts)
    assert len(matched_pattern_names(text, DISCLOSURE_PATTERNS)) == n_matched
    assert disclosure_counts([text]).tolist() == [min(n_matched, DISCLOSURE_CAP)]


def test_counts_shape_and_fingerprint():
    out = disclosure_counts(["", "I feel so lonely", "book a table for two"])
    assert out.dtype == np.float32 and out.tolist() == [0.0, 1.0, 0.0]
    assert len(disclosure_fingerprint()) == 16
    assert disclosure_fingerprint() == disclosure_fingerprint()
