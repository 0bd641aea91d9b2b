"""The Chorus demo data as the lens evaluation reads it, and the lens's flags on it.

``DEMO_SEEDS``: the demo of ``make run`` (seed 7) and the lens's held-out demo check
(seed 0, ``HELD_OUT_DEMO_SEED``), 2,000 conversations each. Choose lens material on other
seeds (e.g. 1-3), never on these two; every seed shares the generator's phrase banks.

Requests are built from the raw demo user turns (``bench.lens_data.requests``); the flow
embeds the scrubbed ones. Their embeddings stay in this process (``demo_vectors``): demo
text and its vectors never go to a cache on disk, whatever ``--cache-dir`` says.
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


_DEMO_VECTORS: dict[tuple[str, int, int], np.ndarray] = {}


def demo_vectors(seed: int, demo: Demo, embedder) -> np.ndarray:
    """(n, d) embeddings of ``demo.texts``, kept in memory for this process only (keyed by
    model id, seed and n), so the parts that read the same seed embed it once."""
    key = (embedder.model_id, seed, len(demo.texts))
    if key not in _DEMO_VECTORS:
        _DEMO_VECTORS[key] = embedder.embed(demo.texts)
    return _DEMO_VECTORS[key]


def affective_flags(texts: list[str], embedder, settings, cache_dir: Path | None = None,
                    vectors: np.ndarray | None = None) -> np.ndarray:
    """(n,) bool: the lens's ``affective`` flag of each request (scores >= threshold).

    ``vectors``: the texts' embeddings (e.g. ``demo_vectors``); otherwise embedded through
    ``bench.lens_data.embed`` (cached in ``cache_dir`` when given: public data only).
    """
    from tasks.lens import affective_scores

    if vectors is None:
        vectors = embed(texts, embedder, cache_dir)
    return affective_scores(texts, embedder, settings, vectors) >= settings.threshold


def truth_flags(truth: list[dict], key: str) -> np.ndarray:
    """(n,) bool: the truth records' ``key`` field."""
    return np.array([bool(t[key]) for t in truth], dtype=bool)
