"""Summarize: c-TF-IDF + MMR phrases, k-user support, names and descriptions."""

from __future__ import annotations

import numpy as np
import pytest

from chorus.core.settings import SummarizeSettings
from tasks.summarize import SummaryInput, ctfidf, mmr, summarize_clusters

K = 3


def fake_embed(phrases: list[str]) -> np.ndarray:
    """Deterministic bag-of-letters vectors: enough for MMR ordering in a unit test."""
    out = np.zeros((len(phrases), 26), dtype=np.float32)
    for i, p in enumerate(phrases):
        for ch in p:
            if "a" <= ch <= "z":
                out[i, ord(ch) - 97] += 1
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def make_input(texts, users, base):
    labels = np.array([base, [0 if b >= 0 else -1 for b in base]], dtype=np.int32)
    emb = fake_embed(texts)
    n = len(texts)
    return SummaryInput(texts, users, labels, emb, ["en"] * n, ["2-3"] * n)


def corpus():
    sleep = [f"I can't sleep, insomnia keeps me awake at night {i}" for i in range(6)]
    work = [f"my manager criticises my work in meetings {i}" for i in range(6)]
    texts = sleep + work + ["my manager said zanzibar zanzibar", "zanzibar manager again"]
    users = [f"s{i}" for i in range(6)] + [f"w{i}" for i in range(6)] + ["w0", "w0"]
    base = [0] * 6 + [1] * 8
    return texts, users, base


def test_phrases_name_the_topic_and_meet_k():
    texts, users, base = corpus()
    out = summarize_clusters(make_input(texts, users, base), fake_embed, SummarizeSettings(), K)
    level0 = {r["cluster_key"]: r for r in out.filter(out["level"] == 0).iter_rows(named=True)}
    sleep_phrases = [p["phrase"] for p in level0[0]["phrases"]]
    work_phrases = [p["phrase"] for p in level0[1]["phrases"]]
    assert any("sleep" in p or "insomnia" in p for p in sleep_phrases)
    assert any("manager" in p for p in work_phrases)
    # "zanzibar" is used by one user only (twice): never a phrase
    assert not any("zanzibar" in p for p in work_phrases)
    for row in out.iter_rows(named=True):
        assert all(p["n_users"] >= K for p in row["phrases"])
    assert level0[0]["name"] and level0[0]["description"].startswith("Requests about")


@pytest.mark.parametrize("n_users, has_phrase", [(K - 1, False), (K, True), (K + 1, True)])
def test_phrase_k_boundary(n_users, has_phrase):
    texts = ["walrus anxiety"] * n_users + ["plain words here"] * 5
    users = [f"u{i}" for i in range(n_users + 5)]
    out = summarize_clusters(make_input(texts, users, [0] * len(texts)), fake_embed,
                             SummarizeSettings(), K)
    phrases = [p["phrase"] for p in out.row(0, named=True)["phrases"]]
    assert ("walrus anxiety" in phrases or "walrus" in phrases) is has_phrase


def test_placeholders_are_not_phrases():
    texts = ["<PERSON> and <EMAIL_ADDRESS> about grief"] * 5
    users = [f"u{i}" for i in range(5)]
    out = summarize_clusters(make_input(texts, users, [0] * 5), fake_embed, SummarizeSettings(), K)
    phrases = [p["phrase"] for p in out.row(0, named=True)["phrases"]]
    assert phrases and not any("person" in p or "email" in p for p in phrases)


def test_ctfidf_favours_distinctive_terms():
    occ = np.array([[5.0, 5.0], [0.0, 5.0]])
    w = ctfidf(occ)
    assert w[0, 0] > w[0, 1]


def test_mmr_picks_most_relevant_first_then_diverse():
    cands = np.eye(3, dtype=np.float32)
    cands[1] = np.array([0.95, 0.31, 0.0], dtype=np.float32)
    cands /= np.linalg.norm(cands, axis=1, keepdims=True)
    centroid = np.array([1.0, 0.0, 0.2], dtype=np.float32)
    order = mmr(centroid / np.linalg.norm(centroid), cands, 2, diversity=0.7)
    assert order[0] == 0 and order[1] == 2
