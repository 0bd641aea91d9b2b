"""One record against the input contract: accepted (cleaned) or a reason to quarantine it.

Input contract, one conversation per record::

    conversation_id: str, user_id: str, created_at: ISO-8601 str (or a datetime),
    messages: list[{role: "user" | "assistant", content: str}]  (non-empty)

Extra fields are allowed and dropped. Reasons are built here from field names, types and
settings only, never from values: a quarantine row cannot quote conversation text.

Rules beyond the types, and why:

* A string field holding a lone surrogate or a NUL quarantines its record
  (``unicode_problem``): downstream encoders fail on them, quoting the text.
* A message longer than ``max_message_chars`` quarantines its record; that setting is
  bounded below spaCy's limit, so scrub can take every accepted message.
* A message whose content is empty or only whitespace is dropped from the record: it
  carries nothing to scrub or embed, and counting it would inflate the turn counts. A
  record left with no user message that has content is quarantined ("no user message
  with content"): a conversation without a request can never be clustered meaningfully.
* A ``created_at`` later than ``not_after`` (the run's start plus
  ``ingest.max_future_hours``) is quarantined: a clock or export fault, not a real time.
* A ``created_at`` outside the calendar (year 1-9999 after its UTC offset) is quarantined.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

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


def parse_time(value: Any) -> datetime | None:
    """``value`` (ISO-8601 text or a datetime) as an aware UTC datetime, or None.

    A naive time is read as UTC. None when it is not a time, or when it lies outside
    year 1-9999 once converted to UTC (``0001-01-01T00:00+05:00``).
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def _check_id(record: dict, key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return f"missing field {key!r}"
    if not isinstance(value, str) or not value.strip():
        return f"field {key!r} must be a non-empty string"
    return _invalid_unicode(key, value)


def _check_message(i: int, message: Any, max_message_chars: int) -> str | None:
    if not isinstance(message, dict):
        return f"messages[{i}] is not an object"
    role, content = message.get("role"), message.get("content")
    if bad := _invalid_unicode(f"messages[{i}].role", role):
        return bad
    if role not in ROLES:
        return f"messages[{i}].role must be 'user' or 'assistant'"
    if not isinstance(content, str):
        return f"messages[{i}].content must be a string"
    if bad := _invalid_unicode(f"messages[{i}].content", content):
        return bad
    if len(content) > max_message_chars:
        return (f"messages[{i}].content is longer than {max_message_chars} characters "
                "(ingest.max_message_chars)")
    return None


def validate_record(record: Any, max_message_chars: int,
                    not_after: datetime | None = None) -> tuple[dict | None, str | None]:
    """Check one record against the contract (see the module docstring).

    Args:
        record: one decoded JSON value or Parquet row.
        max_message_chars: the longest message accepted.
        not_after: the latest ``created_at`` accepted (aware); None: no future check.

    Returns:
        ``(clean_record, None)`` when valid, else ``(None, reason)``. The clean record has
        exactly the contract's fields, ``created_at`` an aware UTC datetime and only the
        messages with content. The reason names fields and types, never values.
    """
    if not isinstance(record, dict):
        return None, f"record is {type(record).__name__}, not an object"
    for key in ("conversation_id", "user_id"):
        if bad := _check_id(record, key):
            return None, bad
    if record.get("created_at") is None:
        return None, "missing field 'created_at'"
    if bad := _invalid_unicode("created_at", record["created_at"]):
        return None, bad
    created = parse_time(record["created_at"])
    if created is None:
        return None, "field 'created_at' is not an ISO-8601 timestamp"
    if not_after is not None and created > not_after:
        return None, "created_at is in the future (beyond ingest.max_future_hours)"
    messages = record.get("messages")
    if messages is None:
        return None, "missing field 'messages'"
    if not isinstance(messages, list):
        return None, "field 'messages' must be a list"
    if not messages:
        return None, "field 'messages' is empty"
    for i, message in enumerate(messages):
        if bad := _check_message(i, message, max_message_chars):
            return None, bad
    if not any(m["role"] == "user" for m in messages):
        return None, "no message with role 'user'"
    kept = [{"role": m["role"], "content": m["content"]} for m in messages
            if m["content"].strip()]
    if not any(m["role"] == "user" for m in kept):
        return None, "no user message with content"
    return {
        "conversation_id": record["conversation_id"],
        "user_id": record["user_id"],
        "created_at": created,
        "messages": kept,
    }, None
