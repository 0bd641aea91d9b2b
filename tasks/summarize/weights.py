"""Class-based TF-IDF (as BERTopic's c-TF-IDF) over a level's (class, term) pairs.

``w(t, c) = tf(t, c) * log(1 + A / f(t))``: tf the share of class c's term occurrences
that are t, A the mean occurrences per class, f(t) t's occurrences over all classes.
"""

from __future__ import annotations

import numpy as np

from tasks.summarize.counts import LevelStats


def ctfidf(occurrences: np.ndarray) -> np.ndarray:
    """Weights (n_classes, V) of a dense occurrence matrix (n_classes, V)."""
    totals = occurrences.sum(axis=1, keepdims=True)
    tf = occurrences / np.where(totals == 0, 1, totals)
    avg = occurrences.sum() / max(occurrences.shape[0], 1)
    freq = occurrences.sum(axis=0)
    idf = np.log(1 + avg / np.where(freq == 0, 1, freq))
    return tf * idf


def pair_ctfidf(stats: LevelStats) -> np.ndarray:
    """Weights (nnz,) of ``stats``' pairs: the same numbers ``ctfidf`` gives the dense
    matrix (counts are integers, so every sum is exact whatever its order)."""
    occ = stats.occurrences.astype(np.float64)
    totals = np.bincount(stats.rows, weights=occ, minlength=stats.n_classes)
    tf = occ / np.where(totals == 0, 1, totals)[stats.rows]
    avg = occ.sum() / max(stats.n_classes, 1)
    freq = np.bincount(stats.cols, weights=occ, minlength=len(stats.vocab))
    idf = np.log(1 + avg / np.where(freq == 0, 1, freq))
    return tf * idf[stats.cols]


def candidates(stats: LevelStats, weights: np.ndarray, c: int, min_users: int,
               limit: int) -> list[tuple[int, float, int]]:
    """Class c's top ``limit`` terms by weight among those with >= ``min_users`` users:
    (term index, weight, capped users), ties broken by term order."""
    part = stats.class_slice(c)
    support = stats.support[part]
    eligible = support >= min_users
    cols, w, s = stats.cols[part][eligible], weights[part][eligible], support[eligible]
    order = np.argsort(-w, kind="stable")[:limit]
    return [(int(cols[o]), float(w[o]), int(s[o])) for o in order if w[o] > 0]
