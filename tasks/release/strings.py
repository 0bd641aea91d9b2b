"""Rule 5 of the gate: every published string is re-counted against its cluster's texts.

A phrase is kept only when it occurs in texts of >= ``min_users`` distinct users of the
cluster; a name or description is kept only when every word of it is such a word, an
allowed word (the description template's words and the run's language codes), or a word
no member of the cluster wrote at all (an LLM's own vocabulary, ``tasks.llm``: it says
nothing about any member; the release audit re-checks such a word against the whole run,
where it must be written by no user or by >= ``min_users``). A word some members wrote
but fewer than ``min_users`` did is refused. A failure drops that string, never the
cluster or the run.
"""

from __future__ import annotations

from chorus.core import tokens
from chorus.core.settings import PrivacySettings
from chorus.core.term_users import TermUsers


def checked_strings(summary: dict | None, texts: list[str], users: list[str],
                    privacy: PrivacySettings, allowed: frozenset[str]) -> tuple[dict, int]:
    """Rule 5 for one cluster.

    Args:
        summary: the cluster's ``SUMMARY_SCHEMA`` row (name, description, phrases of
            {phrase, score, ...}), or None when it has none.
        texts, users: the cluster members' requests and user ids, aligned.
        privacy: thresholds (``min_users`` is k).
        allowed: words a name or description may hold without user support.

    Returns:
        ({name, description, phrases} that pass, None for a dropped name or description),
        and the number of strings dropped.
    """
    if summary is None:
        return {"name": None, "description": None, "phrases": []}, 0
    phrases = summary.get("phrases") or []
    max_n = max((len(p["phrase"].split()) for p in phrases), default=1)
    support = TermUsers(texts, users, max_n)  # = tokens.user_support's counts, capped
    k = privacy.min_users
    kept = [p for p in phrases if support.count(p["phrase"], k) >= k]
    dropped = len(phrases) - len(kept)

    def ok(text: str | None) -> bool:
        # a word no member wrote (count 0) is the LLM's own vocabulary
        return text is not None and all(
            w in allowed or support.count(w, k) in (0, k) for w in tokens.words(text))

    name = summary.get("name") if ok(summary.get("name")) else None
    description = summary.get("description") if ok(summary.get("description")) else None
    dropped += (summary.get("name") is not None and name is None)
    dropped += (summary.get("description") is not None and description is None)
    return {"name": name, "description": description, "phrases": kept}, dropped
