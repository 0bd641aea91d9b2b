"""Scrubbing conversations: the input check, the user turns scrubbed, the PII counts.

``scrub_conversations`` is the stage's pure core: a frame of raw conversations in, a
frame of scrubbed user turns (plus turn counts and the assistant's referral and boundary
flags) and a frame of per-type PII counts out. Assistant text is read once, for the flags,
and dropped.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence

import polars as pl
from presidio_analyzer import AnalyzerEngine

from chorus.core.errors import ChorusError, text_safe_errors
from chorus.core.schemas import PII_COUNTS_SCHEMA, SCRUBBED_SCHEMA
from chorus.core.settings import ScrubSettings
from tasks.recognizers.analyzer import effective_entities
from tasks.scrub.analyze import analyze_spans
from tasks.scrub.boundary import boundary_flags
from tasks.scrub.documents import plan_docs
from tasks.scrub.referral import referral_flags
from tasks.scrub.spans import apply_spans, clip_spans

log = logging.getLogger(__name__)

INPUT_COLUMNS = ("conversation_id", "user_id", "created_at", "messages")


def check_input(frame: pl.DataFrame) -> None:
    """Raise ``ChorusError`` unless ``frame`` has ``INPUT_COLUMNS`` and ``messages`` is
    List(Struct{role, content, ...}). The message names columns and types only."""
    missing = [c for c in INPUT_COLUMNS if c not in frame.columns]
    if missing:
        raise ChorusError(f"scrub: input frame lacks columns {missing}")
    messages = frame.schema["messages"]
    inner = getattr(messages, "inner", None)
    if not isinstance(messages, pl.List) or not isinstance(inner, pl.Struct) or not {
        "role", "content"
    } <= {f.name for f in inner.fields}:
        raise ChorusError(
            "scrub: column 'messages' must be List(Struct{role: Utf8, content: Utf8})"
        )


@text_safe_errors("scrub")
def scrub_conversations(
    frame: pl.DataFrame, analyzer: AnalyzerEngine, settings: ScrubSettings
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Scrub the user turns of conversations; drop the assistant turns.

    The assistant turns are read here, raw and in memory, for two flags only: the lens's
    ``referral`` (``referral_flags``: does the assistant point the person to professional
    or human help) and ``boundary`` (``boundary_flags``: does the assistant say what it is
    not or decline a role). Only those Booleans leave this function; no assistant text
    does.

    Each conversation's user turns are analyzed as one document (joined with
    ``TURN_SEPARATOR``) so that a name introduced in one turn is in the NER context of
    the next; spans are mapped back to turns by offset (a span crossing a turn boundary
    is cut in two, both parts scrubbed). Conversations longer than
    ``settings.max_doc_chars`` are analyzed turn by turn.

    Args:
        frame: ``conversation_id`` Utf8, ``user_id`` Utf8, ``created_at``
            Datetime(us, UTC), ``messages`` List(Struct{role: Utf8, content: Utf8}).
            Roles other than ``user`` and ``assistant`` (e.g. ``system``) are dropped;
            a null content reads as "".
        analyzer: From ``build_analyzer``.
        settings: Stage settings.

    Returns:
        ``scrubbed``: ``conversation_id`` Utf8, ``user_id`` Utf8, ``created_at``
        Datetime(us, UTC), ``user_turns`` List(Utf8) (scrubbed user messages in order),
        ``n_user_turns`` UInt32, ``n_assistant_turns`` UInt32, ``referral`` Boolean
        (an assistant turn matches ``REFERRAL_PATTERNS``; False without
        assistant turns), ``boundary`` Boolean (an assistant turn matches
        ``BOUNDARY_PATTERNS``; False without assistant turns, never null), ``pii``
        List(Struct{entity_type, n}) (the types replaced in the conversation and how
        often); one row per input row, same order.

        ``pii_counts``: ``entity_type`` Utf8, ``n_entities`` UInt64 (placeholders
        written), ``n_conversations`` UInt64 and ``n_users`` UInt64 (distinct ones with
        at least one); one row per scrubbed entity type (zeros included), sorted by
        type.

    Raises:
        ChorusError: The frame lacks a column or ``messages`` has the wrong type.
        ConfigError: A requested entity type is unsupported.
        StageError: Anything else failed (the original message is withheld).
    """
    check_input(frame)
    role = pl.element().struct.field("role").str.to_lowercase()
    prepared = frame.select(
        pl.col("conversation_id").cast(pl.Utf8),
        pl.col("user_id").cast(pl.Utf8),
        pl.col("created_at").cast(pl.Datetime("us", "UTC")),
        pl.col("messages")
        .list.eval(pl.element().filter(role == "user").struct.field("content"))
        .alias("_user_texts"),
        pl.col("messages")
        .list.eval(pl.element().filter(role == "assistant").struct.field("content"))
        .alias("_assistant_texts"),
        pl.col("messages")
        .list.eval((role == "user").cast(pl.UInt32))
        .list.sum()
        .fill_null(0)
        .cast(pl.UInt32)
        .alias("n_user_turns"),
        pl.col("messages")
        .list.eval((role == "assistant").cast(pl.UInt32))
        .list.sum()
        .fill_null(0)
        .cast(pl.UInt32)
        .alias("n_assistant_turns"),
    )
    user_turns: list[list[str]] = [
        ["" if t is None else t for t in (turns or [])]
        for turns in prepared.get_column("_user_texts").to_list()
    ]
    # Raw assistant text is read here and nowhere else; only the flags are kept.
    assistant_turns: list[list[str]] = [
        ["" if t is None else t for t in (turns or [])]
        for turns in prepared.get_column("_assistant_texts").to_list()
    ]
    referral = referral_flags(assistant_turns)
    boundary = boundary_flags(assistant_turns)
    del assistant_turns
    docs, plan, n_split = plan_docs(user_turns, settings.max_doc_chars)

    scrubbed_turns: list[list[str]] = [list(turns) for turns in user_turns]
    per_conv: list[Counter[str]] = [Counter() for _ in user_turns]
    for doc_text, item, spans in zip(
        docs, plan, analyze_spans(docs, analyzer, settings), strict=True
    ):
        for offset, (start, end) in enumerate(item.turn_bounds):
            new_text, replaced = apply_spans(
                doc_text[start:end], clip_spans(spans, start, end)
            )
            scrubbed_turns[item.conversation][item.first_turn + offset] = new_text
            per_conv[item.conversation].update(replaced)

    scrubbed = prepared.select(
        "conversation_id",
        "user_id",
        "created_at",
        pl.Series("user_turns", scrubbed_turns, dtype=pl.List(pl.Utf8)),
        "n_user_turns",
        "n_assistant_turns",
        pl.Series("referral", referral, dtype=pl.Boolean),
        pl.Series("boundary", boundary, dtype=pl.Boolean),
        # per conversation, the entity types replaced and how often (what a chunked run
        # needs to count PII users over all chunks: chorus.core.chunk_store.pii_counts)
        pl.Series("pii", [[{"entity_type": t, "n": n} for t, n in sorted(c.items())]
                          for c in per_conv], dtype=SCRUBBED_SCHEMA["pii"]),
    )
    pii_counts = count_pii(
        per_conv,
        prepared.get_column("user_id").to_list(),
        effective_entities(analyzer, settings.entities),
    )
    log.info(
        "scrubbed %d conversations: %d documents, %d user turns, %d analyzed turn by "
        "turn, %d entities replaced",
        frame.height, len(docs), sum(len(t) for t in user_turns), n_split,
        int(pii_counts.get_column("n_entities").sum()),
    )
    return scrubbed, pii_counts


