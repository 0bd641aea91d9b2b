"""Runs that connect over time: stable topic keys, assignment to an earlier run, periods.

State lives in the private store (``chorus.core.private_store.TopicStore``), never in the
analyst warehouse: per run its mode, embedder model id and period; per cluster of every
level its unit centroid, ``topic_key`` and parent key.

* **Topic keys.** Every cluster of a fit gets a ``topic_key``. Per level, the fit's
  clusters are matched one-to-one to the clusters of the previous full run (the newest
  published 'fit' run with the same embedder; suppressed clusters included) by the
  Hungarian method on centroid cosine similarity (``match_clusters``); a pair at or above
  ``cluster.topic_min_similarity`` keeps the old key, every other cluster gets a fresh
  one (``fresh_topic_key``: a hash of the level and the sorted member conversation ids,
  so it is repeatable for the same clustering and says nothing about how many clusters
  a fit had, unlike a counter).
* **Assign-to** (``cluster.assign_to``): no fit; each conversation joins the source run's
  base cluster with the nearest centroid when the cosine similarity is at least
  ``cluster.assign_min_similarity`` (else noise), parents follow the source run's
  parent keys, and the source's topic keys are kept (``assign_labels``). Refused when the
  source is unknown, unpublished, itself an assign run, or from another embedder.
* **Periods** (``cluster.period``): the run's conversations are recorded as sha256 of
  their ids (``conversation_keys``); a run is refused when any of them, or its period
  label, belongs to another published period run (``check_period``), so periods in
  ``cluster_trends`` never overlap. A chunked run is checked right after planning
  (``preflight_period``), before any chunk is scrubbed, and again at this stage. A rerun
  of the same run id replaces its own rows.

Shapes: embeddings (n, d) unit float32; labels (levels, n) int32, -1 noise; a cluster
table is a polars frame (level, cluster_key, parent_key, n_members, centroid[, topic_key]).
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import numpy as np
import polars as pl

from chorus.core.errors import ChorusError
from chorus.core.private_store import PrivateStore, TopicStore
from chorus.core.settings import EmbedSettings
from tasks.cluster.assign import assign_to_centroids

log = logging.getLogger("tasks.cluster")

def conversation_keys(conversation_ids: list[str]) -> list[str]:
    """Hex sha256 (first 32 digits) of each conversation id: a period's fingerprint."""
    return [hashlib.sha256(c.encode("utf-8")).hexdigest()[:32] for c in conversation_ids]


def fresh_topic_key(level: int, member_ids: list[str]) -> str:
    """'t' + 12 hex digits of sha256 over the level and the sorted member ids."""
    digest = hashlib.sha256(f"{level}\n".encode())
    for cid in sorted(member_ids):
        digest.update(cid.encode("utf-8") + b"\n")
    return "t" + digest.hexdigest()[:12]


def cluster_table(embeddings: np.ndarray, labels: np.ndarray) -> pl.DataFrame:
    """One row per cluster with members, every level: level, cluster_key, parent_key (the
    key one level up, None at the top), n_members, centroid (unit mean, list of float)."""
    rows = []
    for level, row in enumerate(labels):
        keys = np.unique(row[row >= 0])
        if not keys.size:
            continue
        n_keys = int(keys.max()) + 1
        sums = np.zeros((n_keys, embeddings.shape[1]), dtype=np.float64)
        np.add.at(sums, row[row >= 0], embeddings[row >= 0])
        counts = np.bincount(row[row >= 0], minlength=n_keys)
        for key in keys.tolist():
            member = np.flatnonzero(row == key)[0]
            parent = int(labels[level + 1, member]) if level + 1 < labels.shape[0] else None
            norm = np.linalg.norm(sums[key]) or 1.0
            rows.append({"level": level, "cluster_key": key, "parent_key": parent,
                         "n_members": int(counts[key]),
                         "centroid": (sums[key] / norm).astype(np.float32).tolist()})
    return pl.DataFrame(rows, schema={"level": pl.Int32, "cluster_key": pl.Int32,
                                      "parent_key": pl.Int32, "n_members": pl.Int64,
                                      "centroid": pl.List(pl.Float32)})


