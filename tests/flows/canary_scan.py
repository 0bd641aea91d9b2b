"""A decoding canary scanner for everything Prefect (and a run) wrote.

Scanning raw bytes misses a canary that Prefect stored encoded: a pickled exception,
base64-encoded inside a JSON result record under ``$PREFECT_HOME/storage``, or a
log message in a SQLite page that is compressed or not yet checkpointed. So for every
file this module scans, besides the raw bytes:

* base64 decodings: of the whole file and of every base64-looking run of 40+ characters;
* decompressions (zlib, gzip, bz2, lzma) of what it holds or decoded;
* ``cloudpickle``/``pickle`` loads of the raw and decoded bytes: the ``repr`` and every
  string reachable from the loaded object (exception args, ``__dict__``, causes);
* JSON parses: every string value, itself decoded the same way;
* for a SQLite database (Prefect's API), every value of every column of every table, read
  through SQL so the write-ahead log counts too (the ``log`` and state tables especially);
* for a DuckDB database (warehouse, private store), which compresses strings on disk,
  every text and list column of every table, read through SQL;
* for a Parquet file (the private chunk store), every non-float column, read back.

Matching is case-insensitive. A hit is reported as ``"<file>: <how it was decoded>"``.
"""

from __future__ import annotations

import base64
import binascii
import bz2
import gzip
import json
import logging
import lzma
import pickle
import re
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import cloudpickle
import duckdb

SQLITE_MAGIC = b"SQLite format 3\x00"
DUCKDB_MAGIC = b"DUCK"  # at offset 8
B64_RUN = re.compile(rb"[A-Za-z0-9+/_-]{40,}={0,2}")
MAX_DEPTH = 4


def flush_prefect_logs() -> None:
    """Send Prefect's queued API log records now, so the database holds them all."""
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=10)


