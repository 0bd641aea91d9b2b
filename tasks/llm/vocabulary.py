"""The rule for words an LLM writes into a name or description, checked before the gate.

A word of an LLM-written string (``chorus.core.tokens.words``) is accepted when it is

1. an allowed word (the description template's words, the run's language codes), or
2. written by >= k distinct users of the cluster, or
3. written by no user of the cluster, and by no user or >= k distinct users of the run:
   no member wrote it, so it says nothing about a member (the model's own vocabulary,
   "troubleshooting", or a word a sibling's k-backed phrase showed it).

A word some member wrote but fewer than k members did is refused: that is the word an
LLM could only have copied from a scrubbed sample (``scrubbed_samples`` mode) or a
near-identifier the scrubber missed. The release gate applies parts 1-2 and the "no user
of the cluster" half of 3 (``tasks.release.strings``); the release audit re-checks all
of it against the whole run (``tasks.release.audit``). This module is the first of the
three checks, so that a refused LLM name falls back to the offline one instead of
leaving the cluster unnamed or blocking the run.
"""

from __future__ import annotations

from chorus.core import tokens

Support = dict[str, set[str]]


def strictly_backed(text: str | None, support: Support, k: int,
                    allowed: frozenset[str]) -> bool:
    """Every word allowed or written by >= k users of the cluster (the rule for what the
    LLM is shown in the default mode)."""
    return text is not None and all(w in allowed or len(support.get(w, ())) >= k
                                    for w in tokens.words(text))


def llm_words_ok(text: str, cluster: Support, run: Support, k: int,
                 allowed: frozenset[str]) -> bool:
    """The module's rule for every word of ``text``.

    Args:
        text: a name or description the LLM wrote.
        cluster, run: term -> distinct users (``tokens.user_support``) over the
            cluster's texts and over the run's texts.
        k: ``privacy.min_users``.
        allowed: words allowed without users.
    """
    for word in tokens.words(text):
        if word in allowed:
            continue
        in_cluster = len(cluster.get(word, ()))
        if in_cluster:
            if in_cluster < k:
                return False
        elif 0 < len(run.get(word, ())) < k:
            return False
    return True
