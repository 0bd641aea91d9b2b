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
release gate (``tasks.suppress``) checks every published string again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import polars as pl
from pydantic import BaseModel, ConfigDict, Field
from scipy import sparse

from chorus import terms
from chorus.errors import text_safe_errors

log = logging.getLogger(__name__)

# Every word the description template adds; the release gate allows these and nothing
# else that is not backed by k users of the cluster.
TEMPLATE_WORDS = frozenset(
    "requests about also mentions and typically user turns mostly language".split())

SUMMARY_SCHEMA = {
    "level": pl.Int32, "cluster_key": pl.Int32, "name": pl.Utf8, "description": pl.Utf8,
    "phrases": pl.List(pl.Struct({"phrase": pl.Utf8, "score": pl.Float64,
                                  "n_users": pl.Int64})),
}


class SummarizeSettings(BaseModel):
    """Key-phrase extraction and naming."""

    model_config = ConfigDict(extra="forbid")

    n_phrases: int = Field(6, ge=1, le=30, description="Key phrases kept per cluster.")
    name_phrases: int = Field(3, ge=2, le=4, description="Phrases that make the name.")
    n_candidates: int = Field(25, ge=1, le=200,
                              description="Top c-TF-IDF terms re-ranked by MMR.")
    ngram_max: int = Field(3, ge=1, le=4, description="Longest phrase, in words.")
    diversity: float = Field(0.4, ge=0.0, le=1.0,
                             description="MMR trade-off: 0 pure relevance, 1 pure diversity.")
    min_term_docs: int = Field(
        2, ge=1, description="Vocabulary floor: a term must occur in this many requests "
                             "of the run to be considered at all.")


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
    """Binary doc-term matrix (n, V) and vocabulary (V,) of ``chorus.terms`` phrases."""
    from sklearn.feature_extraction.text import CountVectorizer

    vectorizer = CountVectorizer(
        analyzer=lambda text: terms.phrases(text, settings.ngram_max), binary=True,
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
    pair_ids = {}
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
    top = max(items, key=items.get)
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
    from tasks.cluster import centroids

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
                order = [idx[j] for j in mmr(cents[c], vectors, settings.n_phrases,
                                             settings.diversity)]
            else:
                order = []
            phrases = [str(vocab[i]) for i in order]
            name = ", ".join(phrases[: settings.name_phrases]).capitalize() or None
            turns = majority([data.turns_bucket[i] for i in members], users, min_users)
            language = majority([data.languages[i] for i in members], users, min_users)
            rows.append({
                "level": level, "cluster_key": c, "name": name,
                "description": describe(phrases, turns, language) if phrases else None,
                "phrases": [{"phrase": str(vocab[i]), "score": float(weights[c, i]),
                             "n_users": int(support[c, i])} for i in order],
            })
    log.info("summarized %d clusters over %d levels, vocabulary %d terms",
             len(rows), data.labels.shape[0], len(vocab))
    return pl.DataFrame(rows, schema=SUMMARY_SCHEMA)


# --- Prefect layer -----------------------------------------------------------------------

from prefect import task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.logging import get_run_logger  # noqa: E402


@task(name="summarize", cache_policy=NO_CACHE, persist_result=False)
def summarize_task(run_id: str, settings: SummarizeSettings, embed_settings,
                   min_users: int) -> dict[str, int]:
    """Workspace facets + labels + embeddings -> ``summaries``; returns counts."""
    from chorus.workspace import workspace
    from tasks.embed import build_embedder

    ws = workspace(run_id)
    facets = ws.get("facets")
    data = SummaryInput(
        texts=facets["request"].to_list(), users=facets["user_id"].to_list(),
        labels=ws.get("labels"), embeddings=ws.get("embeddings"),
        languages=facets["language"].to_list(), turns_bucket=facets["turns_bucket"].to_list(),
    )
    embedder = build_embedder(embed_settings.model_copy(update={"progress": False}))
    summaries = summarize_clusters(data, embedder.embed, settings, min_users)
    ws.put("summaries", summaries)
    named = summaries.filter(pl.col("name").is_not_null()).height
    get_run_logger().info("summarize: %d clusters, %d with a name", summaries.height, named)
    return {"clusters": summaries.height, "named": named}
