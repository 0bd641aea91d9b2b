"""Descriptions: one or two sentences from a cluster's phrases and facet statistics.

Every word is a word of a k-backed phrase, a run language code, or a template word
(``chorus.core.tokens.TEMPLATE_WORDS``); the facet statistics are the cluster's majority
turn bucket and language, each held by over half its requests and >= k distinct users.
"""

from __future__ import annotations


def majority(values: list[tuple[str, int, int]], size: int, min_users: int) -> str | None:
    """The value of (value, items, capped users) that holds over half of ``size`` items
    and >= ``min_users`` users, or None."""
    if not values or size == 0:
        return None
    top, items, users = max(values, key=lambda v: v[1])
    return top if items * 2 > size and users >= min_users else None


def _stats(turns: str | None, language: str | None) -> list[str]:
    stats = []
    if turns:
        stats.append(f"typically {turns} user {'turn' if turns == '1' else 'turns'}")
    if language and language != "und":
        stats.append(f"mostly language '{language}'")
    return stats


def describe(phrases: list[str], turns: str | None, language: str | None) -> str:
    """The ``phrases`` method's sentence: "Requests about a, b, c; also mentions d and e
    (typically 2-3 user turns, mostly language 'en')."."""
    sentence = f"Requests about {', '.join(phrases[:3])}"
    if len(phrases) > 3:
        sentence += f"; also mentions {' and '.join(phrases[3:5])}"
    stats = _stats(turns, language)
    if turns:  # the old wording, kept for this method
        stats[0] = f"typically {turns} user turns"
    return sentence + (f" ({', '.join(stats)})." if stats else ".")


def joined(items: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def describe_people(phrases: list[str], turns: str | None, language: str | None) -> str:
    """The ``title`` method's description: "People ask about a, b and c, and also about d
    and e. Typically 2-3 user turns, mostly language 'en'."."""
    sentence = f"People ask about {joined(phrases[:3])}"
    if len(phrases) > 3:
        sentence += f", and also about {joined(phrases[3:5])}"
    stats = _stats(turns, language)
    return sentence + "." + (f" {', '.join(stats).capitalize()}." if stats else "")
