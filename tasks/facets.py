"""Per-conversation facets over scrubbed text: the request to embed, language, turns, length.

Input (the scrub stage's output)::

    conversation_id Utf8, user_id Utf8, created_at Datetime, user_turns List(Utf8),
    n_user_turns UInt32, n_assistant_turns UInt32, referral Boolean (the lens's flag,
    computed by scrub from the assistant turns, which are not passed on)

Output adds::

    request Utf8        scrubbed user turns joined (leading pure greetings skipped:
                        build_request), placeholders kept, at most
                        ``max_request_chars`` characters (cut at a word boundary)
    language Utf8       ISO 639-1 code from py3langid, "und" when the text is too short
    n_turns UInt32      user + assistant messages
    user_chars UInt32   characters of scrubbed user text (before the cut)
    turns_bucket Utf8   "1", "2-3", "4-7", "8-15", "16+" (user turns)
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import polars as pl
from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger

from chorus.core.errors import text_safe_errors
from chorus.core.rundata import RunData, required, run_data
from chorus.core.settings import FacetSettings
from chorus.core.text import is_pleasantry

log = logging.getLogger(__name__)

TURN_BUCKETS = ((1, "1"), (3, "2-3"), (7, "4-7"), (15, "8-15"))
_SPACES = re.compile(r"\s+")


def turns_bucket(n: int) -> str:
    """Bucket label of a user-turn count (see module docstring)."""
    for upper, label in TURN_BUCKETS:
        if n <= upper:
            return label
    return "16+"


def build_request(turns: list[str], max_turns: int, max_chars: int) -> str:
    """Join ``max_turns`` turns and cut at a word boundary within ``max_chars``.

    Leading turns that are blank or pure pleasantries (``is_pleasantry``: "hi", "hello, how
    are you?") are skipped, so the request starts where the topic does; when every turn
    is one, the first ``max_turns`` turns are used as they are.
    """
    start = 0
    while start < len(turns) and (not turns[start].strip() or is_pleasantry(turns[start])):
        start += 1
    if start == len(turns):
        start = 0
    text = _SPACES.sub(" ", " ".join(turns[start:start + max_turns])).strip()
    if len(text) <= max_chars:
        return text
    cut = text[:max_chars]
    space = cut.rfind(" ")
    return cut[:space] if space > max_chars // 2 else cut


@lru_cache(maxsize=4)
def _identifier(languages: tuple[str, ...]):
    from py3langid.langid import _load_identifier

    return _load_identifier(norm_probs=False, langs=list(languages) or None)


def identify_languages(texts: list[str], settings: FacetSettings) -> list[str]:
    """ISO 639-1 code per text ("und" below ``min_language_chars`` letters)."""
    ident = _identifier(tuple(settings.languages))
    out = []
    for text in texts:
        letters = sum(ch.isalpha() for ch in text)
        out.append(ident.classify(text)[0] if letters >= settings.min_language_chars else "und")
    return out


@text_safe_errors("facets")
def compute_facets(scrubbed: pl.DataFrame, settings: FacetSettings) -> pl.DataFrame:
    """Add request, language, n_turns, user_chars and turns_bucket (schema above)."""
    turns = scrubbed["user_turns"].to_list()
    requests = [build_request(t, settings.max_user_turns, settings.max_request_chars)
                for t in turns]
    user_chars = [sum(len(x) for x in t) for t in turns]
    # Placeholders such as <PERSON> are not language evidence.
    lang_texts = [re.sub(r"<[A-Z_]+>", " ", r) for r in requests]
    languages = identify_languages(lang_texts, settings)
    return scrubbed.with_columns(
        pl.Series("request", requests, dtype=pl.Utf8),
        pl.Series("language", languages, dtype=pl.Utf8),
        (pl.col("n_user_turns") + pl.col("n_assistant_turns")).cast(pl.UInt32).alias("n_turns"),
        pl.Series("user_chars", user_chars, dtype=pl.UInt32),
        pl.col("n_user_turns").map_elements(turns_bucket, return_dtype=pl.Utf8)
        .alias("turns_bucket"),
    )


# --- Prefect layer -----------------------------------------------------------------------


def facets_stage(data: RunData, settings: FacetSettings) -> dict[str, int]:
    """``data.scrubbed`` -> ``data.facets`` (drops ``scrubbed``); language counts."""
    data.facets = compute_facets(required(data.scrubbed, "scrubbed", data.run_id), settings)
    data.scrubbed = None
    return dict(data.facets.group_by("language").len().iter_rows())


@task(name="facets", cache_policy=NO_CACHE, persist_result=False)
@text_safe_errors("facets")
def facets_task(run_id: str, settings: FacetSettings) -> dict[str, int]:
    """``facets_stage`` on the run's data; returns language counts (no text)."""
    counts = facets_stage(run_data(run_id), settings)
    get_run_logger().info("facets: %d conversations, %d languages",
                          sum(counts.values()), len(counts))
    return counts
