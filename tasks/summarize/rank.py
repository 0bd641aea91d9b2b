"""Ranking a cluster's k-backed candidate phrases: centroid relevance, sibling contrast, MMR.

Relevance is KeyBERT's: the cosine of a phrase's embedding to the cluster centroid.
Contrast is Clio's idea without an LLM: a phrase that fits the nearest other clusters of
the same level as well as this one does not tell them apart, so its score is lowered by
``contrast`` times its best cosine to those neighbours' centroids.
"""

from __future__ import annotations

import numpy as np


def mmr_scores(relevance: np.ndarray, candidates: np.ndarray, k: int,
               diversity: float) -> list[int]:
    """Indices of k rows of ``candidates`` (m, d, unit) by maximal marginal relevance over
    the given ``relevance`` (m,)."""
    if len(candidates) == 0:
        return []
    chosen = [int(relevance.argmax())]
    pairwise = candidates @ candidates.T
    while len(chosen) < min(k, len(candidates)):
        rest = [i for i in range(len(candidates)) if i not in chosen]
        redundancy = pairwise[np.ix_(rest, chosen)].max(axis=1)
        scores = (1 - diversity) * relevance[rest] - diversity * redundancy
        chosen.append(rest[int(scores.argmax())])
    return chosen


def mmr(centroid: np.ndarray, candidates: np.ndarray, k: int, diversity: float) -> list[int]:
    """``mmr_scores`` with relevance = cosine to ``centroid`` (d,)."""
    return mmr_scores(candidates @ centroid, candidates, k, diversity)


def neighbours(cents: np.ndarray, m: int) -> list[np.ndarray]:
    """Per cluster, the indices of the ``m`` other clusters with the most similar
    centroids (cents (n, d), unit rows); empty arrays when m = 0 or n = 1."""
    n = cents.shape[0]
    if m == 0 or n <= 1:
        return [np.zeros(0, np.int64) for _ in range(n)]
    sims = cents @ cents.T
    np.fill_diagonal(sims, -np.inf)
    return [np.argsort(-sims[c], kind="stable")[: min(m, n - 1)] for c in range(n)]


def contrastive(vectors: np.ndarray, centroid: np.ndarray, others: np.ndarray,
                contrast: float) -> np.ndarray:
    """(m,) relevance of each phrase (vectors (m, d)) to ``centroid`` minus ``contrast``
    times its best cosine to the ``others`` centroids (j, d); plain relevance if j = 0."""
    relevance = vectors @ centroid
    if others.shape[0] == 0 or contrast == 0:
        return relevance
    return relevance - contrast * (vectors @ others.T).max(axis=1)


def rank_titles(options: list[str], vectors: np.ndarray, centroid: np.ndarray,
                others: np.ndarray, contrast: float) -> list[str]:
    """``options`` (whole titles, embeddings (m, d)) by ``contrastive`` score of the
    title itself, best first (ties: the given order), as KeyBERT ranks candidates."""
    scores = contrastive(vectors, centroid, others, contrast)
    return [options[i] for i in np.argsort(-scores, kind="stable")]