def count_pii(
    per_conv: Sequence[Counter[str]], user_ids: Sequence[str | None], entities: Sequence[str]
) -> pl.DataFrame:
    """Per-type PII counts (``PII_COUNTS_SCHEMA``): placeholders written, distinct
    conversations and users with at least one; one row per type of ``entities`` or found
    (zeros included), sorted by type.

    Args:
        per_conv: per conversation, the entity types replaced and how often.
        user_ids: per conversation, its user id.
        entities: the types the analyzer scrubs (``effective_entities``).
    """
    rows = [
        (conv, user_ids[conv], entity_type, n)
        for conv, counts in enumerate(per_conv)
        for entity_type, n in counts.items()
    ]
    long = pl.DataFrame(
        rows,
        schema={"conv": pl.UInt64, "user_id": pl.Utf8, "entity_type": pl.Utf8, "n": pl.UInt64},
        orient="row",
    )
    found = long.group_by("entity_type").agg(
        pl.col("n").sum().cast(pl.UInt64).alias("n_entities"),
        pl.col("conv").n_unique().cast(pl.UInt64).alias("n_conversations"),
        pl.col("user_id").n_unique().cast(pl.UInt64).alias("n_users"),
    )
    all_types = pl.DataFrame(
        {"entity_type": sorted(set(entities) | set(found.get_column("entity_type")))},
        schema={"entity_type": pl.Utf8},
    )
    return (
        all_types.join(found, on="entity_type", how="left")
        .with_columns(pl.col(c).fill_null(0) for c in ("n_entities", "n_conversations", "n_users"))
        .select(pl.col(name).cast(dtype) for name, dtype in PII_COUNTS_SCHEMA.items())
        .sort("entity_type")
    )
