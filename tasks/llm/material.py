"""What the naming requests are built from: per cluster, only release-gated material.

``gather`` selects the clusters the gate could publish (rule 1 top-down: >= min_users
distinct users and >= min_conversations conversations, under a parent that meets it too;
noise never) and, for each, keeps:

* ``phrases``: its summary's key phrases re-counted here, each written by >= k distinct
  users of the cluster (``tokens.user_support``), in the summarizer's order;
* ``offline_name`` / ``offline_description``: only when every word is an allowed word or
  written by >= k users of the cluster (what rule 5 publishes);
* ``language`` / ``turns``: a facet value held by over half the cluster's conversations and
  by >= k of its users, else None;
* ``samples`` (``scrubbed_samples`` mode only): up to ``samples_per_cluster`` scrubbed
  requests nearest the centroid, one per user, cut to ``sample_chars``;
* ``siblings``: the ``n_contrast`` nearest other candidates of its level (centroid cosine).

It never keeps a count of users or conversations (the gate may withhold one by secondary
suppression), nor a request in the default mode. ``support`` (term -> users) stays in
memory for the word rule and is never sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

from chorus.core import tokens
from chorus.core.settings import LLMSettings, PrivacySettings
from chorus.core.vectors import centroids
from tasks.llm.vocabulary import Support, strictly_backed


@dataclass
class ClusterMaterial:
    """One candidate cluster's gated material (see the module docstring)."""

    level: int
    key: int
    parent: int | None
    phrases: list[str]
    offline_name: str | None
    offline_description: str | None
    language: str | None
    turns: str | None
    samples: list[str] = field(default_factory=list)
    siblings: list[int] = field(default_factory=list)
    support: Support = field(default_factory=dict, repr=False)


def majority_value(values: list[str], users: list[str], k: int) -> str | None:
    """The value of over half the items, when >= k distinct users hold it."""
    if not values:
        return None
    top = max(set(values), key=lambda v: (values.count(v), v))
    holders = {u for v, u in zip(values, users, strict=True) if v == top}
    return top if values.count(top) * 2 > len(values) and len(holders) >= k else None


def cut(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters at a space."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    return head.rsplit(" ", 1)[0] if " " in head else head


def _samples(idx: np.ndarray, texts: list[str], users: list[str], embeddings: np.ndarray,
             centroid: np.ndarray, llm: LLMSettings) -> list[str]:
    order = idx[np.argsort(-(embeddings[idx] @ centroid), kind="stable")]
    seen: set[str] = set()
    out: list[str] = []
    for i in order.tolist():
        if users[i] in seen:
            continue
        seen.add(users[i])
        out.append(cut(texts[i], llm.sample_chars))
        if len(out) == llm.samples_per_cluster:
            break
    return out


def gather(facets: pl.DataFrame, labels: np.ndarray, embeddings: np.ndarray,
           summaries: pl.DataFrame, privacy: PrivacySettings, llm: LLMSettings,
           allowed: frozenset[str]) -> dict[tuple[int, int], ClusterMaterial]:
    """(level, key) -> material of every candidate cluster, every level.

    Args:
        facets: per conversation: user_id, request, language, turns_bucket (aligned with
            the columns of ``labels`` and the rows of ``embeddings``).
        labels: (levels, n) int, -1 noise, row 0 the base level.
        embeddings: (n, d) unit rows.
        summaries: ``SUMMARY_SCHEMA`` rows (level, cluster_key, name, description, phrases).
        privacy: k thresholds.
        llm: mode, sample and contrast sizes.
        allowed: words allowed without users (template words, language codes).
    """
    texts = facets["request"].to_list()
    users = facets["user_id"].to_list()
    languages = facets["language"].to_list()
    turns = facets["turns_bucket"].to_list()
    user_arr = np.asarray(users, dtype=object)
    k = privacy.min_users
    by_key = {(r["level"], r["cluster_key"]): r for r in summaries.iter_rows(named=True)}
    out: dict[tuple[int, int], ClusterMaterial] = {}
    n_levels = labels.shape[0]
    for level in range(n_levels - 1, -1, -1):
        row = labels[level]
        keys = sorted(set(row.tolist()) - {-1})
        cents = centroids(embeddings, row, max(keys) + 1) if keys else None
        chosen: list[int] = []
        for key in keys:
            idx = np.flatnonzero(row == key)
            parent = int(labels[level + 1, idx[0]]) if level + 1 < n_levels else None
            if parent is not None and (level + 1, parent) not in out:
                continue  # rule 3: no child of a cluster the gate cannot publish
            if not privacy.meets(idx.size, len(set(user_arr[idx].tolist()))):
                continue
            summary = by_key.get((level, key)) or {}
            phrases = [p["phrase"] for p in summary.get("phrases") or []]
            max_n = max((len(p.split()) for p in phrases), default=1)
            sub_texts, sub_users = [texts[i] for i in idx], [users[i] for i in idx]
            support = tokens.user_support(sub_texts, sub_users, max_n)
            kept = [p for p in phrases if len(support.get(p, ())) >= k][:llm.n_phrases]
            name, description = summary.get("name"), summary.get("description")
            out[(level, key)] = ClusterMaterial(
                level, key, parent, kept,
                name if strictly_backed(name, support, k, allowed) else None,
                description if strictly_backed(description, support, k, allowed) else None,
                majority_value([languages[i] for i in idx], sub_users, k),
                majority_value([turns[i] for i in idx], sub_users, k),
                support=support)
            if llm.mode == "scrubbed_samples" and cents is not None:
                out[(level, key)].samples = _samples(idx, texts, users, embeddings,
                                                     cents[key], llm)
            chosen.append(key)
        if cents is not None and chosen:
            sims = cents[chosen] @ cents[chosen].T
            for a, key in enumerate(chosen):
                near = [chosen[b] for b in np.argsort(-sims[a], kind="stable") if b != a]
                out[(level, key)].siblings = near[:llm.n_contrast]
    return out
