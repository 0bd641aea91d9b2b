"""Read the input files, split records into accepted and quarantined, check the bound.

``read_inputs`` reads every file (after ``preflight_inputs``) and validates each record
(``records.validate_record``); ``check_quarantine_share`` then decides whether the run
may go on. They are separate so that the stage can keep the quarantine rows (no text:
source, record number, reason) for the failed run's warehouse row before it raises.

Counts reconcile: ``n_read`` = accepted + quarantined; blank lines are counted apart
(``n_blank``) and are neither.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl

from chorus.core.chunks import ChunkRef
from chorus.core.errors import ChorusError, QuarantineExceeded
from chorus.core.schemas import CONVERSATION_SCHEMA, QUARANTINE_SCHEMA
from chorus.core.settings import IngestSettings
from tasks.ingest.preflight import preflight_inputs
from tasks.ingest.readers import (
    READERS,
    Tally,
    Triple,
    iter_jsonl_range,
    iter_parquet,
    source_name,
)
from tasks.ingest.records import validate_record

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IngestResult:
    """Accepted conversations (CONVERSATION_SCHEMA) and quarantine rows (QUARANTINE_SCHEMA).

    Attributes:
        n_blank: blank lines skipped (not records).
        n_empty_messages: messages without content dropped from accepted records.
        records: per accepted conversation, its record number (line or row).
        empty_per_record: per accepted conversation, its messages dropped as empty.
    """

    conversations: pl.DataFrame
    quarantine: pl.DataFrame
    n_blank: int = 0
    n_empty_messages: int = 0
    records: list[int] = field(default_factory=list)
    empty_per_record: list[int] = field(default_factory=list)

    @property
    def n_read(self) -> int:
        return self.conversations.height + self.quarantine.height


def build_frame(rows: list[dict], schema: dict, what: str) -> pl.DataFrame:
    """``pl.DataFrame(rows, schema=schema)``, failing without text.

    Raises:
        ChorusError: the frame could not be built; the message holds ``what``, the row
            count and the exception type, and the original exception (which may quote a
            value, as a UnicodeEncodeError does) is not chained.
    """
    failure = None
    try:
        return pl.DataFrame(rows, schema=schema)
    except (Exception, pl.exceptions.PanicException) as exc:  # noqa: BLE001 - re-raised below
        failure = type(exc).__name__
    raise ChorusError(f"could not build the {what} frame from {len(rows)} records "
                      f"({failure}; message withheld because it may quote text)")


def read_inputs(paths: Sequence[Path | str], settings: IngestSettings,
                now: datetime | None = None) -> IngestResult:
    """Read, validate and split input records; no bound is checked here.

    Args:
        paths: JSONL (``.jsonl``/``.json``/``.ndjson``) or Parquet files.
        settings: ingest settings.
        now: the run's start (default: the current time); a ``created_at`` later than
            ``now + settings.max_future_hours`` is quarantined.

    Returns:
        IngestResult with accepted conversations and quarantine rows. A repeated
        ``conversation_id`` is quarantined (the first occurrence is kept).

    Raises:
        ChorusError: an input fails ``preflight_inputs`` (path, type, emptiness, schema),
            or a Parquet file cannot be read or converted.
    """
    files = preflight_inputs(paths)
    not_after = (now or datetime.now(UTC)) + timedelta(hours=settings.max_future_hours)
    tally = Tally()
    result = split_records(((source_name(item.path), READERS[item.kind](item.path, tally))
                            for item in files), settings, not_after, tally)
    log.info("read %d records: %d accepted, %d quarantined; %d blank lines, %d empty "
             "messages dropped", result.n_read, result.conversations.height,
             result.quarantine.height, result.n_blank, result.n_empty_messages)
    return result


def split_records(sources: Iterable[tuple[str, Iterable[Triple]]], settings: IngestSettings,
                  not_after: datetime | None, tally: Tally) -> IngestResult:
    """Validate numbered records (``readers`` triples, per source) into accepted
    conversations and quarantine rows; a repeated ``conversation_id`` is quarantined
    (the first occurrence is kept). ``tally`` is the readers' (blank lines)."""
    accepted: list[dict] = []
    numbers: list[int] = []
    quarantined: list[dict] = []
    seen: set[str] = set()
    n_empty: list[int] = []
    for source, triples in sources:
        for number, record, reason in triples:
            clean = None
            if reason is None:
                clean, reason = validate_record(record, settings.max_message_chars, not_after)
            if clean is not None and clean["conversation_id"] in seen:
                clean, reason = None, "duplicate conversation_id"
            if clean is None:
                quarantined.append({"source": source, "record": number, "reason": reason})
            else:
                seen.add(clean["conversation_id"])
                n_empty.append(len(record["messages"]) - len(clean["messages"]))
                numbers.append(number)
                accepted.append(clean)
    return IngestResult(
        conversations=build_frame(accepted, CONVERSATION_SCHEMA, "accepted conversations"),
        quarantine=build_frame(quarantined, QUARANTINE_SCHEMA, "quarantine"),
        n_blank=tally.n_blank, n_empty_messages=sum(n_empty),
        records=numbers, empty_per_record=n_empty,
    )


