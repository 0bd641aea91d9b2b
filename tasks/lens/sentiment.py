"""The sentiment facet: the user's expressed sentiment at the start and at the end.

VADER compound score (-1..1), averaged over the first and over the last
``SENTIMENT_WINDOW`` substantive user turns, and the shift (end - start). Turns made
only of greetings, thanks and acknowledgements ("hi", "thank you so much!", "ok bye") say
little about how the person feels: they are skipped when the conversation has other
turns. One definition for the whole project: ``chorus.core.text.is_pleasantry``.
Text in, numbers out: nothing here logs or raises with text.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from chorus.core.errors import text_safe_errors
from chorus.core.text import is_pleasantry

SENTIMENT_WINDOW = 2  # user turns averaged at each end


@lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def compound(text: str) -> float:
    """VADER compound score of one text, in [-1, 1]."""
    return float(_vader().polarity_scores(text)["compound"])


@text_safe_errors("lens")
def sentiment_trajectory(user_turns: list[list[str]]) -> tuple[np.ndarray, np.ndarray,
                                                               np.ndarray]:
    """The user's expressed sentiment at the start and at the end of each conversation.

    VADER compound score (-1..1) averaged over the first ``SENTIMENT_WINDOW`` and over the
    last ``SENTIMENT_WINDOW`` substantive user turns: empty turns are dropped, and so are
    turns made only of greetings/thanks/acknowledgements (``is_pleasantry``) unless
    nothing else is left. The window shrinks to half the turns so the two never overlap
    (2-3 turns: first vs last; one turn: start == end, shift 0). No non-empty turn:
    0, 0, 0.

    Args:
        user_turns: per conversation, the user's messages in order.

    Returns:
        (start, end, shift) float32 arrays of shape (n,), each in [-1, 1] ([-2, 2] for
        shift = end - start).
    """
    n, k = len(user_turns), SENTIMENT_WINDOW
    start, end = np.zeros(n, dtype=np.float32), np.zeros(n, dtype=np.float32)
    for i, turns in enumerate(user_turns):
        kept = [t for t in (turns or []) if t and t.strip()]
        kept = [t for t in kept if not is_pleasantry(t)] or kept
        if not kept:
            continue
        scores = [compound(t) for t in kept]
        w = max(1, min(k, len(scores) // 2))  # the two windows never overlap
        start[i] = np.mean(scores[:w])
        end[i] = start[i] if len(scores) == 1 else np.mean(scores[-w:])
    return start, end, (end - start).astype(np.float32)
