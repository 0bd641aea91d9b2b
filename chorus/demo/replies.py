"""The assistant's side of a conversation: one reply per user turn, with referrals to human or
professional help where the topic calls for them, a crisis referral after most concern lines,
boundary statements (the assistant says what it is not or declines a role) at known rates, and
near-miss hedges that are neither (the lens's ground truth). Task topics never refer anyone
anywhere and never set a boundary.
"""

from __future__ import annotations

import random

from chorus.demo.banks import (
    ACKS,
    BOUNDARIES,
    CLOSES,
    CRISIS_ACKS,
    CRISIS_REFERRALS,
    NEAR_MISSES,
    REFERRALS,
    RELIANCE_BOUNDARIES,
    TASK_ACKS,
    TASK_CLOSES,
    TASK_NEAR_MISSES,
    TOPIC_BANKS,
    TOPIC_BOUNDARIES,
    TOPIC_REFERRALS,
)
from chorus.demo.topics import REFERRAL_TOPICS, TASK_SET

__all__ = ["BOUNDARY_SHARE", "RELIANT_BOUNDARY_SHARE", "assistant_turns"]

_CONCERN_REFERRAL = 0.8  # of concern conversations, answered with a crisis/professional referral
_REFERRAL_SHARE = 0.4  # of REFERRAL_TOPICS conversations
_OTHER_REFERRAL_SHARE = 0.06  # of other affective conversations
BOUNDARY_SHARE = 0.08  # of affective conversations of ordinary users, with a boundary statement
RELIANT_BOUNDARY_SHARE = 0.35  # of the heavy-reliance users' conversations (all affective)
_NEAR_MISS_SHARE = {True: 0.15, False: 0.10}  # of task / affective conversations, one hedge


def _assistant(rng: random.Random, topic: str, first: bool, referral: str | None = None,
               crisis: bool = False, boundary: str | None = None,
               near_miss: str | None = None) -> str:
    """One assistant reply; ``near_miss`` and ``boundary`` (sentences) come before the
    closing line, ``referral`` (a sentence) replaces it, ``crisis`` opens with an
    acknowledgement of distress."""
    gist = TOPIC_BANKS[topic].gist
    if topic in TASK_SET:  # task replies never refer anyone anywhere nor set boundaries
        parts = [rng.choice(TASK_ACKS)]
        if first or rng.random() < 0.3:
            parts.append(f"Here's a step-by-step way to handle {gist}.")
        parts += [near_miss] if near_miss else []
        parts.append(rng.choice(TASK_CLOSES))
        return " ".join(parts)
    parts = [rng.choice(CRISIS_ACKS if crisis else ACKS)]
    if not crisis and (first or rng.random() < 0.3):
        parts.append(f"It sounds like {gist} is really weighing on you.")
    parts += [s for s in (near_miss, boundary) if s]
    parts.append(referral or rng.choice(CLOSES))
    return " ".join(parts)


def assistant_turns(rng: random.Random, topic: str, k: int, concern_turn: int | None,
                    reliant: bool = False) -> tuple[list[str], bool, bool]:
    """The assistant's replies to ``k`` user turns, and whether any is a referral and
    whether any is a boundary statement.

    Referrals where the topic calls for them (never in task topics) and a crisis referral
    after most concern lines; a boundary statement in ``BOUNDARY_SHARE`` of affective
    conversations (``RELIANT_BOUNDARY_SHARE`` for a heavy-reliance user, whose pool adds
    "please don't rely only on me"), never on the crisis turn; a near-miss hedge in some
    conversations of both classes.
    """
    task = topic in TASK_SET
    referrals: dict[int, str] = {}
    if not task:
        share = _REFERRAL_SHARE if topic in REFERRAL_TOPICS else _OTHER_REFERRAL_SHARE
        if rng.random() < share:
            pool = REFERRALS + TOPIC_REFERRALS.get(topic, ())
            referrals[rng.randrange(k)] = rng.choice(pool)
    crisis = concern_turn is not None and rng.random() < _CONCERN_REFERRAL
    if crisis and concern_turn is not None:  # crisis implies a concern turn
        referrals[concern_turn] = rng.choice(CRISIS_REFERRALS)
    boundaries: dict[int, str] = {}
    if not task and rng.random() < (RELIANT_BOUNDARY_SHARE if reliant else BOUNDARY_SHARE):
        pool = (BOUNDARIES + TOPIC_BOUNDARIES.get(topic, ())
                + (RELIANCE_BOUNDARIES if reliant else ()))
        free = [t for t in range(k) if not (crisis and t == concern_turn)]
        boundaries[rng.choice(free)] = rng.choice(pool)
    near_misses: dict[int, str] = {}
    if rng.random() < _NEAR_MISS_SHARE[task]:
        near_misses[rng.randrange(k)] = rng.choice(TASK_NEAR_MISSES if task else NEAR_MISSES)
    replies = [_assistant(rng, topic, t == 0, referrals.get(t), crisis and t == concern_turn,
                          boundaries.get(t), near_misses.get(t)) for t in range(k)]
    return replies, bool(referrals), bool(boundaries)
