"""Readers: a JSONL or Parquet file as ``(number, record, reason)`` triples.

``number`` is the 1-based line (JSONL) or 0-based row (Parquet); ``reason`` is set when
the line could not even be decoded (then ``record`` is None). Nothing here raises an
exception that could carry text: a decoding fault becomes a reason built from a fixed
phrase, and a Parquet file that cannot be read fails as a ``ChorusError`` with the path
and the exception type only.

JSONL lines are decoded as UTF-8 (the contract), with surrogate bytes passed through so
that ``validate_record`` can quarantine them by field; a UTF-8 byte-order mark before the
first line is skipped. A line of whitespace only is blank: counted in ``Tally.n_blank``,
neither read nor quarantined.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from chorus.core.chunks import source_name
from chorus.core.errors import ChorusError

Triple = tuple[int, Any, str | None]
_BOM = "\ufeff"


@dataclass
class Tally:
    """What a reader saw besides records."""

    n_blank: int = 0


# The decoder's phrases (CPython's C scanner and the Python one). A phrase is matched by
# its start: the Python scanner appends the offending character to some ("Invalid
# \\escape: 'q'"), and that character is input, so only the fixed start is kept.
JSON_PHRASES = (
    "Expecting value", "Expecting ',' delimiter", "Expecting ':' delimiter",
    "Expecting property name enclosed in double quotes", "Extra data",
    "Invalid control character", "Unterminated string starting", "Invalid \\escape",
    "Invalid \\uXXXX escape", "Unexpected UTF-8 BOM", "Illegal trailing comma",
)


def json_error_reason(exc: json.JSONDecodeError) -> str:
    """``invalid JSON (<fixed phrase> at column N)``, never quoting the line.

    The phrase is the first of ``JSON_PHRASES`` that ``exc.msg`` starts with ("malformed"
    for none), so a message that ends in "at" ("Unterminated string starting at") is not
    followed by a second "at", and no character of the input can come along.
    """
    phrase = next((p for p in JSON_PHRASES if exc.msg.startswith(p)), "malformed")
    return f"invalid JSON ({phrase} at column {exc.colno})"


def decode_line(raw: bytes, first: bool) -> tuple[Any, str | None]:
    """One JSONL line -> ``(value, None)`` or ``(None, reason)``."""
    # Each outcome is decided inside a handler and returned after it, so the exception
    # (whose .doc/.object is the line) is gone before the record moves on.
    try:
        text = raw.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return None, "line is not valid UTF-8"
    if first:
        text = text.removeprefix(_BOM)
    reason = None
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        reason = json_error_reason(exc)
    except RecursionError:
        reason = "invalid JSON (nested too deeply)"
    except ValueError:  # an integer of more than sys.get_int_max_str_digits() digits
        reason = "invalid JSON (number too long)"
    return None, reason


def _jsonl_lines(lines: Iterable[bytes], first_number: int, tally: Tally) -> Iterator[Triple]:
    for number, raw in enumerate(lines, start=first_number):
        if not raw.strip() or (number == 1 and not raw.removeprefix(_BOM.encode()).strip()):
            tally.n_blank += 1
            continue
        record, reason = decode_line(raw, number == 1)
        yield number, record, reason


def iter_jsonl(path: Path, tally: Tally) -> Iterator[Triple]:
    """The records of a JSONL file; blank lines are counted in ``tally``."""
    with path.open("rb") as handle:
        yield from _jsonl_lines(handle, 1, tally)


def iter_jsonl_range(path: Path, start: int, stop: int, first_line: int,
                     tally: Tally) -> Iterator[Triple]:
    """The records of bytes ``[start, stop)`` of a JSONL file (cut at line ends, see
    ``chorus.core.chunks``), numbered from ``first_line``; the byte-order mark rule
    applies to line 1 only."""
    with path.open("rb") as handle:
        handle.seek(start)
        blob = handle.read(stop - start)
    lines = blob.split(b"\n")  # as iterating a file does: on LF only
    if lines and not lines[-1]:
        lines.pop()
    yield from _jsonl_lines(lines, first_line, tally)


def contract_projection(frame: pl.DataFrame) -> pl.DataFrame:
    """The contract's columns only, in a form every row converts to Python from.

    ``created_at`` of a Datetime type becomes ISO-8601 text in UTC (a year past 9999 would
    otherwise fail the conversion; as text its record is quarantined), and each message
    keeps ``role`` and ``content`` only (an extra field of any type is dropped unread).
    Assumes ``preflight.check_parquet_schema`` passed.
    """
    exprs: list[pl.Expr] = [pl.col("conversation_id"), pl.col("user_id")]
    created = frame.schema["created_at"]
    if isinstance(created, pl.Datetime):
        column = pl.col("created_at")
        if created.time_zone is not None:
            column = column.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
        exprs.append(column.dt.strftime("%Y-%m-%dT%H:%M:%S%.6f+00:00").alias("created_at"))
    else:
        exprs.append(pl.col("created_at"))
    if isinstance(frame.schema["messages"], pl.List):
        element = pl.element().struct
        exprs.append(pl.col("messages").list.eval(
            pl.struct(element.field("role"), element.field("content"))))
    else:
        exprs.append(pl.col("messages"))
    return frame.select(exprs)


def iter_parquet(path: Path, tally: Tally, start: int = 0,
                 stop: int | None = None) -> Iterator[Triple]:
    """The rows ``[start, stop)`` of a Parquet file (``contract_projection``), as dicts,
    numbered from ``start`` (0-based rows)."""
    failure = None
    try:
        lazy = pl.scan_parquet(path)
        if start or stop is not None:
            lazy = lazy.slice(start, None if stop is None else stop - start)
        rows = contract_projection(lazy.collect()).iter_rows(named=True)
    except (Exception, pl.exceptions.PanicException) as exc:  # noqa: BLE001 - re-raised below
        failure = type(exc).__name__
    if failure is not None:
        # Raised outside the handler: no __context__ holding the reader's message.
        raise ChorusError(f"could not read Parquet file {source_name(path)} ({failure})")
    number = start
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except (Exception, pl.exceptions.PanicException) as exc:  # noqa: BLE001 - below
            failure = type(exc).__name__
        if failure is not None:
            raise ChorusError(f"could not convert row {number} of Parquet file "
                              f"{source_name(path)} ({failure})")
        yield number, row, None
        number += 1


READERS = {"jsonl": iter_jsonl, "parquet": iter_parquet}
