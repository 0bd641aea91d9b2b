"""Shared data of the cluster tests: unit-length Gaussian blobs with known topics."""

from __future__ import annotations

import numpy as np


def blobs(n_per: int, n_topics: int, d: int = 32, spread: float = 0.05,
          seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(n_per * n_topics, d) unit float32 rows and their topic (n,), topic-major order."""
    rng = np.random.default_rng(seed)
    centers = rng.normal(size=(n_topics, d))
    x = np.concatenate([c + spread * rng.normal(size=(n_per, d)) for c in centers])
    truth = np.repeat(np.arange(n_topics), n_per)
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32), truth


def unit(rows: list[list[float]]) -> np.ndarray:
    x = np.asarray(rows, dtype=np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)
