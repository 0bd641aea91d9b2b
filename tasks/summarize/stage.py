"""The summarize stage: names, descriptions and key phrases of every cluster at every level.

Statistics come from ``TermCounter`` over row blocks (never the whole corpus in one
matrix). Per level, each cluster's candidates are its top ``n_candidates`` c-TF-IDF
terms (``tasks.summarize.weights``) written by >= k distinct users of the cluster; a
phrase below k is never a candidate, and the release gate (``tasks.release``) checks
every published string again. Then, by ``name_method``:

* ``"title"`` (default): candidates are scored by centroid relevance minus sibling
  contrast (``tasks.summarize.rank``); the key phrases are the MMR selection over that
  score; the name is a short title (``tasks.summarize.names``) that prefers noun-shaped
  phrases (``tasks.summarize.pos``: a tagger on the candidates), distinct from its
  ancestors' and siblings'; the description says what people ask (``describe_people``).
  With ``stop_word_titles`` a second ``TermCounter`` (``keep_stop_words``) adds k-backed
  all-word n-grams as title material only (``tasks.summarize.wording``); with
  ``title_rank = "title"`` whole candidate titles are ranked by their own embedding.
* ``"phrases"`` (the earlier names): key phrases by MMR on centroid relevance, the name
  their first ``name_phrases`` comma-joined, the description ``describe``.

Output: ``SUMMARY_SCHEMA`` rows {level, cluster_key, name, description, phrases [{phrase,
score (c-TF-IDF), n_users (distinct users of the cluster, counted up to k)}],
name_source ("title" | "phrases")}; a later stage (an LLM namer) may replace name and
description and set its own name_source.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import replace

import numpy as np
import polars as pl
from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger

from chorus.core.errors import text_safe_errors
from chorus.core.rundata import RunData, required, run_data
from chorus.core.schemas import SUMMARY_SCHEMA
from chorus.core.settings import EmbedSettings, SummarizeSettings
from tasks.embedders import build_embedder
from tasks.summarize.blocks import Block, SummaryInput, row_blocks
from tasks.summarize.counts import LevelStats, TermCounter
from tasks.summarize.describe import describe, describe_people, majority
from tasks.summarize.names import Material, assign_names, noun_first, title_candidates
from tasks.summarize.pos import noun_shaped
from tasks.summarize.rank import contrastive, mmr, mmr_scores, neighbours, rank_titles
from tasks.summarize.weights import candidates, pair_ctfidf
from tasks.summarize.wording import admissible

log = logging.getLogger(__name__)

EmbedFn = Callable[[list[str]], np.ndarray]


def unit_centroids(stats: LevelStats) -> np.ndarray:
    """(n_classes, d) float32 unit mean embedding per class (zero rows stay zero)."""
    sums = stats.centroid_sums
    if sums is None:
        raise ValueError("blocks carried no embeddings: centroids are needed to rank phrases")
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return (sums / np.where(norms == 0, 1, norms)).astype(np.float32)


def parent_keys(counter: TermCounter, level: int) -> dict[int, int]:
    """Level ``level``'s cluster -> its parent at level + 1 (the parent of most of its
    requests)."""
    votes: dict[int, dict[int, int]] = {}
    for group, gid in counter.groups.items():
        child, parent = group[level], group[level + 1]
        if child >= 0 and parent >= 0:
            per = votes.setdefault(child, {})
            per[parent] = per.get(parent, 0) + int(counter.sizes[gid])
    return {c: max(sorted(p), key=p.__getitem__) for c, p in votes.items()}


def children_cover(below: tuple[dict[int, int], dict[int, set[str]], np.ndarray],
                   picks: dict[int, list[tuple[int, float, int]]],
                   stats: LevelStats) -> dict[int, np.ndarray]:
    """Per cluster of this level, per candidate: the size-weighted share of its children
    (the level below) that have the phrase among their own candidates. A phrase every
    child shares as filler is no child's candidate; one that names a child counts."""
    parent_of, child_terms, child_sizes = below
    children: dict[int, list[int]] = {}
    for child, parent in parent_of.items():
        children.setdefault(parent, []).append(child)
    out = {}
    for c, idx in picks.items():
        kids = children.get(c, [])
        total = sum(int(child_sizes[k]) for k in kids) or 1
        out[c] = np.array([sum(int(child_sizes[k]) for k in kids
                               if str(stats.vocab[t]) in child_terms[k]) / total
                           for t, _, _ in idx], dtype=np.float32)
    return out


