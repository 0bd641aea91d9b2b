"""The scrub stage over a run's data, and its thin Prefect task.

``scrub_stage`` reads ``data.raw``, writes ``data.scrubbed`` and ``data.pii_counts`` and
empties ``data.raw`` (raw text ends here). ``scrub_task`` runs it by run id, never cached
or persisted. Both log counts only.
"""

from __future__ import annotations

import logging
from typing import Any

import polars as pl
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.exceptions import MissingContextError

from chorus.core.errors import text_safe_errors
from chorus.core.rundata import RunData, required, run_data
from chorus.core.settings import ScrubSettings
from tasks.recognizers.analyzer import build_analyzer
from tasks.scrub.conversations import scrub_conversations

log = logging.getLogger(__name__)


@text_safe_errors("scrub")
def _run_scrub(
    frame: pl.DataFrame, settings: ScrubSettings, logger: Any
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Build the analyzer, scrub ``frame``, log the counts (per type with any found)."""
    analyzer = build_analyzer(settings)
    scrubbed, pii_counts = scrub_conversations(frame, analyzer, settings)
    logger.info(
        "scrub: %d conversations, %d user turns, %d assistant turns, %d with a referral",
        scrubbed.height,
        int(scrubbed.get_column("n_user_turns").sum()),
        int(scrubbed.get_column("n_assistant_turns").sum()),
        int(scrubbed.get_column("referral").sum()),
    )
    for row in pii_counts.filter(pl.col("n_entities") > 0).iter_rows(named=True):
        logger.info(
            "scrub: %s: %d entities in %d conversations (%d users)",
            row["entity_type"], row["n_entities"], row["n_conversations"], row["n_users"],
        )
    return scrubbed, pii_counts


def scrub_stage(data: RunData, settings: ScrubSettings, logger: Any = log) -> dict[str, int]:
    """``data.raw`` -> ``data.scrubbed`` and ``data.pii_counts``; empties ``data.raw``
    (raw text ends here); counts."""
    scrubbed, pii_counts = _run_scrub(required(data.raw, "raw", data.run_id), settings, logger)
    data.scrubbed, data.pii_counts = scrubbed, pii_counts
    data.raw = None  # raw text ends here
    return {"conversations": scrubbed.height,
            "user_turns": int(scrubbed.get_column("n_user_turns").sum()),
            "entities": int(pii_counts.get_column("n_entities").sum())}


@task(name="scrub", cache_policy=NO_CACHE, persist_result=False, retries=0)
@text_safe_errors("scrub")
def scrub_task(run_id: str, settings: ScrubSettings | None = None) -> dict[str, int]:
    """Prefect task: ``scrub_stage`` on the run's data; returns counts only.

    Never cached or persisted: its input and output carry conversation text, which stays
    in the run's in-memory data (``chorus.core.rundata``). Logs counts only. Any failure
    other than a ``ChorusError`` surfaces as a ``StageError`` without the original message.
    """
    try:
        logger: Any = get_run_logger()
    except MissingContextError:  # called as scrub_task.fn(...) outside a run
        logger = log
    return scrub_stage(run_data(run_id), settings or ScrubSettings(), logger)
