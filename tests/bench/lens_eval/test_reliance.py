"""``bench.lens_eval.reliance``: buckets, per-user counts and relative errors."""

from __future__ import annotations

import pytest

from bench.lens_eval.reliance import relative_errors, reliance_bucket, reliance_counts


@pytest.mark.parametrize(("count", "label"), [
    (1, "1"), (2, "2-3"), (3, "2-3"), (4, "4-9"), (9, "4-9"), (10, "10+"), (250, "10+"),
])
def test_reliance_bucket(count: int, label: str) -> None:
    assert reliance_bucket(count) == label


@pytest.mark.parametrize("count", [0, -1])
def test_reliance_bucket_rejects_no_affective_conversation(count: int) -> None:
    with pytest.raises(ValueError):
        reliance_bucket(count)


def test_reliance_counts_per_user_skipping_users_without_affective() -> None:
    users = ["a"] * 12 + ["b"] * 5 + ["c", "c", "d", "e"]
    affective = [True] * 12 + [True, True, True, True, False] + [True, True, True, False]
    # a: 12 (10+), b: 4 (4-9), c: 2 (2-3), d: 1 (1), e: none (skipped)
    assert reliance_counts(users, affective) == {"1": 1, "2-3": 1, "4-9": 1, "10+": 1}
    assert reliance_counts(["x"], [False]) == {"1": 0, "2-3": 0, "4-9": 0, "10+": 0}


@pytest.mark.parametrize(("n_affective", "label"), [(3, "2-3"), (4, "4-9"), (9, "4-9"),
                                                    (10, "10+")])
def test_one_missed_conversation_moves_a_user_across_a_bucket_edge(n_affective: int,
                                                                   label: str) -> None:
    counts = reliance_counts(["u"] * n_affective, [True] * n_affective)
    assert counts[label] == 1 and sum(counts.values()) == 1


def test_reliance_counts_need_aligned_inputs() -> None:
    with pytest.raises(ValueError):
        reliance_counts(["a", "b"], [True])


def test_relative_errors() -> None:
    errors = relative_errors({"1": 95, "2-3": 12, "10+": 3}, {"1": 100, "2-3": 10, "4-9": 0,
                                                              "10+": 4})
    assert errors == {"1": pytest.approx(0.05), "2-3": pytest.approx(0.2), "4-9": None,
                      "10+": pytest.approx(0.25)}
