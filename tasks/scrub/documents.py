"""Turn -> document planning: which user turns are analyzed together.

Each conversation's user turns are joined into one document (``TURN_SEPARATOR``
between turns) so that a name introduced in one turn is in the NER context of the next.
A conversation whose joined text would exceed ``max_doc_chars`` is analyzed turn by
turn instead. Turns are mapped back by character offsets (``Doc.turn_bounds``), never
by splitting on the separator.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Joins a conversation's user turns into one document. Turns are mapped back by
# character offsets, not by splitting on this string, so a separator typed inside a
# turn or an entity that spans two turns cannot misalign them.
TURN_SEPARATOR = "\n\n"


@dataclass(slots=True)
class Doc:
    """Where one analyzed document's turns belong.

    Attributes:
        conversation: index of the conversation (row) the document comes from.
        first_turn: index, among that conversation's user turns, of the document's first.
        turn_bounds: ``[start, end)`` of each turn inside the document, in turn order.
    """

    conversation: int
    first_turn: int
    turn_bounds: list[tuple[int, int]]


def plan_docs(
    user_turns: Sequence[Sequence[str]], max_doc_chars: int
) -> tuple[list[str], list[Doc], int]:
    """Join each conversation's turns into one document (or one per turn if too long).

    Args:
        user_turns: per conversation, its user turns (no ``None``).
        max_doc_chars: a conversation of more than one turn whose joined text is longer
            than this is split into one document per turn.

    Returns:
        The document texts, their ``Doc`` (same order), and the number of conversations
        analyzed turn by turn. Conversations without user turns yield no document.
    """
    texts: list[str] = []
    plan: list[Doc] = []
    n_split = 0
    for conv, turns in enumerate(user_turns):
        if not turns:
            continue
        joined_len = sum(len(t) for t in turns) + len(TURN_SEPARATOR) * (len(turns) - 1)
        if len(turns) > 1 and joined_len > max_doc_chars:
            n_split += 1
            for i, turn in enumerate(turns):
                texts.append(turn)
                plan.append(Doc(conv, i, [(0, len(turn))]))
            continue
        bounds, pos = [], 0
        for turn in turns:
            bounds.append((pos, pos + len(turn)))
            pos += len(turn) + len(TURN_SEPARATOR)
        texts.append(TURN_SEPARATOR.join(turns))
        plan.append(Doc(conv, 0, bounds))
    return texts, plan, n_split
