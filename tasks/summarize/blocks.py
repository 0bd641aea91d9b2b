"""Row blocks: the unit the summarizer's statistics are accumulated over.

A ``Block`` holds m aligned rows of scrubbed requests with their users, their cluster
labels at every level and, optionally, their embeddings and facet values. The term
statistics (``tasks.summarize.counts``) never see more than one block at a time, so a
run's chunks (issue 10) can be fed in as they are, one block per chunk; ``row_blocks``
cuts an in-memory run into such blocks.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Block:
    """m rows, aligned.

    Attributes:
        texts: (m,) scrubbed requests (never raw text).
        users: (m,) user ids.
        labels: (levels, m) int cluster labels, row 0 the base level, -1 noise.
        embeddings: (m, d) unit float32 rows of ``texts``, or None (no centroids then).
        languages, turns_bucket: (m,) facet values, or None (no facet statistics then).
    """

    texts: Sequence[str]
    users: Sequence[str]
    labels: np.ndarray
    embeddings: np.ndarray | None = None
    languages: Sequence[str] | None = None
    turns_bucket: Sequence[str] | None = None

    def __post_init__(self) -> None:
        m = len(self.texts)
        if len(self.users) != m or self.labels.ndim != 2 or self.labels.shape[1] != m:
            raise ValueError(f"block rows disagree: {m} texts, {len(self.users)} users, "
                             f"labels of shape {self.labels.shape}")
        for name in ("embeddings", "languages", "turns_bucket"):
            value = getattr(self, name)
            if value is not None and len(value) != m:
                raise ValueError(f"block rows disagree: {m} texts, {len(value)} {name}")


@dataclass(frozen=True)
class SummaryInput:
    """A whole run in memory: texts (n,), users (n,), labels (levels, n), embeddings (n, d),
    languages (n,) and turns_bucket (n,), aligned row by row."""

    texts: list[str]
    users: list[str]
    labels: np.ndarray
    embeddings: np.ndarray
    languages: list[str]
    turns_bucket: list[str]


def row_blocks(data: SummaryInput, rows: int) -> Iterator[Block]:
    """``data`` as consecutive blocks of at most ``rows`` rows (views, no copies of text)."""
    n = len(data.texts)
    for start in range(0, n, rows):
        stop = min(start + rows, n)
        yield Block(texts=data.texts[start:stop], users=data.users[start:stop],
                    labels=data.labels[:, start:stop],
                    embeddings=data.embeddings[start:stop],
                    languages=data.languages[start:stop],
                    turns_bucket=data.turns_bucket[start:stop])
