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
    # per conversation: entity types replaced and how often (no text)
    "pii": pl.List(pl.Struct({"entity_type": pl.Utf8, "n": pl.UInt32})),
}

PII_COUNTS_SCHEMA: dict[str, PolarsDataType] = {
    "entity_type": pl.Utf8,
    "n_entities": pl.UInt64,
    "n_conversations": pl.UInt64,
    "n_users": pl.UInt64,
}

# tasks.summarize: one row per cluster of every level. phrases: the k-backed key phrases,
# ranked (score: c-TF-IDF; n_users: distinct users of the cluster, counted up to k);
# name_source: what wrote name and description ("title" | "phrases" from summarize; a
# later namer such as an LLM stage sets its own), NULL when a row omits it
SUMMARY_SCHEMA: dict[str, PolarsDataType] = {
    "level": pl.Int32, "cluster_key": pl.Int32, "name": pl.Utf8, "description": pl.Utf8,
    "phrases": pl.List(pl.Struct({"phrase": pl.Utf8, "score": pl.Float64,
                                  "n_users": pl.Int64})),
    "name_source": pl.Utf8,
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

# tasks.llm: the LLM backend's accounting of a run, columns of the ``runs`` row (NULL when
# the LLM is off). Calls are HTTP requests sent (retries included); tokens as the server's
# ``usage`` reported them, or a conservative estimate where it did not.
LLM_RUN_SCHEMA: dict[str, PolarsDataType] = {
    "llm_model": pl.Utf8, "llm_mode": pl.Utf8, "llm_calls": pl.Int64,
    "llm_prompt_tokens": pl.Int64, "llm_completion_tokens": pl.Int64,
    "llm_seconds": pl.Float64, "llm_failures": pl.Int64, "llm_fallbacks": pl.Int64,
    "llm_named": pl.Int64, "llm_audited": pl.Int64, "llm_budget_exhausted": pl.Boolean,
}

# per stage of a run: seconds and items (the warehouse's run_stages; flows.pipeline)
RUN_STAGE_SCHEMA: dict[str, PolarsDataType] = {
    "stage": pl.Utf8, "phase": pl.Utf8, "seconds": pl.Float64, "items": pl.Int64,
    "chunks": pl.Int32, "chunks_reused": pl.Int32, "workers": pl.Int32,
}
