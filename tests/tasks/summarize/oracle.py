"""The summarizer's statistics as they were before blocks (one doc-term matrix over the
whole corpus, exact user sets), kept verbatim as the oracle the blocked ones must match."""

from __future__ import annotations

import numpy as np
import polars as pl
from scipy import sparse

from chorus.core import tokens
from chorus.core.schemas import SUMMARY_SCHEMA
from chorus.core.settings import SummarizeSettings
from chorus.core.vectors import centroids
from tasks.summarize import SummaryInput, ctfidf, describe, mmr


def term_matrix(texts: list[str], settings: SummarizeSettings):
    from sklearn.feature_extraction.text import CountVectorizer

    vectorizer = CountVectorizer(
        analyzer=lambda text: tokens.phrases(text, settings.ngram_max), binary=True,
        min_df=settings.min_term_docs, dtype=np.int32,
    )
    try:
        matrix = vectorizer.fit_transform(texts).tocsr()
    except ValueError:
        return sparse.csr_matrix((len(texts), 0), dtype=np.int32), np.array([], dtype=object)
    return matrix, vectorizer.get_feature_names_out()


def class_term_stats(matrix, labels: np.ndarray, users: list[str], n_classes: int):
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


def old_majority(values: list[str], users: list[str], min_users: int) -> str | None:
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


def old_summarize(data: SummaryInput, embed_phrases, settings: SummarizeSettings,
                  min_users: int) -> pl.DataFrame:
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
            turns = old_majority([data.turns_bucket[i] for i in members], users, min_users)
            language = old_majority([data.languages[i] for i in members], users, min_users)
            rows.append({
                "level": level, "cluster_key": c, "name": name,
                "description": describe(phrases, turns, language) if phrases else None,
                "phrases": [{"phrase": str(vocab[i]), "score": float(weights[c, i]),
                             "n_users": int(support[c, i])} for i in ranked],
            })
    return pl.DataFrame(rows, schema=SUMMARY_SCHEMA)
