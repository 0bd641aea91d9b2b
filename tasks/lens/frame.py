"""The lens's frame: all four facets added to the facets stage's frame.

Input and output columns are documented in ``tasks.lens`` (the package docstring).
Logs carry counts only.
"""

from __future__ import annotations

import logging

import numpy as np
import polars as pl

from chorus.core.errors import ChorusError, text_safe_errors
from chorus.core.settings import LensSettings
from tasks.lens.affective import affective_scores
from tasks.lens.concern import concern_flags
from tasks.lens.sentiment import sentiment_trajectory

log = logging.getLogger(__name__)

LENS_COLUMNS = ("affective_score", "affective", "sentiment_start", "sentiment_end",
                "sentiment_shift", "concern")  # what the lens adds; referral comes from scrub


@text_safe_errors("lens")
def lens_facets(frame: pl.DataFrame, embedder, settings: LensSettings,
                vectors: np.ndarray | None = None) -> pl.DataFrame:
    """Add the lens columns (schema in the ``tasks.lens`` docstring) to ``frame``.

    Args:
        frame: one row per conversation with ``user_turns``, ``request`` and optionally
            ``referral`` (the facets stage's frame).
        embedder: any ``tasks.embedders.Embedder``.
        settings: ``LensSettings``.
        vectors: the embed stage's (n, d) vectors of ``frame["request"]`` from the same
            embedder, to avoid embedding twice.

    Returns:
        ``frame`` with affective_score, affective, sentiment_start, sentiment_end,
        sentiment_shift, concern and referral.

    Raises:
        ChorusError: the frame lacks ``user_turns`` or ``request``, or ``vectors`` has
            another row count.
    """
    missing = [c for c in ("user_turns", "request") if c not in frame.columns]
    if missing:
        raise ChorusError(f"lens: input frame lacks columns {missing}")
    if vectors is not None and len(vectors) != frame.height:
        raise ChorusError(f"lens: {len(vectors)} vectors for {frame.height} rows")
    user_turns = frame["user_turns"].to_list()
    scores = affective_scores(frame["request"].to_list(), embedder, settings, vectors)
    start, end, shift = sentiment_trajectory(user_turns)
    concern = concern_flags(user_turns)
    if "referral" in frame.columns:
        referral = frame["referral"].cast(pl.Boolean)
    else:
        log.warning("lens: no referral column; referral is null for %d rows", frame.height)
        referral = pl.Series("referral", [None] * frame.height, dtype=pl.Boolean)
    affective = scores >= settings.threshold
    log.info("lens: %d conversations, %d affective, %d concern, %d referral",
             frame.height, int(affective.sum()), int(concern.sum()),
             int(referral.sum() or 0))
    return frame.with_columns(
        pl.Series("affective_score", scores, dtype=pl.Float32),
        pl.Series("affective", affective, dtype=pl.Boolean),
        pl.Series("sentiment_start", start, dtype=pl.Float32),
        pl.Series("sentiment_end", end, dtype=pl.Float32),
        pl.Series("sentiment_shift", shift, dtype=pl.Float32),
        pl.Series("concern", concern, dtype=pl.Boolean),
        referral.alias("referral"),
    )


def lens_counts(frame: pl.DataFrame) -> dict[str, int]:
    """Counts of a frame with the lens columns (for logs and the task's result)."""
    return {"conversations": frame.height,
            "affective": int(frame["affective"].sum()),
            "concern": int(frame["concern"].sum()),
            "referral": int(frame["referral"].fill_null(False).sum())}
