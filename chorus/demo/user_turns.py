"""The user's side of a conversation: 2-4 turns built from the topic's bank, with slots filled,
the user's casual style, an optional concern line, a calmer/worse ending and planted PII.

Bounds (on whitespace-separated words): 10-40 per turn and 40-120 in all. Sentences that carry
meaning (openings, details, asks, concern lines, endings, PII) are "required" and are placed
only where they fit; fillers, asides and spare details are optional and pad or get dropped.
Lens and PII sentences are never restyled, so they stay verbatim.
"""

from __future__ import annotations

import random

from chorus.demo.banks import (
    ASIDES,
    BETTER,
    CASUAL,
    CONCERN_LINES,
    FILLERS,
    PII_TEMPLATES,
    SITES,
    SLOTS,
    TASK_ASIDES,
    TASK_FILLERS,
    TASK_PII_TEMPLATES,
    TASK_SITES,
    TASK_STUCK,
    TASK_THANKS,
    TOPIC_BANKS,
    WORSE,
)
from chorus.demo.pii import PII_TYPES, PII_WEIGHTS, pii_value
from chorus.demo.topics import TASK_SET

__all__ = ["user_turns"]

_PII_SHARE = 0.35  # of conversations with PII planted in them
_MIN_TURN, _MAX_TURN, _MIN_TOTAL, _MAX_TOTAL = 10, 40, 40, 120
_BETTER_SHARE, _WORSE_SHARE = 0.55, 0.15  # affective endings
_TASK_THANKS_SHARE, _TASK_STUCK_SHARE = 0.2, 0.05  # task endings


class _Slots(dict):
    """Lazily samples each slot once per conversation, so a conversation stays consistent."""

    def __init__(self, rng: random.Random) -> None:
        super().__init__()
        self._rng = rng

    def __missing__(self, key: str) -> str:
        base = key.removesuffix("_cap")
        value = dict.get(self, base) or self._rng.choice(SLOTS[base])
        self[base] = value
        if key != base:
            value = value[0].upper() + value[1:]
            self[key] = value
        return value


def _casual(text: str) -> str:
    """Lowercase, typo-ish variant of a sentence (never applied to PII sentences)."""
    text = text.lower().rstrip(".")
    for old, new in CASUAL:
        text = text.replace(old, new)
    return text


def _words(turn: list[tuple[str, bool]], required: bool = False) -> int:
    return sum(len(s.split()) for s, opt in turn if not (required and opt))


def user_turns(rng: random.Random, topic: str, persona: dict,
               concern: bool) -> tuple[list[str], list[dict], int | None]:
    """Builds 2-4 user turns for ``topic``, the PII planted in them, and the index of the turn
    that carries a concern line (None when there is none)."""
    _, opens, details, asks = TOPIC_BANKS[topic]
    task = topic in TASK_SET
    fillers, asides = (TASK_FILLERS, TASK_ASIDES) if task else (FILLERS, ASIDES)
    slots = _Slots(rng)
    k = rng.choices((2, 3, 4), (0.35, 0.4, 0.25))[0]
    picked = rng.sample(details, min(len(details), k))
    turns: list[list[tuple[str, bool]]] = [[(rng.choice(opens), False)]]
    turns += [[(picked[i], False)] for i in range(k - 2)]
    turns.append([(picked[-1], False)] if k == 2 else [])
    turns[-1].append((rng.choice(asks), False))
    if rng.random() < 0.35:
        turns[0].append((rng.choice(fillers), True))
    if rng.random() < 0.2:
        turns[rng.randrange(k - 1)].append((rng.choice(asides), True))
    casual = persona["casual"]
    # Fill slots, apply casual style (never to PII or lens sentences, which stay verbatim).
    turns = [[(_casual(s.format_map(slots)) if casual and rng.random() < 0.7
               else s.format_map(slots), opt) for s, opt in t] for t in turns]

    def fits(t: int, sentence: str) -> bool:  # required words stay within both bounds
        extra = len(sentence.split())
        return (_words(turns[t], required=True) + extra <= _MAX_TURN
                and sum(_words(x, required=True) for x in turns) + extra <= _MAX_TOTAL)

    concern_turn = None
    if concern:  # a later turn if there is room, else the first
        line, order = rng.choice(CONCERN_LINES), list(range(1, k))
        rng.shuffle(order)
        for t in order + [0]:
            if fits(t, line):
                turns[t].insert(rng.choice((0, len(turns[t]))), (line, False))
                concern_turn = t
                break
    # How the last user turn opens: calmer/better, worse, or neither.
    r = rng.random()
    if task:
        ending = (TASK_THANKS if r < _TASK_THANKS_SHARE else
                  TASK_STUCK if r < _TASK_THANKS_SHARE + _TASK_STUCK_SHARE else None)
    else:
        ending = (BETTER if r < _BETTER_SHARE else
                  WORSE if r < _BETTER_SHARE + _WORSE_SHARE else None)
    if ending and concern_turn != k - 1:
        line = rng.choice(ending)
        if fits(k - 1, line):
            turns[-1].insert(0, (line, False))
    pii: list[dict] = []
    if rng.random() < _PII_SHARE:
        templates = TASK_PII_TEMPLATES if task else PII_TEMPLATES
        free = list(range(k))
        rng.shuffle(free)
        for _ in range(min(k, rng.choices((1, 2, 3), (0.6, 0.3, 0.1))[0])):
            ptype = rng.choices(PII_TYPES, PII_WEIGHTS)[0]
            template, kind = rng.choice(templates[ptype])
            value = pii_value(rng, kind, ptype, persona, TASK_SITES if task else SITES)
            sentence = template.replace("{v}", value)
            # One PII sentence per turn, and only where the required words leave room.
            room = [t for t in free if fits(t, sentence)]
            if room:
                free.remove(room[0])
                turn = turns[room[0]]
                turn.insert(rng.choice((0, len(turn))), (sentence, False))
                pii.append({"type": ptype, "value": value})
    extras = list(fillers) + [s.format_map(slots) for s in details if s not in picked]
    rng.shuffle(extras)
    for turn in turns:  # per-turn bounds: drop optional sentences, pad short turns
        while _words(turn) > _MAX_TURN and any(opt for _, opt in turn):
            turn.remove(next(x for x in reversed(turn) if x[1]))
        while _words(turn) < _MIN_TURN and extras:
            turn.append((extras.pop(), True))
    while sum(map(_words, turns)) < _MIN_TOTAL and extras:  # pad the shortest turn
        turn, extra = min(turns, key=_words), extras.pop()
        if _words(turn) + len(extra.split()) <= _MAX_TURN:
            turn.append((extra, True))
    while sum(map(_words, turns)) > _MAX_TOTAL:
        longest = max((t for t in turns if any(opt for _, opt in t)), key=_words, default=None)
        if longest is None:
            break
        longest.remove(next(x for x in reversed(longest) if x[1]))
    return [" ".join(s for s, _ in t) for t in turns], pii, concern_turn
