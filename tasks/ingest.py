"""Read conversations (JSONL or Parquet), validate each record, quarantine the bad ones.

Input contract, one conversation per record::

    conversation_id: str, user_id: str, created_at: ISO-8601 str,
    messages: list[{role: "user" | "assistant", content: str}]  (non-empty)

A malformed record goes to the quarantine with its source, 1-based line (JSONL) or
0-based row (Parquet) number and a reason. Reasons are built here from field names and
types only, never from values: a quarantine row cannot quote conversation text.
The run goes on unless the quarantined share exceeds ``max_quarantine_share``.

Invalid Unicode is a per-record fault, never a run failure: a string field holding a lone
surrogate (JSON's ``\\ud800`` escape, or surrogate bytes in the line) or a NUL character
quarantines its record, and a line that is not UTF-8 is quarantined too. Nothing read
here raises an exception that could carry text: reading a Parquet file and building the
frames fail as a ``ChorusError`` with the path, counts and an exception type only.
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger

from chorus.core.errors import ChorusError, QuarantineExceeded, text_safe_errors
from chorus.core.rundata import RunData, run_data
from chorus.core.schemas import CONVERSATION_SCHEMA, QUARANTINE_SCHEMA
from chorus.core.settings import IngestSettings

log = logging.getLogger(__name__)

ROLES = ("user", "assistant")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def unicode_problem(value: str) -> str | None:
    """What makes ``value`` unfit to store ("lone surrogate", "NUL"), or None.

    A lone surrogate cannot be encoded as UTF-8 (polars, DuckDB and Prefect's logs fail
    on it, quoting the text); a NUL truncates C strings downstream. The answer names the
    fault, never the value.
    """
    if _SURROGATE.search(value):
        return "lone surrogate"
    if "\x00" in value:
        return "NUL"
    return None


def _invalid_unicode(field: str, value: Any) -> str | None:
    problem = unicode_problem(value) if isinstance(value, str) else None
    return f"{field} holds invalid Unicode ({problem})" if problem else None


@dataclass(frozen=True)
class IngestResult:
    """Accepted conversations (CONVERSATION_SCHEMA) and quarantine rows (QUARANTINE_SCHEMA)."""

    conversations: pl.DataFrame
    quarantine: pl.DataFrame

    @property
    def n_read(self) -> int:
        return self.conversations.height + self.quarantine.height


def _parse_time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def validate_record(record: Any, max_message_chars: int) -> tuple[dict | None, str | None]:
    """Check one record against the contract.

    Returns:
        ``(clean_record, None)`` when valid, else ``(None, reason)``; the reason names
        fields and types, never values.
    """
    if not isinstance(record, dict):
        return None, f"record is {type(record).__name__}, not an object"
    for key in ("conversation_id", "user_id"):
        value = record.get(key)
        if value is None:
            return None, f"missing field {key!r}"
        if not isinstance(value, str) or not value.strip():
            return None, f"field {key!r} must be a non-empty string"
        if bad := _invalid_unicode(key, value):
            return None, bad
    if "created_at" not in record or record["created_at"] is None:
        return None, "missing field 'created_at'"
    if bad := _invalid_unicode("created_at", record["created_at"]):
        return None, bad
    created = _parse_time(record["created_at"])
    if created is None:
        return None, "field 'created_at' is not an ISO-8601 timestamp"
    messages = record.get("messages")
    if messages is None:
        return None, "missing field 'messages'"
    if not isinstance(messages, list):
        return None, "field 'messages' must be a list"
    if not messages:
        return None, "field 'messages' is empty"
    clean_messages = []
    for i, message in enumerate(messages):
        if not isinstance(message, dict):
            return None, f"messages[{i}] is not an object"
        role, content = message.get("role"), message.get("content")
        if bad := _invalid_unicode(f"messages[{i}].role", role):
            return None, bad
        if role not in ROLES:
            return None, f"messages[{i}].role must be 'user' or 'assistant'"
        if not isinstance(content, str):
            return None, f"messages[{i}].content must be a string"
        if bad := _invalid_unicode(f"messages[{i}].content", content):
            return None, bad
        if len(content) > max_message_chars:
            return None, f"messages[{i}].content longer than {max_message_chars} characters"
        clean_messages.append({"role": role, "content": content})
    if not any(m["role"] == "user" for m in clean_messages):
        return None, "no message with role 'user'"
    return {
        "conversation_id": record["conversation_id"],
        "user_id": record["user_id"],
        "created_at": created.astimezone(UTC),
        "messages": clean_messages,
    }, None


def _iter_jsonl(path: Path):
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            # Each outcome is decided inside the handler and yielded after it, so the
            # exception (whose .doc/.object is the line) is gone before the record moves on.
            # Surrogate bytes (ED A0 80) decode to lone surrogates here (json decodes bytes
            # with "surrogatepass"): validate_record quarantines those.
            record, reason = None, None
            try:
                record = json.loads(raw)
            except UnicodeDecodeError:
                reason = "line is not valid UTF-8"
            except json.JSONDecodeError as exc:
                # exc.msg is a fixed phrase such as "Expecting value"; never exc.doc.
                reason = f"invalid JSON ({exc.msg} at column {exc.colno})"
            except RecursionError:
                reason = "invalid JSON (nested too deeply)"
            yield number, record, reason


def _iter_parquet(path: Path):
    failure = None
    try:
        frame = pl.read_parquet(path)
    except (Exception, pl.exceptions.PanicException) as exc:  # noqa: BLE001 - re-raised below
        failure = type(exc).__name__
    if failure is not None:
        # Raised outside the handler: no __context__ holding the reader's message.
        raise ChorusError(f"could not read Parquet file {_source(path)} ({failure})")
    for number, row in enumerate(frame.iter_rows(named=True)):
        yield number, row, None


def _source(path: Path) -> str:
    """The path as valid UTF-8 text (an undecodable file name would break the frame)."""
    return os.fsencode(path).decode("utf-8", "replace")


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


def read_conversations(paths: list[Path], settings: IngestSettings) -> IngestResult:
    """Read, validate and split input records.

    Args:
        paths: JSONL (``.jsonl``/``.json``/``.ndjson``) or Parquet files.
        settings: ingest settings.

    Returns:
        IngestResult with accepted conversations and quarantine rows. A repeated
        ``conversation_id`` is quarantined (the first occurrence is kept).

    Raises:
        ChorusError: a path is missing or of an unknown type.
        QuarantineExceeded: quarantined share above ``settings.max_quarantine_share``.
    """
    accepted: list[dict] = []
    quarantined: list[dict] = []
    seen: set[str] = set()
    for path in paths:
        path = Path(path)
        source = _source(path)
        if not path.exists():
            raise ChorusError(f"input file not found: {path}")
        suffix = path.suffix.lower()
        if suffix in (".jsonl", ".json", ".ndjson"):
            records = _iter_jsonl(path)
        elif suffix == ".parquet":
            records = _iter_parquet(path)
        else:
            raise ChorusError(f"unknown input type {suffix!r} for {path} (use .jsonl or .parquet)")
        for number, record, reason in records:
            clean = None
            if reason is None:
                clean, reason = validate_record(record, settings.max_message_chars)
            if clean is not None and clean["conversation_id"] in seen:
                clean, reason = None, "duplicate conversation_id"
            if clean is None:
                quarantined.append({"source": source, "record": number, "reason": reason})
            else:
                seen.add(clean["conversation_id"])
                accepted.append(clean)

    result = IngestResult(
        conversations=build_frame(accepted, CONVERSATION_SCHEMA, "accepted conversations"),
        quarantine=build_frame(quarantined, QUARANTINE_SCHEMA, "quarantine"),
    )
    check_quarantine_share(result, settings.max_quarantine_share)
    log.info("read %d records: %d accepted, %d quarantined",
             result.n_read, result.conversations.height, result.quarantine.height)
    return result


def check_quarantine_share(result: IngestResult, bound: float) -> None:
    """Raise QuarantineExceeded when the quarantined share is above ``bound``."""
    if result.n_read == 0:
        raise ChorusError("input holds no records")
    share = result.quarantine.height / result.n_read
    if share > bound:
        top = (result.quarantine.group_by("reason").len().sort("len", descending=True)
               .head(3).iter_rows())
        reasons = "; ".join(f"{n} x {r}" for r, n in top)
        raise QuarantineExceeded(
            f"{result.quarantine.height} of {result.n_read} records quarantined "
            f"({share:.1%} > bound {bound:.1%}); most common: {reasons}"
        )


# --- Prefect layer -----------------------------------------------------------------------


def _retry_on_io(task_obj, task_run, state) -> bool:
    """Retry only transient I/O failures, never a bad input or a quarantine breach."""
    try:
        state.result()
    except OSError:
        return True
    except Exception:  # noqa: BLE001
        return False
    return False


def ingest_stage(data: RunData, paths: list[str], settings: IngestSettings) -> dict[str, int]:
    """Input files -> ``data.raw`` (raw text, memory only) and ``data.quarantine``; counts."""
    result = read_conversations([Path(p) for p in paths], settings)
    data.raw, data.quarantine = result.conversations, result.quarantine
    return {"read": result.n_read, "accepted": result.conversations.height,
            "quarantined": result.quarantine.height}


@task(name="ingest", cache_policy=NO_CACHE, persist_result=False, retries=2,
      retry_delay_seconds=2, retry_condition_fn=_retry_on_io)
@text_safe_errors("ingest", passthrough=(OSError,))
def ingest_task(run_id: str, paths: list[str], settings: IngestSettings) -> dict[str, int]:
    """``ingest_stage`` on the run's data; returns counts only."""
    counts = ingest_stage(run_data(run_id), paths, settings)
    get_run_logger().info("ingest: read %d, accepted %d, quarantined %d",
                          counts["read"], counts["accepted"], counts["quarantined"])
    return counts
