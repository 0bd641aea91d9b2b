"""Blocked term statistics equal the whole-corpus ones (support capped at k)."""

from __future__ import annotations

import numpy as np
import pytest

from chorus.core.settings import SummarizeSettings
from tasks.summarize import TermCounter, ctfidf, pair_ctfidf, row_blocks
from tasks.summarize.counts import capped_sets
from tests.tasks.summarize.oracle import class_term_stats, term_matrix

K = 10


def blocked(data, rows: int, compact_every: int | None = None) -> TermCounter:
    counter = TermCounter(data.labels.shape[0], 3, 2, K)
    if compact_every is not None:
        counter.terms.compact_every = compact_every
    for block in row_blocks(data, rows):
        counter.add(block)
    return counter


def dense(stats, values) -> np.ndarray:
    out = np.zeros((stats.n_classes, len(stats.vocab)))
    out[stats.rows, stats.cols] = values
    return out


@pytest.mark.parametrize("rows, compact_every", [(700, 1), (3000, None), (50_000, None)])
def test_blocked_statistics_equal_the_whole_corpus_ones(generated, rows, compact_every):
    matrix, vocab = term_matrix(generated.texts, SummarizeSettings())
    counter = blocked(generated, rows, compact_every)
    for level, labels in enumerate(generated.labels):
        stats = counter.level(level)
        occurrences, support = class_term_stats(matrix, labels, generated.users,
                                                int(labels.max()) + 1)
        assert stats.vocab.tolist() == vocab.tolist()
        assert np.array_equal(dense(stats, stats.occurrences), occurrences)
        assert np.array_equal(dense(stats, stats.support), np.minimum(support, K))
        assert np.array_equal(dense(stats, pair_ctfidf(stats)), ctfidf(occurrences))
        assert stats.sizes.tolist() == np.bincount(labels[labels >= 0]).tolist()


def test_noise_rows_count_towards_the_vocabulary_floor_only():
    from tests.tasks.summarize.conftest import make_input

    # "walrus" occurs twice in all, once in noise: it passes min_term_docs = 2
    data = make_input(["walrus tusk", "walrus tusk", "plain words"],
                      ["a", "b", "c"], [0, -1, 0])
    stats = blocked(data, 1).level(0)
    assert "walrus" in stats.vocab.tolist()
    walrus = stats.vocab.tolist().index("walrus")
    assert dense(stats, stats.occurrences)[0, walrus] == 1


@pytest.mark.parametrize("n_users, expected", [(K - 1, K - 1), (K, K), (K + 1, K), (3 * K, K)])
def test_support_is_capped_at_k_and_exact_below(n_users, expected):
    keys = np.zeros(n_users * 2, np.int64)             # one key, every user twice
    users = np.tile(np.arange(n_users, dtype=np.int64), 2)
    out_keys, out_users = capped_sets(keys, users, K)
    assert out_keys.size == expected and np.unique(out_users).size == expected


@pytest.mark.parametrize("child_users, parent_expected", [
    ((K - 1, 0), K - 1), ((K - 1, K - 1), K), ((K, 0), K), ((3, 4), 7),
])
def test_capped_sets_compose_exactly_for_parents(child_users, parent_expected):
    """Two base clusters under one parent, disjoint users: the parent's capped support is
    min(true users, k) whatever the children's caps did."""
    from tests.tasks.summarize.conftest import make_input

    texts, users, base = [], [], []
    for child, n in enumerate(child_users):
        texts += ["walrus tusk"] * n + ["filler words"] * 2
        users += [f"c{child}u{i}" for i in range(n)] + [f"f{child}", f"g{child}"]
        base += [child] * (n + 2)
    stats = blocked(make_input(texts, users, base), 2, compact_every=1).level(1)
    walrus = stats.vocab.tolist().index("walrus")
    assert dense(stats, stats.support)[0, walrus] == parent_expected


def test_a_user_counts_once_however_often_they_write_a_term():
    from tests.tasks.summarize.conftest import make_input

    data = make_input(["walrus tusk"] * 30, ["heavy"] * 29 + ["other"], [0] * 30)
    stats = blocked(data, 4, compact_every=1).level(0)
    walrus = stats.vocab.tolist().index("walrus")
    assert dense(stats, stats.support)[0, walrus] == 2
    assert dense(stats, stats.occurrences)[0, walrus] == 30
