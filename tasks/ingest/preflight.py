"""Checks of the input files before anything is read: paths, types, emptiness, schema.

``preflight_inputs`` is cheap (a stat, the first bytes of a JSONL file, a Parquet
footer) and is called twice: by ``chorus run`` before the orchestrator starts, so a bad
path fails in a second rather than after Prefect's start-up, and by the ingest stage
itself (``read_inputs``), so a flow called directly fails the same way. Every failure is
a one-line ``ChorusError`` naming the path and what is wrong with it (kinds, types,
counts), never file contents.

Whole-file faults fail the run; faults of single records are quarantined later:

* missing path, a directory or other non-regular file, a file that cannot be opened;
* a suffix other than ``.jsonl``/``.json``/``.ndjson`` or ``.parquet``;
* a 0-byte file, a JSONL file of blank lines only, a Parquet file with no rows (or no
  row groups) or whose footer cannot be read;
* a Parquet file whose columns or column types do not fit the contract (a column of
  nulls only is let through: its records are quarantined one by one, with their rows).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import polars as pl
import pyarrow.parquet as pq

from chorus.core.errors import ChorusError
from tasks.ingest.readers import source_name

Kind = Literal["jsonl", "parquet"]
SUFFIXES: dict[str, Kind] = {".jsonl": "jsonl", ".json": "jsonl", ".ndjson": "jsonl",
                             ".parquet": "parquet"}
_CHUNK = 1 << 16
_TEXT = (pl.String, pl.Categorical, pl.Enum, pl.Null)
_WHITESPACE = b" \t\r\n\x0b\x0c"


@dataclass(frozen=True)
class InputFile:
    """One checked input file: its kind, size and (Parquet) row count."""

    path: Path
    kind: Kind
    n_bytes: int
    n_rows: int | None = None


def _is_text(dtype: object) -> bool:
    return isinstance(dtype, _TEXT)


def _fits(name: str, dtype: pl.DataType) -> bool:
    if isinstance(dtype, pl.Null):
        return True
    if name in ("conversation_id", "user_id"):
        return _is_text(dtype)
    if name == "created_at":
        return isinstance(dtype, pl.String | pl.Datetime)
    # messages: List(Struct{role: text, content: text, ...})
    inner = dtype.inner if isinstance(dtype, pl.List) else None
    if isinstance(inner, pl.Null):
        return True
    if not isinstance(inner, pl.Struct):
        return False
    fields = {f.name: f.dtype for f in inner.fields}
    return all(key in fields and _is_text(fields[key]) for key in ("role", "content"))


WANTED = {"conversation_id": "String", "user_id": "String",
          "created_at": "String (ISO-8601) or Datetime",
          "messages": "List(Struct{role: String, content: String})"}


def check_parquet_schema(schema: dict[str, pl.DataType], source: str) -> None:
    """Raise ``ChorusError`` unless the columns and their types fit the contract."""
    missing = [name for name in WANTED if name not in schema]
    if missing:
        raise ChorusError(f"Parquet file {source} lacks the column(s) {missing} of the "
                          "input contract")
    for name, wanted in WANTED.items():
        if not _fits(name, schema[name]):
            raise ChorusError(f"Parquet file {source}: column {name!r} is {schema[name]}, "
                              f"the input contract wants {wanted}")


def _check_parquet(path: Path, source: str) -> int:
    failure = None
    try:
        meta = pq.read_metadata(path)
        n_rows, n_groups = meta.num_rows, meta.num_row_groups
        schema = dict(pl.read_parquet_schema(path))
    except (Exception, pl.exceptions.PanicException) as exc:  # noqa: BLE001 - re-raised below
        failure = type(exc).__name__
    if failure is not None:
        # Raised outside the handler: the reader's message is not even __context__.
        raise ChorusError(f"could not read Parquet file {source} ({failure}; is it a "
                          "complete Parquet file?)")
    if n_groups == 0 or n_rows == 0:
        raise ChorusError(f"Parquet file {source} holds no rows ({n_groups} row groups)")
    check_parquet_schema(schema, source)
    return n_rows


def _check_jsonl(path: Path, source: str) -> None:
    with path.open("rb") as handle:
        first = True
        while chunk := handle.read(_CHUNK):
            if first:
                chunk, first = chunk.removeprefix(b"\xef\xbb\xbf"), False
            if chunk.strip(_WHITESPACE):
                return
    raise ChorusError(f"input file {source} holds only blank lines")


def check_input(path: Path | str) -> InputFile:
    """Check one input file (see the module docstring); its ``InputFile`` when fit.

    Raises:
        ChorusError: the one-line reason the file cannot be ingested.
    """
    path = Path(path)
    source = source_name(path)
    if not path.exists():
        raise ChorusError(f"input file not found: {source}")
    if path.is_dir():
        raise ChorusError(f"input path {source} is a directory, not a file")
    if not path.is_file():
        raise ChorusError(f"input path {source} is not a regular file")
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise ChorusError(f"unknown input type {path.suffix.lower()!r} for {source} "
                          "(use .jsonl, .json, .ndjson or .parquet)")
    reason = None
    try:
        n_bytes = path.stat().st_size
        with path.open("rb"):
            pass
    except OSError as exc:
        reason = type(exc).__name__
    if reason is not None:
        raise ChorusError(f"cannot read input file {source} ({reason})")
    if n_bytes == 0:
        raise ChorusError(f"input file {source} is empty (0 bytes)")
    if kind == "parquet":
        return InputFile(path, kind, n_bytes, _check_parquet(path, source))
    _check_jsonl(path, source)
    return InputFile(path, kind, n_bytes)


def preflight_inputs(paths: Iterable[Path | str]) -> list[InputFile]:
    """``check_input`` on each path, in order, and no path twice.

    Raises:
        ChorusError: no path is given, one is listed twice, or one fails ``check_input``.
    """
    checked: list[InputFile] = []
    seen: set[Path] = set()
    for path in paths:
        item = check_input(path)
        resolved = item.path.resolve()
        if resolved in seen:
            raise ChorusError(f"input file {source_name(item.path)} is listed twice")
        seen.add(resolved)
        checked.append(item)
    if not checked:
        raise ChorusError("no input files given")
    return checked
