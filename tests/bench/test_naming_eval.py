"""Name accuracy on hand-made clusters whose nearest label can be worked out by hand."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from bench.naming_eval import (
    humanize,
    k_backed_words,
    legacy_names,
    majority_labels,
    name_accuracy,
    seed_summary,
)
from chorus.core.schemas import SUMMARY_SCHEMA

VOCAB = ("card", "arrival", "lost", "pin", "change", "ai", "name", "weather")


def bag_of_words(texts: list[str]) -> np.ndarray:
    """Unit bag-of-words rows over VOCAB (+1 slot for any other word): the nearest label
    of a name is the one sharing most words with it, computable by hand."""
    rows = np.zeros((len(texts), len(VOCAB) + 1))
    for r, text in enumerate(texts):
        for word in text.split():
            rows[r, VOCAB.index(word) if word in VOCAB else len(VOCAB)] += 1
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms == 0, 1, norms)


@pytest.mark.parametrize("label, expected", [
    ("change_ai_name", "change ai name"), ("card_arrival", "card arrival"),
    ("ongoing depression", "ongoing depression"), ("Ordinary Life", "ordinary life"),
    ("top_up--failed", "top up failed"), ("  a__b  ", "a b"), ("", "")])
def test_humanize(label, expected):
    assert humanize(label) == expected


def test_majority_label_and_size_ties_to_the_smallest_label():
    base = np.array([0, 0, 0, 1, 1, -1])
    truth = ["b", "a", "b", "x", "w", "a"]
    assert majority_labels(base, truth) == {0: ("b", 3), 1: ("w", 2)}


@pytest.mark.parametrize("names, expected", [
    ({0: "card arrival", 1: "lost pin", 2: "change ai name"}, 1.0),
    ({0: "card arrival", 1: "lost pin", 2: "weather"}, 7 / 10),   # cluster 2 (3 items) wrong
    ({0: "lost pin", 1: "lost pin", 2: "change ai name"}, 6 / 10),  # cluster 0 (4) wrong
    ({0: "card arrival", 1: None, 2: ""}, 4 / 10),                  # unnamed counts as wrong
    ({}, 0.0),
])
def test_name_accuracy_is_size_weighted(names, expected):
    # cluster 0: 4 items, majority card_arrival; 1: 3 items, lost_pin; 2: 3 items,
    # change_ai_name (one stray label); two noise items never count
    base = np.array([0, 0, 0, 0, 1, 1, 1, 2, 2, 2, -1, -1])
    truth = ["card_arrival"] * 4 + ["lost_pin"] * 3 + ["change_ai_name"] * 2 + ["lost_pin"] \
        + ["card_arrival", "lost_pin"]
    acc, n_clusters = name_accuracy(names, base, truth, bag_of_words)
    assert n_clusters == 3
    assert acc == pytest.approx(expected)


def test_name_accuracy_without_clusters():
    assert name_accuracy({}, np.array([-1, -1]), ["a", "b"], bag_of_words) == (None, 0)


def test_legacy_names_join_the_first_three_phrases():
    def phrases(*words):
        return [{"phrase": w, "score": 1.0, "n_users": 10} for w in words]
    rows = [{"level": 0, "cluster_key": 0, "name": "New", "description": None,
             "phrases": phrases("card", "arrival", "week", "late")},
            {"level": 0, "cluster_key": 1, "name": None, "description": None, "phrases": []},
            {"level": 1, "cluster_key": 0, "name": "Parent", "description": None,
             "phrases": phrases("x")}]
    frame = pl.DataFrame(rows, schema=SUMMARY_SCHEMA)
    assert legacy_names(frame) == {0: "card, arrival, week", 1: None}


@pytest.mark.slow
def test_real_embedder_finds_labels_named_like_their_clusters():
    from bench.chorus_path import load_config
    from tasks.embedders import build_embedder

    embed = build_embedder(load_config().embed).embed
    base = np.repeat(np.arange(3), 5)
    truth = ["card_arrival"] * 5 + ["change_ai_name"] * 5 + ["weather"] * 5
    names = {0: "When will my new card arrive", 1: "Give the assistant a new name",
             2: "Forecast for tomorrow"}
    assert name_accuracy(names, base, truth, embed) == (1.0, 3)
    wrong = {0: "Forecast for tomorrow", 1: "When will my new card arrive", 2: "Rename the bot"}
    assert name_accuracy(wrong, base, truth, embed) == (0.0, 3)


@pytest.mark.parametrize("writers, kept", [(2, False), (3, True), (4, True)])  # k = 3
def test_k_backed_words_counts_distinct_users(writers, kept):
    # "card" written by `writers` distinct users, plus the same user again (no extra count);
    # "pin" by one user twice; order of the ranked words is kept
    texts = ["card arrival"] * writers + ["card again", "pin", "pin pin"]
    users = [f"u{i}" for i in range(writers)] + ["u0", "v", "v"]
    out = k_backed_words(["pin", "card", "arrival"], texts, users, str.split, 3)
    assert out == (["card", "arrival"] if kept else [])


def _row(dataset: str, method: str, acc: float | None, n: int = 10) -> dict:
    return {"dataset": dataset, "method": method, "name_accuracy": acc, "n_clusters": n}


def test_seed_summary_means_spreads_and_counts_seeds_chorus_is_above():
    rows = {0: [_row("a", "chorus", 0.6, 10), _row("a", "bertopic", 0.5, 10)],
            1: [_row("a", "chorus", 0.4, 12), _row("a", "bertopic", 0.5, 12)],
            2: [_row("a", "chorus", 0.8, 10), _row("a", "bertopic", 0.8, 10)]}
    out = {r["method"]: r for r in seed_summary(rows)}
    assert out["chorus"]["mean"] == pytest.approx(0.6)
    assert out["chorus"]["std"] == pytest.approx(0.2)  # sample std of 0.6, 0.4, 0.8
    assert out["chorus"]["chorus_above"] is None
    assert out["bertopic"]["mean"] == pytest.approx(0.6)
    assert out["bertopic"]["chorus_above"] == 1  # above on seed 0 only; a tie is not above
    assert out["bertopic"]["n_clusters"] == [10, 12]
    assert out["bertopic"]["seeds"] == [0, 1, 2]


@pytest.mark.parametrize("missing_seed", [0, 1])
def test_seed_summary_leaves_out_a_method_without_an_accuracy_on_some_seed(missing_seed):
    rows = {s: [_row("a", "chorus", 0.5),
                _row("a", "bertopic", None if s == missing_seed else 0.4)] for s in (0, 1)}
    assert [r["method"] for r in seed_summary(rows)] == ["chorus"]


def test_seed_summary_of_one_seed_has_no_spread():
    out = seed_summary({3: [_row("a", "chorus", 0.7)]})
    assert out == [{"dataset": "a", "method": "chorus", "mean": pytest.approx(0.7),
                    "std": 0.0, "seeds": [3], "n_clusters": [10], "chorus_above": None}]
