"""Shared helpers of the release-gate tests: a run's facets, summaries, no PII counts."""

from __future__ import annotations

import polars as pl

from chorus.core.schemas import SUMMARY_SCHEMA

NO_PII = pl.DataFrame(schema={"entity_type": pl.Utf8, "n_entities": pl.Int64,
                              "n_conversations": pl.Int64, "n_users": pl.Int64})


def facets_for(users: list[str], texts: list[str] | None = None) -> pl.DataFrame:
    """One conversation per user id (language 'en', turns '2-3')."""
    n = len(users)
    return pl.DataFrame({
        "conversation_id": [f"c{i}" for i in range(n)], "user_id": users,
        "request": texts or ["sleep insomnia night"] * n,
        "language": ["en"] * n, "turns_bucket": ["2-3"] * n,
    })


def summaries(keys_per_level: list[list[int]], phrase: str = "sleep insomnia") -> pl.DataFrame:
    """One summary per (level, key), all named after ``phrase``."""
    rows = [{"level": lvl, "cluster_key": key, "name": phrase.capitalize(),
             "description": f"Requests about {phrase}.",
             "phrases": [{"phrase": phrase, "score": 1.0, "n_users": 99}]}
            for lvl, keys in enumerate(keys_per_level) for key in keys]
    return pl.DataFrame(rows, schema=SUMMARY_SCHEMA)


def use_frame(users: list[str], affective: list[bool], concern: list[bool] | None = None,
              boundary: list[bool] | None = None, turns: list[int] | None = None,
              chars: list[int] | None = None, language: list[str] | None = None
              ) -> pl.DataFrame:
    """A facets frame with every lens column, the scrub stage's ``boundary`` flag and the
    depth columns (``n_user_turns``, ``user_chars``): one row per entry of ``users``."""
    n = len(users)
    frame = facets_for(users)
    if language is not None:
        frame = frame.with_columns(pl.Series("language", language))
    return frame.with_columns(
        pl.Series("affective", affective, dtype=pl.Boolean),
        pl.Series("sentiment_shift", [0.0] * n, dtype=pl.Float32),
        pl.Series("concern", concern or [False] * n, dtype=pl.Boolean),
        pl.Series("referral", [False] * n, dtype=pl.Boolean),
        pl.Series("boundary", boundary or [False] * n, dtype=pl.Boolean),
        pl.Series("n_user_turns", turns or [2] * n, dtype=pl.UInt32),
        pl.Series("user_chars", chars or [100] * n, dtype=pl.UInt32))
