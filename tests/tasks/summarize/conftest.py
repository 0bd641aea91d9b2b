"""Shared inputs: deterministic phrase vectors and generated conversations with labels."""

from __future__ import annotations

import numpy as np
import pytest

from tasks.summarize import SummaryInput


def fake_embed(phrases: list[str]) -> np.ndarray:
    """Deterministic bag-of-letters unit vectors: enough for ranking in unit tests (the
    real model is exercised by the flow tests)."""
    out = np.zeros((len(phrases), 26), dtype=np.float32)
    for i, p in enumerate(phrases):
        for ch in p:
            if "a" <= ch <= "z":
                out[i, ord(ch) - 97] += 1
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def make_input(texts, users, base, parent=None) -> SummaryInput:
    """Two levels: ``base`` and ``parent`` (default: every clustered row in parent 0)."""
    parent = parent if parent is not None else [0 if b >= 0 else -1 for b in base]
    labels = np.array([base, parent], dtype=np.int32)
    n = len(texts)
    return SummaryInput(list(texts), list(users), labels, fake_embed(texts), ["en"] * n,
                        ["2-3"] * n)


@pytest.fixture(scope="session")
def generated() -> SummaryInput:
    """3,000 generated conversations: base = demo topic, parent = task/affective, ~3% noise,
    three languages and the real turn buckets."""
    from chorus.demo import generate

    conversations, truth = generate(3000, seed=11)
    topics = sorted({t["topic"] for t in truth})
    rng = np.random.default_rng(5)
    base, parent, texts, turns = [], [], [], []
    for conv, rec in zip(conversations, truth, strict=True):
        user_turns = [m["content"] for m in conv["messages"] if m["role"] == "user"]
        texts.append(" ".join(user_turns))
        turns.append("1" if len(user_turns) == 1 else "2-3" if len(user_turns) <= 3 else "4-7")
        noise = rng.random() < 0.03
        base.append(-1 if noise else topics.index(rec["topic"]))
        parent.append(-1 if noise else int(rec["affective"]))
    n = len(texts)
    languages = rng.choice(["en", "en", "en", "de", "und"], n).tolist()
    labels = np.array([base, parent], dtype=np.int32)
    return SummaryInput(texts, [c["user_id"] for c in conversations], labels,
                        fake_embed(texts), languages, turns)