def worded(every: TermCounter, level: int, min_users: int,
           settings: SummarizeSettings) -> dict[int, list[str]]:
    """Per cluster of ``level``: its top ``n_candidates`` k-backed all-word n-grams (from
    ``every``, a ``keep_stop_words`` counter) that are ``admissible`` title material."""
    stats = every.level(level)
    weights = pair_ctfidf(stats)
    out = {}
    for c in range(stats.n_classes):
        terms = (str(stats.vocab[t])
                 for t, _, _ in candidates(stats, weights, c, min_users, settings.n_candidates))
        out[c] = [t for t in terms if admissible(t)]
    return out


Anchors = dict[tuple[int, int], tuple[np.ndarray, np.ndarray]]


def ranked_options(materials: list[Material], anchors: Anchors, vectors: dict[str, np.ndarray],
                   embed_phrases: EmbedFn, settings: SummarizeSettings) -> list[Material]:
    """``materials`` with their title options ranked by whole-title embedding
    (``title_candidates`` then ``rank_titles``); ``anchors`` gives each (level, key) its
    unit centroid (d,) and its neighbours' centroids (j, d); ``vectors`` caches
    embeddings by text (new titles are embedded in one batch)."""
    options = {(m.level, m.key): title_candidates(m.phrases, m.vectors, settings.max_redundancy,
                                                  settings.title_top, settings.title_phrases)
               for m in materials}
    new = sorted({o for opts in options.values() for o in opts} - set(vectors))
    if new:
        vectors.update(zip(new, embed_phrases(new), strict=True))
    out = []
    for m in materials:
        opts = options[(m.level, m.key)]
        if opts:
            centroid, others = anchors[(m.level, m.key)]
            m = replace(m, options=rank_titles(opts, np.stack([vectors[o] for o in opts]),
                                               centroid, others, settings.title_contrast))
        out.append(m)
    return out


