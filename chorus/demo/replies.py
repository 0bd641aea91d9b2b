"""The assistant's side of a conversation: one reply per user turn, with referrals to human or
professional help where the topic calls for them and a crisis referral after most concern
lines (the lens's ground truth). Task topics never refer anyone anywhere.
"""

from __future__ import annotations

import random

from chorus.demo.banks import (
    ACKS,
    CLOSES,
    CRISIS_ACKS,
    CRISIS_REFERRALS,
    REFERRALS,
    TASK_ACKS,
    TASK_CLOSES,
    TOPIC_BANKS,
    TOPIC_REFERRALS,
)
from chorus.demo.topics import REFERRAL_TOPICS, TASK_SET

__all__ = ["assistant_turns"]

_CONCERN_REFERRAL = 0.8  # of concern conversations, answered with a crisis/professional referral
_REFERRAL_SHARE = 0.4  # of REFERRAL_TOPICS conversations
_OTHER_REFERRAL_SHARE = 0.06  # of other affective conversations


def _assistant(rng: random.Random, topic: str, first: bool, referral: str | None = None,
               crisis: bool = False) -> str:
    """One assistant reply; ``referral`` (a sentence) replaces the closing line, ``crisis``
    opens with an acknowledgement of distress."""
    gist = TOPIC_BANKS[topic].gist
    if topic in TASK_SET:  # task replies never refer anyone anywhere
        parts = [rng.choice(TASK_ACKS)]
        if first or rng.random() < 0.3:
            parts.append(f"Here's a step-by-step way to handle {gist}.")
        parts.append(rng.choice(TASK_CLOSES))
        return " ".join(parts)
    parts = [rng.choice(CRISIS_ACKS if crisis else ACKS)]
    if not crisis and (first or rng.random() < 0.3):
        parts.append(f"It sounds like {gist} is really weighing on you.")
    parts.append(referral or rng.choice(CLOSES))
    return " ".join(parts)


def assistant_turns(rng: random.Random, topic: str, k: int,
                    concern_turn: int | None) -> tuple[list[str], bool]:
    """The assistant's replies to ``k`` user turns, with referrals where the topic calls
    for them (never in task topics) and a crisis referral after most concern lines; and
    whether any reply is a referral."""
    referrals: dict[int, str] = {}
    if topic not in TASK_SET:
        share = _REFERRAL_SHARE if topic in REFERRAL_TOPICS else _OTHER_REFERRAL_SHARE
        if rng.random() < share:
            pool = REFERRALS + TOPIC_REFERRALS.get(topic, ())
            referrals[rng.randrange(k)] = rng.choice(pool)
    crisis = concern_turn is not None and rng.random() < _CONCERN_REFERRAL
    if crisis and concern_turn is not None:  # crisis implies a concern turn
        referrals[concern_turn] = rng.choice(CRISIS_REFERRALS)
    return [_assistant(rng, topic, t == 0, referrals.get(t), crisis and t == concern_turn)
            for t in range(k)], bool(referrals)
