"""``generate(n, seed)``: plans users and their conversations, then writes each one (user turns,
assistant replies) with its ground-truth record; ``iter_generate`` yields them one at a
time and ``write_demo_data`` streams both to JSONL (bounded memory at any ``n``).

Output is a pure function of ``(n, seed)``: one ``random.Random(seed)`` drives everything, and
the order of its draws here, in user_turns, replies and pii is the output's identity.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from chorus.demo.pii import new_persona
from chorus.demo.replies import assistant_turns
from chorus.demo.topics import (
    AFFECTIVE_WEIGHTS,
    HEAVY_TOPIC,
    MAIN_TOPICS,
    MAIN_WEIGHTS,
    RELIANCE_GROUPS,
    TAIL_TOPICS,
    TAIL_USERS_AT_2000,
    TASK_SET,
)
from chorus.demo.user_turns import user_turns

__all__ = ["generate", "iter_generate", "write_demo_data"]

_END = datetime(2026, 11, 1, tzinfo=UTC)
_WINDOW_S = 60 * 86400  # conversations fall in the 60 days before _END
_HOME_SHARE = 0.6  # of a user's conversations on their home topic
_GEOM_P = 0.36  # conversations per user: geometric, truncated to 1-8 (mean ~2.7)
_CONV_COUNT_WEIGHTS = tuple(_GEOM_P * (1 - _GEOM_P) ** (k - 1) for k in range(1, 9))
_CONCERN_SHARE = 0.03  # of main affective conversations


class _User(NamedTuple):
    """One planned user: home topic, conversation count, share on the home topic, and
    whether they belong to the heavy-reliance group (all conversations affective)."""

    home: str
    n_conversations: int
    home_share: float
    reliant: bool = False


def _users(rng: random.Random, n: int) -> list[_User]:
    """Plans users: the heavy user first, then tail-topic users, the heavy-reliance group
    (``RELIANCE_GROUPS``, scaled by ``n / 2000``), then ordinary users up to ``n``."""
    plan = [_User(HEAVY_TOPIC, max(5, n // 50), 1.0)]
    scale = math.sqrt(n / 2000)
    for topic, base in TAIL_USERS_AT_2000.items():
        for _ in range(max(1, round(base * scale))):
            count = rng.choices(range(1, 9), _CONV_COUNT_WEIGHTS)[0]
            plan.append(_User(topic, max(2, count), _HOME_SHARE))
    affective, affective_weights = tuple(AFFECTIVE_WEIGHTS), tuple(AFFECTIVE_WEIGHTS.values())
    for lo, hi, base in RELIANCE_GROUPS:
        for _ in range(round(base * n / 2000)):
            home = rng.choices(affective, affective_weights)[0]
            plan.append(_User(home, rng.randint(lo, hi), _HOME_SHARE, reliant=True))
    total = sum(u.n_conversations for u in plan)
    main, weights = MAIN_TOPICS, tuple(MAIN_WEIGHTS.values())
    while total < n:
        count = rng.choices(range(1, 9), _CONV_COUNT_WEIGHTS)[0]
        plan.append(_User(rng.choices(main, weights)[0], count, _HOME_SHARE))
        total += count
    return plan


def generate(n: int, seed: int) -> tuple[list[dict], list[dict]]:
    """Generates synthetic conversations and their ground truth.

    Args:
        n: Number of conversations (at least 1; designed for 50 to 50,000).
        seed: Seed for the single random generator; same ``(n, seed)`` gives identical output.

    Returns:
        ``(conversations, truth)``: parallel lists in ``created_at`` order. Conversations follow
        the input contract; truth records carry ``conversation_id``, ``user_id``, ``topic``,
        ``affective`` (the topic is affective, not task-oriented), ``concern`` (a user turn
        carries acute-distress language), ``referral`` (an assistant turn points to
        professional or human help), ``boundary`` (an assistant turn says what it is not
        or declines a role) and ``pii`` (each planted value, verbatim, with its type). A
        user's count of affective conversations is the number of their records with
        ``affective``.

    Raises:
        ValueError: If ``n`` is below 1.
    """
    conversations, truth = [], []
    for conversation, record in iter_generate(n, seed):
        conversations.append(conversation)
        truth.append(record)
    return conversations, truth


def iter_generate(n: int, seed: int) -> Iterator[tuple[dict, dict]]:
    """``generate``'s (conversation, truth) pairs one at a time, in the same order and from
    the same draws (so the same output), holding only the plan (a few small tuples per
    conversation) rather than every conversation: 1,000,000 fit in a few hundred MB.

    Raises:
        ValueError: If ``n`` is below 1 (on the first ``next``: it is a generator).
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    rng = random.Random(seed)
    main, weights = MAIN_TOPICS, tuple(MAIN_WEIGHTS.values())
    affective, affective_weights = tuple(AFFECTIVE_WEIGHTS), tuple(AFFECTIVE_WEIGHTS.values())
    plan = _users(rng, n)
    slots: list[tuple[int, str]] = []  # (user index, topic) per conversation
    for u, user in enumerate(plan):
        count = min(user.n_conversations, n - len(slots))
        for i in range(count):
            # Tail-topic users hold at least two conversations on their home topic.
            on_home = (i < 2 and user.home in TAIL_TOPICS) or rng.random() < user.home_share
            if on_home:
                topic = user.home
            elif user.reliant:  # the heavy-reliance group stays on affective topics
                topic = rng.choices(affective, affective_weights)[0]
            else:
                topic = rng.choices(main, weights)[0]
            slots.append((u, topic))
    user_ids = list(range(len(plan)))
    rng.shuffle(user_ids)
    personas = [new_persona(rng) for _ in plan]
    offsets = [rng.randrange(1, _WINDOW_S + 1) for _ in slots]
    order = sorted(range(len(slots)), key=lambda i: (-offsets[i], i))
    for idx, i in enumerate(order):
        u, topic = slots[i]
        cid, uid = f"c{idx:06d}", f"u{user_ids[u]:05d}"
        concern = topic in AFFECTIVE_WEIGHTS and rng.random() < _CONCERN_SHARE
        user_texts, pii, concern_turn = user_turns(rng, topic, personas[u], concern)
        replies, referral, boundary = assistant_turns(rng, topic, len(user_texts),
                                                      concern_turn, plan[u].reliant)
        messages = []
        for text, reply in zip(user_texts, replies, strict=True):
            messages.append({"role": "user", "content": text})
            messages.append({"role": "assistant", "content": reply})
        created = (_END - timedelta(seconds=offsets[i])).isoformat()
        yield ({"conversation_id": cid, "user_id": uid, "created_at": created,
                "messages": messages},
               {"conversation_id": cid, "user_id": uid, "topic": topic,
                "affective": topic not in TASK_SET, "concern": concern_turn is not None,
                "referral": referral, "boundary": boundary, "pii": pii})


def write_demo_data(n: int, seed: int, out: Path) -> tuple[Path, Path]:
    """Writes conversations to ``out`` and ground truth to ``<out stem>.truth.jsonl`` beside it.

    Args:
        n: Number of conversations.
        seed: Random seed.
        out: Path of the conversations JSONL file; parent directories are created.

    Returns:
        ``(conversations_path, truth_path)``.

    Raises:
        ValueError: If ``n`` is below 1 (before any file is opened).
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    truth_path = out.with_name(f"{out.stem}.truth.jsonl")
    # Streamed: one conversation in memory at a time (``iter_generate``), same bytes as
    # writing ``generate``'s lists.
    with out.open("w", encoding="utf-8", newline="\n") as data_fh, \
            truth_path.open("w", encoding="utf-8", newline="\n") as truth_fh:
        for conversation, record in iter_generate(n, seed):
            data_fh.write(json.dumps(conversation, ensure_ascii=False) + "\n")
            truth_fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return out, truth_path
