"""Polars schemas of the run data that passes between stages and into the warehouse.

Each frame's columns are documented by the stage that writes it; the warehouse tables
(``warehouse/schema.sql``) add ``run_id``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from polars._typing import PolarsDataType  # what DataFrame(schema=...) accepts

# tasks.ingest: accepted conversations (raw text, in memory only) and quarantine rows
CONVERSATION_SCHEMA: dict[str, PolarsDataType] = {
    "conversation_id": pl.Utf8,
    "user_id": pl.Utf8,
    "created_at": pl.Datetime("us", "UTC"),
    "messages": pl.List(pl.Struct({"role": pl.Utf8, "content": pl.Utf8})),
}
QUARANTINE_SCHEMA: dict[str, PolarsDataType] = {
    "source": pl.Utf8, "record": pl.Int64, "reason": pl.Utf8,
}

# tasks.scrub: scrubbed user turns, and per-type PII counts
SCRUBBED_SCHEMA: dict[str, PolarsDataType] = {
    "conversation_id": pl.Utf8,
    "user_id": pl.Utf8,
    "created_at": pl.Datetime("us", "UTC"),
    "user_turns": pl.List(pl.Utf8),
    "n_user_turns": pl.UInt32,
    "n_assistant_turns": pl.UInt32,
    "referral": pl.Boolean,
    "boundary": pl.Boolean,
}

PII_COUNTS_SCHEMA: dict[str, PolarsDataType] = {
    "entity_type": pl.Utf8,
    "n_entities": pl.UInt64,
    "n_conversations": pl.UInt64,
    "n_users": pl.UInt64,
}

# tasks.summarize: one row per cluster of every level
SUMMARY_SCHEMA: dict[str, PolarsDataType] = {
    "level": pl.Int32, "cluster_key": pl.Int32, "name": pl.Utf8, "description": pl.Utf8,
    "phrases": pl.List(pl.Struct({"phrase": pl.Utf8, "score": pl.Float64,
                                  "n_users": pl.Int64})),
}

# the release gate's published frames (cluster rows, phrases, facet rows, audit findings)
CLUSTER_SCHEMA: dict[str, PolarsDataType] = {
    "cluster_id": pl.Int32, "level": pl.Int32, "parent_id": pl.Int32, "kind": pl.Utf8,
    "name": pl.Utf8, "description": pl.Utf8, "n_conversations": pl.Int64,
    "n_users": pl.Int64, "share": pl.Float64, "mean_sentiment_shift": pl.Float64,
    # the map position (tasks.release.layout); NULL for 'other' rows and under DP
    "x": pl.Float64, "y": pl.Float64,
}
PHRASE_SCHEMA: dict[str, PolarsDataType] = {
    "cluster_id": pl.Int32, "rank": pl.Int32, "phrase": pl.Utf8, "score": pl.Float64,
}
FACET_SCHEMA: dict[str, PolarsDataType] = {
    "cluster_id": pl.Int32, "facet": pl.Utf8, "value": pl.Utf8,
    "n_conversations": pl.Int64, "n_users": pl.Int64,
    # on the 'affective' facet's 'affective' / 'task' rows only (tasks.release.depth)
    "median_user_turns": pl.Float64, "median_user_chars": pl.Float64,
}
# the run-level rows (no cluster): the run's affective/task groups, its reliance histogram
RUN_FACET_SCHEMA: dict[str, PolarsDataType] = {
    k: v for k, v in FACET_SCHEMA.items() if k != "cluster_id"}
FINDING_SCHEMA: dict[str, PolarsDataType] = {
    "location": pl.Utf8, "check": pl.Utf8, "entity_type": pl.Utf8, "blocking": pl.Boolean,
}