def _matrix(table: pl.DataFrame) -> np.ndarray:
    return np.asarray(table["centroid"].to_list(), dtype=np.float32).reshape(table.height, -1)


def match_clusters(new: np.ndarray, old: np.ndarray, min_similarity: float) -> np.ndarray:
    """One-to-one matching of (m, d) to (o, d) unit centroids maximising total cosine.

    Returns:
        (m,) index into ``old`` of each new centroid's match, -1 where it has none or the
        pair's similarity is below ``min_similarity``.
    """
    out = np.full(new.shape[0], -1, dtype=np.int64)
    if not new.shape[0] or not old.shape[0]:
        return out
    from scipy.optimize import linear_sum_assignment

    sims = new.astype(np.float64) @ old.astype(np.float64).T
    rows, cols = linear_sum_assignment(-sims)
    keep = sims[rows, cols] >= min_similarity
    out[rows[keep]] = cols[keep]
    return out


def with_topic_keys(table: pl.DataFrame, previous: pl.DataFrame | None,
                    min_similarity: float, labels: np.ndarray,
                    conversation_ids: list[str]) -> tuple[pl.DataFrame, int]:
    """``table`` plus ``topic_key``: per level, the matched previous cluster's key, else
    a fresh one; and the number of clusters that kept a previous key."""
    ids = np.asarray(conversation_ids, dtype=object)
    parts, kept = [], 0
    for level in sorted(set(table["level"].to_list())):
        part = table.filter(pl.col("level") == level)
        old = (previous.filter(pl.col("level") == level) if previous is not None
               else pl.DataFrame())
        match = (match_clusters(_matrix(part), _matrix(old), min_similarity)
                 if old.height else np.full(part.height, -1))
        old_keys = old["topic_key"].to_list() if old.height else []
        keys = [old_keys[m] if m >= 0 else
                fresh_topic_key(level, ids[labels[level] == key].tolist())
                for m, key in zip(match.tolist(), part["cluster_key"].to_list(), strict=True)]
        kept += int((match >= 0).sum())
        parts.append(part.with_columns(pl.Series("topic_key", keys, dtype=pl.Utf8)))
    if not parts:
        return table.with_columns(pl.lit(None, dtype=pl.Utf8).alias("topic_key")), 0
    return pl.concat(parts), kept


def assign_labels(embeddings: np.ndarray, source: pl.DataFrame, min_similarity: float,
                  users: np.ndarray | None = None,
                  publishable: tuple[int, int] | None = None) -> tuple[np.ndarray, int]:
    """Labels (levels, n) of new conversations under the source run's clusters.

    Level 0: the nearest source base centroid at cosine >= ``min_similarity``, else -1.
    When the noise left is below ``publishable`` (min_users, min_conversations) it joins
    its nearest base cluster (as ``absorb_unpublishable_noise`` does after a fit), counted
    in the second value. Levels above: the source's parent keys; noise stays -1.
    """
    base = source.filter(pl.col("level") == 0)
    levels = int(source["level"].to_numpy().max()) + 1 if source.height else 1
    base_keys = np.asarray(base["cluster_key"].to_list(), dtype=np.int64)
    cents = _matrix(base)
    idx = assign_to_centroids(embeddings, cents, min_similarity)
    absorbed = 0
    noise = idx < 0
    if publishable is not None and users is not None and noise.any() and cents.shape[0]:
        small = (noise.sum() < publishable[1]
                 or np.unique(users[noise]).size < publishable[0])
        if small:
            idx[noise] = assign_to_centroids(embeddings[noise], cents, None)
            absorbed = int(noise.sum())
    labels = np.full((levels, embeddings.shape[0]), -1, dtype=np.int32)
    labels[0] = np.where(idx >= 0, base_keys[np.maximum(idx, 0)], -1)
    parent = {(r["level"], r["cluster_key"]): r["parent_key"]
              for r in source.select("level", "cluster_key", "parent_key").iter_rows(named=True)}
    for level in range(1, levels):
        below = np.unique(labels[level - 1][labels[level - 1] >= 0])
        lut = np.full(int(below.max()) + 1 if below.size else 1, -1, dtype=np.int64)
        for key in below.tolist():
            lut[key] = parent[(level - 1, key)]
        labels[level] = np.where(labels[level - 1] >= 0,
                                 lut[np.maximum(labels[level - 1], 0)], -1)
    return labels, absorbed


