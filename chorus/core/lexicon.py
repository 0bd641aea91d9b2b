"""Named regex lexicons over turns: the matching helpers the lens (concern) and scrub
(assistant referral) share. A lexicon is a tuple of (name, pattern) pairs, matched
case-insensitively after ``text.normalise_quotes``; results are booleans and pattern
names, never text."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from chorus.core.text import normalise_quotes

Lexicon = tuple[tuple[str, str], ...]


@lru_cache(maxsize=8)
def compiled(patterns: Lexicon) -> re.Pattern:
    """One alternation of every pattern of the lexicon (IGNORECASE)."""
    return re.compile("|".join(f"(?:{p})" for _, p in patterns), re.IGNORECASE)


@lru_cache(maxsize=8)
def compiled_each(patterns: Lexicon) -> tuple[re.Pattern, ...]:
    """Each pattern of the lexicon compiled on its own (IGNORECASE), in order."""
    return tuple(re.compile(p, re.IGNORECASE) for _, p in patterns)


def any_match(turns_per_item: list[list[str]], patterns: Lexicon) -> np.ndarray:
    """(n,) bool: any turn of item i matches any pattern of the lexicon."""
    rx = compiled(patterns)
    return np.array([any(rx.search(normalise_quotes(t)) for t in (turns or []) if t)
                     for turns in turns_per_item], dtype=bool)


def match_counts(texts: list[str], patterns: Lexicon) -> np.ndarray:
    """(n,) int32: how many distinct patterns of the lexicon text i matches (0 for an
    empty text). One search of the whole alternation first: a text it misses (most of
    them) skips the per-pattern searches."""
    rx = compiled(patterns)
    each = compiled_each(patterns)
    out = np.zeros(len(texts), dtype=np.int32)
    for i, text in enumerate(texts):
        if not text:
            continue
        norm = normalise_quotes(text)
        if rx.search(norm):
            out[i] = sum(1 for r in each if r.search(norm))
    return out


def matched_pattern_names(text: str, patterns: Lexicon) -> list[str]:
    """Names of the patterns that match ``text`` (for tests and audits; returns no text)."""
    norm = normalise_quotes(text)
    return [name for (name, _), rx in zip(patterns, compiled_each(patterns), strict=True)
            if rx.search(norm)]
