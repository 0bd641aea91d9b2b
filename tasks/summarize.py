"""Name, describe and key-phrase every cluster, offline, from its own scrubbed requests.

Per level, each cluster is one class of a class-based TF-IDF (as BERTopic's c-TF-IDF):
``w(t, c) = tf(t, c) * log(1 + A / f(t))`` with tf the share of the class's term
occurrences, A the mean occurrences per class and f(t) the term's occurrences over all
classes. The top ``n_candidates`` terms (1- to 3-grams) that occur in the texts of at
least ``min_users`` distinct users of the cluster are re-ranked by cosine similarity of
their embedding to the cluster centroid, with maximal marginal relevance (MMR) for
diversity. The name is the first ``name_phrases`` phrases; the description is one
sentence built from the phrases and the cluster's own facet statistics.

A phrase below ``min_users`` distinct users of its cluster is never a candidate; the
release gate (``tasks.release``) checks every published string again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import polars as pl
from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger
from scipy import sparse

from chorus.core import tokens
from chorus.core.errors import text_safe_errors
from chorus.core.rundata import RunData, required, run_data
from chorus.core.schemas import SUMMARY_SCHEMA
from chorus.core.settings import EmbedSettings, SummarizeSettings
from chorus.core.vectors import centroids
from tasks.embedders import build_embedder

log = logging.getLogger(__name__)



@dataclass(frozen=True)
class SummaryInput:
    """What the summarizer reads. texts (n,), users (n,), labels (levels, n), embeddings (n, d),
    languages (n,) and turns_bucket (n,) are aligned row by row."""

    texts: list[str]
    users: list[str]
    labels: np.ndarray
    embeddings: np.ndarray
    languages: list[str]
    turns_bucket: list[str]


def term_matrix(texts: list[str], settings: SummarizeSettings):
    """Binary doc-term matrix (n, V) and vocabulary (V,) of ``chorus.core.tokens`` phrases."""
    from sklearn.feature_extraction.text import CountVectorizer

    vectorizer = CountVectorizer(
        analyzer=lambda text: tokens.phrases(text, settings.ngram_max), binary=True,
        min_df=settings.min_term_docs, dtype=np.int32,
    )
    try:
        matrix = vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # empty vocabulary: no term used often enough
        return sparse.csr_matrix((len(texts), 0), dtype=np.int32), np.array([], dtype=object)
    return matrix, vectorizer.get_feature_names_out()


def class_term_stats(matrix, labels: np.ndarray, users: list[str], n_classes: int):
    """Per class: occurrences (n_classes, V) and distinct-user support (n_classes, V)."""
    mask = labels >= 0
    rows = np.flatnonzero(mask)
    onehot = sparse.csr_matrix((np.ones(rows.size), (labels[mask], rows)),
                               shape=(n_classes, matrix.shape[0]))
    occurrences = np.asarray((onehot @ matrix).todense(), dtype=np.float64)
    pair_ids: dict[tuple[int, str], int] = {}
    pair_of_doc = np.array([pair_ids.setdefault((labels[i], users[i]), len(pair_ids))
                            for i in rows], dtype=np.int64)
    pairs = sparse.csr_matrix((np.ones(rows.size), (pair_of_doc, rows)),
                              shape=(len(pair_ids), matrix.shape[0]))
    user_docs = ((pairs @ matrix) > 0).astype(np.float64)
    pair_class = np.array([c for (c, _u) in pair_ids], dtype=np.int64)
    to_class = sparse.csr_matrix((np.ones(len(pair_ids)), (pair_class, np.arange(len(pair_ids)))),
                                 shape=(n_classes, len(pair_ids)))
    support = np.asarray((to_class @ user_docs).todense(), dtype=np.int64)
    return occurrences, support


def ctfidf(occurrences: np.ndarray) -> np.ndarray:
    """Class-based TF-IDF weights (n_classes, V) from occurrence counts."""
    totals = occurrences.sum(axis=1, keepdims=True)
    tf = occurrences / np.where(totals == 0, 1, totals)
    avg = occurrences.sum() / max(occurrences.shape[0], 1)
    freq = occurrences.sum(axis=0)
    idf = np.log(1 + avg / np.where(freq == 0, 1, freq))
    return tf * idf


def mmr(centroid: np.ndarray, candidates: np.ndarray, k: int, diversity: float) -> list[int]:
    """Indices of k rows of ``candidates`` (m, d) chosen by maximal marginal relevance."""
    relevance = candidates @ centroid
    chosen = [int(relevance.argmax())]
    pairwise = candidates @ candidates.T
    while len(chosen) < min(k, len(candidates)):
        rest = [i for i in range(len(candidates)) if i not in chosen]
        redundancy = pairwise[np.ix_(rest, chosen)].max(axis=1)
        scores = (1 - diversity) * relevance[rest] - diversity * redundancy
        chosen.append(rest[int(scores.argmax())])
    return chosen


def majority(values: list[str], users: list[str], min_users: int) -> str | None:
    """The most common value when it holds over half the items and >= min_users users."""
    if not values:
        return None
    counts: dict[str, set[str]] = {}
    items: dict[str, int] = {}
    for value, user in zip(values, users, strict=True):
        counts.setdefault(value, set()).add(user)
        items[value] = items.get(value, 0) + 1
    top = max(items, key=items.__getitem__)
    if items[top] * 2 > len(values) and len(counts[top]) >= min_users:
        return top
    return None


def describe(phrases: list[str], turns: str | None, language: str | None) -> str:
    """One sentence from the cluster's phrases and facet statistics."""
    head = ", ".join(phrases[:3])
    sentence = f"Requests about {head}"
    if len(phrases) > 3:
        sentence += f"; also mentions {' and '.join(phrases[3:5])}"
    stats = []
    if turns:
        stats.append(f"typically {turns} user turns")
    if language and language != "und":
        stats.append(f"mostly language '{language}'")
    return sentence + (f" ({', '.join(stats)})." if stats else ".")