def read_chunk(ref: ChunkRef, settings: IngestSettings, not_after: datetime | None
               ) -> IngestResult:
    """Read and validate one chunk's records (``chorus.core.chunks.ChunkRef``): the chunk
    task reads its own byte or row range; no bound is checked here (the run checks it
    over all chunks). Duplicates are found within the chunk only; across chunks the
    global phase keeps the first (``chorus.core.chunk_store.gather``).

    Raises:
        ChorusError: the file changed since it was planned (its size no longer covers the
            range), or a Parquet range cannot be read.
    """
    path = Path(ref.path)
    tally = Tally()
    if ref.kind == "jsonl":
        if path.stat().st_size < ref.stop:
            raise ChorusError(f"input file {source_name(path)} is shorter than when its "
                              f"chunks were planned (chunk {ref.index})")
        triples = iter_jsonl_range(path, ref.start, ref.stop, ref.first_record, tally)
    else:
        triples = iter_parquet(path, tally, ref.start, ref.stop)
    return split_records([(source_name(path), triples)], settings, not_after, tally)


def check_quarantine_share(result: IngestResult, bound: float) -> None:
    """Raise when the input holds no records, or the quarantined share is above ``bound``.

    Raises:
        ChorusError: no records (blank lines only).
        QuarantineExceeded: the share is above ``bound``; the message gives the counts and
            the three most common reasons (which hold no text).
    """
    check_share(result.n_read, result.quarantine, result.n_blank, bound)


def check_share(n_read: int, quarantine: pl.DataFrame, n_blank: int, bound: float) -> None:
    """``check_quarantine_share`` on counts: ``n_read`` records, ``quarantine`` rows (over
    every chunk of a chunked run), ``n_blank`` blank lines."""
    if n_read == 0:
        raise ChorusError(f"input holds no records ({n_blank} blank lines)")
    share = quarantine.height / n_read
    if share > bound:
        top = (quarantine.group_by("reason").len()
               .sort(["len", "reason"], descending=[True, False]).head(3).iter_rows())
        reasons = "; ".join(f"{n} x {r}" for r, n in top)
        raise QuarantineExceeded(
            f"{quarantine.height} of {n_read} records quarantined "
            f"({share:.1%} > bound {bound:.1%}); most common: {reasons}"
        )


def read_conversations(paths: Sequence[Path | str], settings: IngestSettings,
                       now: datetime | None = None) -> IngestResult:
    """``read_inputs`` then ``check_quarantine_share``: the result of a run that may go on.

    Raises:
        ChorusError: as ``read_inputs``, or the input holds no records.
        QuarantineExceeded: quarantined share above ``settings.max_quarantine_share``.
    """
    result = read_inputs(paths, settings, now)
    check_quarantine_share(result, settings.max_quarantine_share)
    return result
