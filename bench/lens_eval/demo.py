"""The Chorus demo data as the lens evaluation reads it, and the lens's flags on it.

``DEMO_SEEDS``: the demo of ``make run`` (seed 7) and the lens's held-out demo check
(seed 0, ``HELD_OUT_DEMO_SEED``), 2,000 conversations each. Choose lens material on other
seeds (e.g. 1-3), never on these two; every seed shares the generator's phrase banks.

Requests are built from the raw demo user turns (``bench.lens_data.requests``); the flow
embeds the scrubbed ones.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np

from bench.lens_data import embed, requests

DEMO_N = 2000
DEMO_SEEDS = (7, 0)  # the demo of `make run`, and the lens's held-out demo check
HELD_OUT_DEMO_SEED = 0


class Demo(NamedTuple):
    """One generated demo set: conversations, their truth records, and each one's user
    turns and request (row-aligned)."""

    conversations: list[dict]
    truth: list[dict]
    user_turns: list[list[str]]
    texts: list[str]


def demo_set(seed: int, n: int = DEMO_N) -> Demo:
    """``chorus.demo.generate(n, seed)`` with each conversation's user turns and request."""
    from chorus.demo import generate

    conversations, truth = generate(n, seed)
    users = [[m["content"] for m in c["messages"] if m["role"] == "user"]
             for c in conversations]
    return Demo(conversations, truth, users, requests([{"user_turns": u} for u in users]))


def affective_flags(texts: list[str], embedder, settings,
                    cache_dir: Path | None = None) -> np.ndarray:
    """(n,) bool: the lens's ``affective`` flag of each request (scores >= threshold),
    embedding through ``bench.lens_data.embed`` (cached in ``cache_dir`` when given)."""
    from tasks.lens import affective_scores

    vectors = embed(texts, embedder, cache_dir)
    return affective_scores(texts, embedder, settings, vectors) >= settings.threshold


def truth_flags(truth: list[dict], key: str) -> np.ndarray:
    """(n,) bool: the truth records' ``key`` field."""
    return np.array([bool(t[key]) for t in truth], dtype=bool)
