"""Ranking: MMR, nearest neighbours, sibling contrast; c-TF-IDF and candidates."""

from __future__ import annotations

import numpy as np
import pytest

from tasks.summarize import contrastive, ctfidf, mmr, mmr_scores, neighbours


def unit(rows) -> np.ndarray:
    a = np.asarray(rows, dtype=np.float32)
    return a / np.linalg.norm(a, axis=1, keepdims=True)


def test_ctfidf_favours_distinctive_terms():
    w = ctfidf(np.array([[5.0, 5.0], [0.0, 5.0]]))
    assert w[0, 0] > w[0, 1]


def test_mmr_picks_most_relevant_first_then_diverse():
    cands = unit([[1, 0, 0], [0.95, 0.31, 0], [0, 0, 1]])
    centroid = unit([[1.0, 0.0, 0.2]])[0]
    assert mmr(centroid, cands, 2, diversity=0.7) == [0, 2]
    assert mmr(centroid, cands, 2, diversity=0.0) == [0, 1]


def test_mmr_of_nothing_is_nothing():
    assert mmr_scores(np.zeros(0), np.zeros((0, 3)), 3, 0.4) == []


@pytest.mark.parametrize("m, expected", [(0, [[], [], []]), (1, [[1], [0], [1]]),
                                         (5, [[1, 2], [0, 2], [1, 0]])])
def test_neighbours_are_the_most_similar_other_centroids(m, expected):
    cents = unit([[1, 0], [0.9, 0.3], [0.5, 0.9]])
    assert [n.tolist() for n in neighbours(cents, m)] == expected


@pytest.mark.parametrize("contrast, best", [(0.0, 0), (1.0, 1)])
def test_contrast_prefers_the_phrase_that_fits_no_neighbour(contrast, best):
    centroid = unit([[1, 0, 0]])[0]
    neighbour = unit([[0.9, 0.44, 0]])
    vectors = unit([[0.95, 0.3, 0],     # fits this cluster best, and the neighbour as well
                    [0.9, -0.4, 0.1]])  # fits a little less, the neighbour much less
    scores = contrastive(vectors, centroid, neighbour, contrast)
    assert int(np.argmax(scores)) == best


def test_no_neighbours_is_plain_relevance():
    vectors = unit([[1, 0], [0, 1]])
    centroid = unit([[1, 1]])[0]
    assert np.allclose(contrastive(vectors, centroid, np.zeros((0, 2)), 1.0), vectors @ centroid)


@pytest.mark.parametrize("contrast, first", [(0.0, "a"), (1.0, "b")])
def test_titles_are_ranked_by_their_own_embedding(contrast, first):
    from tasks.summarize.rank import rank_titles

    centroid = unit([[1, 0, 0]])[0]
    neighbour = unit([[0.9, 0.44, 0]])
    vectors = unit([[0.95, 0.3, 0], [0.9, -0.4, 0.1], [0, 0, 1]])
    ranked = rank_titles(["a", "b", "c"], vectors, centroid, neighbour, contrast)
    assert ranked[0] == first and sorted(ranked) == ["a", "b", "c"]


def test_equal_titles_keep_their_order():
    from tasks.summarize.rank import rank_titles

    vectors = unit([[1, 0], [1, 0], [0, 1]])
    assert rank_titles(["x", "y", "z"], vectors, unit([[1, 0]])[0], np.zeros((0, 2)),
                       1.0) == ["x", "y", "z"]