def summarize_blocks(blocks: Iterable[Block], n_levels: int, embed_phrases: EmbedFn,
                     settings: SummarizeSettings, min_users: int) -> pl.DataFrame:
    """Summaries (``SUMMARY_SCHEMA``) of every cluster of every level, from row blocks.

    Args:
        blocks: the run's rows, any number of ``Block``s with embeddings and facets.
        n_levels: label rows per block.
        embed_phrases: list[str] -> (m, d) unit rows (the run's embedder).
        settings: summarizer settings.
        min_users: k: a phrase needs this many distinct users of its cluster.
    """
    counter = TermCounter(n_levels, settings.ngram_max, settings.min_term_docs, min_users)
    every = (TermCounter(n_levels, settings.ngram_max, settings.min_term_docs, min_users,
                         keep_stop_words=True)
             if settings.name_method == "title" and settings.stop_word_titles else None)
    for block in blocks:
        counter.add(block)
        if every is not None:
            every.add(replace(block, embeddings=None, languages=None, turns_bucket=None))
    phrase_vectors: dict[str, np.ndarray] = {}
    rows: list[dict] = []
    materials: list[Material] = []
    anchors: Anchors = {}
    vocab_size = 0
    below: tuple[dict[int, int], dict[int, set[str]], np.ndarray] | None = None
    for level in range(n_levels):
        stats = counter.level(level)
        vocab_size = len(stats.vocab)
        if stats.n_classes == 0:
            continue
        weights = pair_ctfidf(stats)
        cents = unit_centroids(stats)
        picks = {c: candidates(stats, weights, c, min_users, settings.n_candidates)
                 for c in range(stats.n_classes)}
        extra = worded(every, level, min_users, settings) if every is not None else None
        new = sorted({str(stats.vocab[t]) for idx in picks.values() for t, _, _ in idx}
                     | {t for terms in (extra or {}).values() for t in terms}
                     - set(phrase_vectors))
        if new:
            phrase_vectors.update(zip(new, embed_phrases(new), strict=True))
        near = neighbours(cents, settings.contrast_neighbors)
        parents = parent_keys(counter, level) if level + 1 < n_levels else {}
        cover = children_cover(below, picks, stats) if below else None
        for c in range(stats.n_classes):
            idx = picks[c]
            terms = [str(stats.vocab[t]) for t, _, _ in idx]
            vectors = (np.stack([phrase_vectors[t] for t in terms]) if terms
                       else np.zeros((0, cents.shape[1]), np.float32))
            if settings.name_method == "phrases":
                ranked = mmr(cents[c], vectors, settings.n_phrases, settings.diversity)
            else:
                scores = contrastive(vectors, cents[c], cents[near[c]], settings.contrast)
                if cover is not None:
                    scores = scores + settings.cover * cover[c]
                ranked = mmr_scores(scores, vectors, settings.n_phrases, settings.diversity)
                named, named_vectors, named_scores = terms, vectors, scores
                if extra is not None and extra[c]:
                    more = np.stack([phrase_vectors[t] for t in extra[c]])
                    named, named_vectors = terms + extra[c], np.vstack([vectors, more])
                    named_scores = np.concatenate([scores, contrastive(
                        more, cents[c], cents[near[c]], settings.contrast)])
                best = list(np.argsort(-named_scores, kind="stable")) if named else []
                materials.append(Material(level, c, parents.get(c), int(stats.sizes[c]),
                                          [named[j] for j in best], named_vectors[best]))
                anchors[(level, c)] = (cents[c], cents[near[c]])
            phrases = [terms[j] for j in ranked]
            size = int(stats.sizes[c])
            turns = majority(stats.facets["turns_bucket"][c], size, min_users)
            language = majority(stats.facets["languages"][c], size, min_users)
            phrased = settings.name_method == "phrases"
            rows.append({
                "level": level, "cluster_key": c,
                "name": (", ".join(phrases[: settings.name_phrases]).capitalize() or None)
                if phrased else None,
                "description": ((describe if phrased else describe_people)(
                    phrases, turns, language) if phrases else None),
                "phrases": [{"phrase": terms[j], "score": idx[j][1], "n_users": idx[j][2]}
                            for j in ranked],
                "name_source": settings.name_method,
            })
        below = (parents, {c: {str(stats.vocab[t]) for t, _, _ in picks[c]}
                           for c in range(stats.n_classes)}, stats.sizes)
    if settings.name_method == "title":
        shaped = noun_shaped(sorted({p for m in materials for p in m.phrases}),
                             settings.tagger_model)
        materials = [noun_first(m, shaped) for m in materials]
        if settings.title_rank == "title":
            materials = ranked_options(materials, anchors, phrase_vectors, embed_phrases,
                                       settings)
        names = assign_names(materials, n_levels, settings.max_redundancy,
                             settings.title_phrases, settings.name_order)
        for row in rows:
            row["name"] = names.get((row["level"], row["cluster_key"]))
    log.info("summarized %d clusters over %d levels from %d rows, vocabulary %d terms",
             len(rows), n_levels, counter.n_rows, vocab_size)
    return pl.DataFrame(rows, schema=SUMMARY_SCHEMA)


@text_safe_errors("summarize")
def summarize_clusters(data: SummaryInput, embed_phrases: EmbedFn, settings: SummarizeSettings,
                       min_users: int) -> pl.DataFrame:
    """``summarize_blocks`` over an in-memory run cut into ``settings.block_rows`` blocks."""
    return summarize_blocks(row_blocks(data, settings.block_rows), data.labels.shape[0],
                            embed_phrases, settings, min_users)


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