def _b64(chunk: bytes) -> bytes | None:
    """``chunk`` decoded when all of it is base64 (standard or URL-safe, padding optional)."""
    chunk = re.sub(rb"\s+", b"", chunk).translate(bytes.maketrans(b"-_", b"+/"))
    if len(chunk) < 16:
        return None
    try:
        return base64.b64decode(chunk + b"=" * (-len(chunk) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None


def _decompressions(blob: bytes) -> Iterator[tuple[str, bytes]]:
    for name, fn in (("zlib", zlib.decompress), ("gzip", gzip.decompress),
                     ("bz2", bz2.decompress), ("lzma", lzma.decompress)):
        try:
            yield name, fn(blob)
        except Exception:  # noqa: BLE001 - not that format
            continue


def _strings_of(obj: Any, depth: int = 0, seen: set[int] | None = None) -> Iterator[str]:
    """Every string reachable from a loaded object (bounded), plus reprs on the way."""
    seen = set() if seen is None else seen
    if depth > 8 or id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, str):
        yield obj
        return
    if isinstance(obj, bytes | bytearray):
        yield bytes(obj).decode("utf-8", "replace")
        return
    try:
        yield repr(obj)
    except Exception:  # noqa: BLE001 - a broken repr hides nothing we cannot walk
        pass
    children: Iterable[Any] = ()
    if isinstance(obj, dict):
        children = [*obj.keys(), *obj.values()]
    elif isinstance(obj, list | tuple | set | frozenset):
        children = list(obj)
    elif isinstance(obj, BaseException):
        children = [*obj.args, obj.__cause__, obj.__context__,
                    *(getattr(obj, "__dict__", {}) or {}).values()]
        if isinstance(obj, UnicodeError):
            children = [*children, getattr(obj, "object", None)]
    elif hasattr(obj, "__dict__"):
        try:
            children = list(vars(obj).values())
        except TypeError:
            children = ()
    for child in children:
        if child is not None:
            yield from _strings_of(child, depth + 1, seen)


def _unpickled(blob: bytes) -> Iterator[Any]:
    """What a pickle (protocol 2+, as cloudpickle writes) loads to; only files this test
    session's own run wrote are ever loaded here."""
    if not blob.startswith(b"\x80"):
        return
    for loads in (cloudpickle.loads, pickle.loads):
        try:
            yield loads(blob)
            return
        except Exception:  # noqa: BLE001 - not a pickle (or an unimportable class)
            continue


def scan_blob(blob: bytes, needles: list[bytes], where: str, depth: int = 0) -> list[str]:
    """Hits of lower-cased ``needles`` in ``blob`` and in everything decoded from it."""
    lowered = blob.lower()
    hits = [f"{where}: {n.decode(errors='replace')}" for n in needles if n in lowered]
    if depth >= MAX_DEPTH or not blob:
        return hits
    decoded: list[tuple[str, bytes]] = []
    whole = _b64(blob)
    if whole:
        decoded.append(("base64", whole))
    for match in B64_RUN.finditer(blob):
        if match.group() != blob.strip():
            part = _b64(match.group())
            if part:
                decoded.append(("base64-run", part))
    decoded += list(_decompressions(blob))
    for how, inner in decoded:
        hits += scan_blob(inner, needles, f"{where} > {how}", depth + 1)
    for obj in _unpickled(blob):
        text = "\n".join(_strings_of(obj)).lower().encode("utf-8", "replace")
        hits += [f"{where} > pickle: {n.decode(errors='replace')}" for n in needles if n in text]
    if blob.lstrip()[:1] in (b"{", b"["):
        try:
            parsed = json.loads(blob)
        except (ValueError, UnicodeDecodeError):
            parsed = None
        if parsed is not None:
            for s in _strings_of(parsed):
                if not s.startswith(("{", "[")):  # reprs of containers: already scanned
                    hits += scan_blob(s.encode("utf-8", "surrogatepass"), needles,
                                      f"{where} > json", depth + 1)
    return hits


def scan_sqlite(path: Path, needles: list[bytes]) -> list[str]:
    """Hits in every value of every column of every table of a SQLite database."""
    hits: list[str] = []
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    con.text_factory = bytes  # values as stored, whatever their encoding
    try:
        tables = [r[0].decode() for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            cursor = con.execute(f'SELECT * FROM "{table}"')
            columns = [d[0] for d in cursor.description]
            for row in cursor:
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, bytes | str):
                        blob = value if isinstance(value, bytes) else value.encode()
                        hits += scan_blob(blob, needles, f"{path}:{table}.{column}")
    finally:
        con.close()
    return hits


def files_under(*roots: Path | None) -> list[Path]:
    return sorted({p for root in roots if root and root.exists()
                   for p in ([root] if root.is_file() else root.rglob("*")) if p.is_file()})


def duckdb_strings(path: Path) -> list[str]:
    """Every non-null value of every text, JSON, BLOB, list or struct column, as text."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        cols = con.sql("SELECT table_schema, table_name, column_name FROM "
                       "information_schema.columns WHERE data_type LIKE '%VARCHAR%' OR "
                       "data_type LIKE '%JSON%' OR data_type LIKE '%BLOB%' OR "
                       "data_type LIKE '%STRUCT%' OR data_type LIKE '%[]'").fetchall()
        return [str(v[0]) for schema, table, column in cols
                for v in con.sql(f'SELECT "{column}" FROM "{schema}"."{table}"').fetchall()
                if v[0] is not None]
    finally:
        con.close()


def scan_duckdb(path: Path, needles: list[bytes]) -> list[str]:
    text = "\n".join(duckdb_strings(path)).lower().encode("utf-8", "surrogatepass")
    return [f"{path} (SQL): {n.decode(errors='replace')}" for n in needles if n in text]


def parquet_strings(path: Path) -> list[str]:
    """Every non-null value of every column of a Parquet file, as text (Parquet pages are
    compressed: a byte scan would miss them)."""
    import polars as pl

    frame = pl.read_parquet(path)
    return [str(v) for column in frame.columns
            if not isinstance(frame.schema[column], pl.Array | pl.Float32 | pl.Float64)
            for v in frame[column].to_list() if v is not None]


def scan_parquet(path: Path, needles: list[bytes]) -> list[str]:
    text = "\n".join(parquet_strings(path)).lower().encode("utf-8", "surrogatepass")
    return [f"{path} (Parquet): {n.decode(errors='replace')}" for n in needles if n in text]


def scan_files(files: Iterable[Path], secrets: Iterable[str], strict: bool = True) -> list[str]:
    """Hits of any secret (case-insensitive) in the files, raw and decoded; SQLite and
    DuckDB files are also read table by table. Empty when nothing leaked.

    A database that cannot be opened is a hit, unless ``strict`` is False (files of other
    processes, which may hold a lock or be mid-write).
    """
    needles = sorted({s.lower().encode("utf-8", "surrogatepass") for s in secrets})
    hits: list[str] = []
    for f in files:
        try:
            blob = f.read_bytes()
        except OSError:  # a temporary file removed meanwhile
            continue
        hits += scan_blob(blob, needles, str(f))
        try:
            if blob.startswith(SQLITE_MAGIC):
                hits += scan_sqlite(f, needles)
            elif blob[8:12] == DUCKDB_MAGIC and f.suffix == ".duckdb":
                hits += scan_duckdb(f, needles)
            elif blob[:4] == b"PAR1" and f.suffix == ".parquet":
                hits += scan_parquet(f, needles)
        except Exception as exc:  # noqa: BLE001 - an unreadable database or Parquet file
            if strict:
                hits.append(f"{f}: unreadable database ({type(exc).__name__})")
    return hits


def scan_text(text: str, secrets: Iterable[str], where: str) -> list[str]:
    """Hits of any secret in captured text (stderr, log lines), raw and decoded."""
    needles = sorted({s.lower().encode("utf-8", "surrogatepass") for s in secrets})
    return scan_blob(text.encode("utf-8", "surrogatepass"), needles, where)


class Collect(logging.Handler):
    """Every log record, formatted in full: message, arguments and traceback."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # noqa: BLE001 - an unformattable record: keep its raw parts
            self.lines.append(f"{record.msg!r} {record.args!r} {record.exc_info!r}")

    def __enter__(self) -> Collect:
        self._loggers = [logging.getLogger(), logging.getLogger("prefect")]
        for lg in self._loggers:
            lg.addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        for lg in self._loggers:
            lg.removeHandler(self)


def scan_prefect(prefect_home: Path, database: Path | None, secrets: Iterable[str],
                 *extra: Path | None) -> list[str]:
    """Flush Prefect's log queue, then scan its home (storage included), the API
    database's folder and any ``extra`` roots, decoded."""
    flush_prefect_logs()
    roots = [prefect_home, database.parent if database else None, *extra]
    return scan_files(files_under(*roots), secrets)