@text_safe_errors("summarize")
def summarize_clusters(data: SummaryInput, embed_phrases, settings: SummarizeSettings,
                       min_users: int) -> pl.DataFrame:
    """Summaries of every cluster at every level (schema SUMMARY_SCHEMA).

    Args:
        data: aligned texts, users, labels (levels, n), embeddings (n, d), facets.
        embed_phrases: callable list[str] -> ndarray (m, d), unit rows (the embedder).
        settings: summarizer settings.
        min_users: k: a phrase must be used by at least this many users of its cluster.
    """
    matrix, vocab = term_matrix(data.texts, settings)
    phrase_vectors: dict[str, np.ndarray] = {}
    rows = []
    for level, labels in enumerate(data.labels):
        n_classes = int(labels.max()) + 1 if labels.size and labels.max() >= 0 else 0
        if n_classes == 0:
            continue
        occurrences, support = class_term_stats(matrix, labels, data.users, n_classes)
        weights = ctfidf(occurrences)
        cents = centroids(data.embeddings, labels, n_classes)
        picks = {}
        for c in range(n_classes):
            eligible = np.flatnonzero(support[c] >= min_users)
            order = eligible[np.argsort(-weights[c, eligible], kind="stable")]
            picks[c] = [i for i in order[: settings.n_candidates] if weights[c, i] > 0]
        new = sorted({vocab[i] for idx in picks.values() for i in idx} - set(phrase_vectors))
        if new:
            phrase_vectors.update(zip(new, embed_phrases(new), strict=True))
        for c in range(n_classes):
            members = np.flatnonzero(labels == c)
            users = [data.users[i] for i in members]
            idx = picks[c]
            if idx:
                vectors = np.stack([phrase_vectors[vocab[i]] for i in idx])
                ranked = [idx[j] for j in mmr(cents[c], vectors, settings.n_phrases,
                                              settings.diversity)]
            else:
                ranked = []
            phrases = [str(vocab[i]) for i in ranked]
            name = ", ".join(phrases[: settings.name_phrases]).capitalize() or None
            turns = majority([data.turns_bucket[i] for i in members], users, min_users)
            language = majority([data.languages[i] for i in members], users, min_users)
            rows.append({
                "level": level, "cluster_key": c, "name": name,
                "description": describe(phrases, turns, language) if phrases else None,
                "phrases": [{"phrase": str(vocab[i]), "score": float(weights[c, i]),
                             "n_users": int(support[c, i])} for i in ranked],
            })
    log.info("summarized %d clusters over %d levels, vocabulary %d terms",
             len(rows), data.labels.shape[0], len(vocab))
    return pl.DataFrame(rows, schema=SUMMARY_SCHEMA)


# --- Prefect layer -----------------------------------------------------------------------


def summarize_stage(data: RunData, settings: SummarizeSettings, embed_settings: EmbedSettings,
                    min_users: int) -> dict[str, int]:
    """``data.facets`` + ``labels`` + ``embeddings`` -> ``data.summaries``; counts."""
    facets = required(data.facets, "facets", data.run_id)
    summary_input = SummaryInput(
        texts=facets["request"].to_list(), users=facets["user_id"].to_list(),
        labels=required(data.labels, "labels", data.run_id),
        embeddings=required(data.embeddings, "embeddings", data.run_id),
        languages=facets["language"].to_list(), turns_bucket=facets["turns_bucket"].to_list(),
    )
    embedder = build_embedder(embed_settings.model_copy(update={"progress": False}))
    data.summaries = summarize_clusters(summary_input, embedder.embed, settings, min_users)
    named = data.summaries.filter(pl.col("name").is_not_null()).height
    return {"clusters": data.summaries.height, "named": named}


@task(name="summarize", cache_policy=NO_CACHE, persist_result=False)
@text_safe_errors("summarize")
def summarize_task(run_id: str, settings: SummarizeSettings, embed_settings: EmbedSettings,
                   min_users: int) -> dict[str, int]:
    """``summarize_stage`` on the run's data; returns counts."""
    counts = summarize_stage(run_data(run_id), settings, embed_settings, min_users)
    get_run_logger().info("summarize: %d clusters, %d with a name", counts["clusters"],
                          counts["named"])
    return counts