def source_clusters(topics: TopicStore, run_id: str, model_id: str) -> pl.DataFrame:
    """The cluster table (with topic keys) of full run ``run_id``, checked.

    Raises:
        ChorusError: the run is unknown to the private store or did not publish, was an
            assign run itself, or was embedded with another model.
    """
    row = topics.run(run_id)
    if row is None:
        raise ChorusError(f"cluster.assign_to: run {run_id!r} is unknown to the private "
                          "store (no clusters kept for it)")
    if not row["published"]:
        raise ChorusError(f"cluster.assign_to: run {run_id!r} did not publish (blocked, "
                          "failed or still running); assign to a published full run")
    if row["mode"] != "fit":
        raise ChorusError(f"cluster.assign_to: run {run_id!r} was not a full run (it was "
                          f"assigned to run {row['source_run_id']!r}); assign to that one")
    if row["model_id"] != model_id:
        raise ChorusError(f"cluster.assign_to: run {run_id!r} was embedded with "
                          f"{row['model_id']!r}, this run embeds with {model_id!r}")
    return topics.centroids(run_id)


def model_id(embed: EmbedSettings) -> str:
    """The embedder's model id (the embedding cache's key), without loading the model."""
    from tasks.embedders import build_embedder

    return build_embedder(embed).model_id  # constructors only store their arguments


def preflight_assign_to(run_id: str, embed: EmbedSettings, private_path: str | Path) -> None:
    """``source_clusters``'s checks before a run starts (``chorus run`` fails fast).

    Raises:
        ChorusError: no private store at ``private_path``, or ``source_clusters``'s.
    """
    if not Path(private_path).is_file():
        raise ChorusError(f"cluster.assign_to: run {run_id!r} is unknown: there is no "
                          f"private store at {private_path}")
    with PrivateStore(private_path) as store:
        source_clusters(store.topics(), run_id, model_id(embed))


def preflight_period(run_id: str, period: str, conversation_ids: list[str],
                     private_path: str | Path) -> None:
    """``check_period`` over a run's planned conversation ids before its map stages run
    (the flow calls it right after planning, with ``tasks.ingest.planned_ids``), so an
    overlapping period is refused before anything is scrubbed. The cluster stage checks
    again (``cluster_stage``), and the store stage under the writer lock.

    Raises:
        ChorusError: as ``check_period``. No private store yet: nothing to overlap.
    """
    if not Path(private_path).is_file():
        return
    with PrivateStore(private_path) as store:
        check_period(store.topics(), run_id, period, conversation_keys(conversation_ids))


def check_period(topics: TopicStore, run_id: str, period: str,
                 keys: list[str] | None = None) -> None:
    """Refuse a period that overlaps another published period run (see module docstring).

    Raises:
        ChorusError: naming the other runs and the number of shared conversations.
    """
    conflicts = topics.period_conflicts(run_id, period, keys)
    if conflicts:
        listed = ", ".join(f"run {r!r} ({f'{n} conversations shared' if n else 'same label'})"
                           for r, n in conflicts[:5])
        raise ChorusError(f"cluster.period {period!r}: periods must not overlap, and this "
                          f"run's input or label is already counted by {listed}; give "
                          "only new conversations, another label, or rerun that run id")
