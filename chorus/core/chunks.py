"""Chunk planning: the input files cut into bounded pieces that a task reads by itself.

A ``ChunkRef`` names one piece of one input file: for JSONL a byte range ``[start, stop)``
cut at line ends, for Parquet a row range ``[start, stop)``. A chunk task gets the ref
and reads its piece itself, so conversation text never crosses a process boundary: the
ref holds a path, numbers and a fingerprint, never a byte of the content.

``plan_chunks(files, chunk_size)`` plans every file in order (call it after
``tasks.ingest.preflight.preflight_inputs``, which checks the files). One streamed pass
over each file computes its fingerprint and, for JSONL, the byte offsets of every
``chunk_size``-th line end; a Parquet file is cut by its row count (from the footer).
Chunks are numbered 0, 1, ... over all inputs in order.

Fingerprint: hex sha256 of the file's bytes, streamed (8 MiB at a time). Size and mtime
would be cheaper but miss an edit that keeps both, and a fingerprint decides whether a
chunk's stored output may be reused: it must change whenever a byte does.

``chunk_size`` counts lines for JSONL (blank lines included: they are cut, not read) and
rows for Parquet. Memory of a chunk task is bounded by it (for Parquet also by the file's
row-group size: a row range is read by the row groups it overlaps).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Kind = Literal["jsonl", "parquet"]
BLOCK = 8 << 20


def source_name(path: Path) -> str:
    """The path as valid UTF-8 text (an undecodable file name would break the frame)."""
    return os.fsencode(path).decode("utf-8", "replace")


@dataclass(frozen=True)
class ChunkRef:
    """One chunk of one input file.

    Attributes:
        path: the input file (as given).
        kind: ``"jsonl"`` or ``"parquet"``.
        index: the chunk's number over all inputs in order (0-based).
        start, stop: JSONL: byte offsets, ``start`` at a line start, ``stop`` just after
            a line end (or the file's end); Parquet: row numbers.
        first_record: the record number of the chunk's first record as quarantine rows
            give it: the 1-based line (JSONL) or the 0-based row (Parquet).
        fingerprint: hex sha256 of the whole file's bytes.
    """

    path: str
    kind: Kind
    index: int
    start: int
    stop: int
    first_record: int
    fingerprint: str

    @property
    def key(self) -> str:
        """The chunk's identity in the chunk store: fingerprint and range (no index,
        so a file keeps its chunks when other inputs are added before it)."""
        return f"{self.fingerprint[:32]}-{self.kind}-{self.start}-{self.stop}"


def jsonl_cuts(path: Path, chunk_size: int) -> tuple[str, list[int]]:
    """(sha256, byte offsets where chunks end) of a JSONL file, in one streamed pass.

    The offsets are just after every ``chunk_size``-th newline, plus the file's size when
    the last chunk holds any byte. An empty file has no chunk.
    """
    if chunk_size < 1:
        raise ValueError("chunk_size must be >= 1")
    digest = hashlib.sha256()
    cuts: list[int] = []
    offset = 0
    left = chunk_size  # newlines until the next cut
    with path.open("rb") as handle:
        while block := handle.read(BLOCK):
            digest.update(block)
            n = block.count(b"\n")
            if n < left:
                left -= n
            else:
                pos = -1
                for _ in range(n):
                    pos = block.index(b"\n", pos + 1)
                    left -= 1
                    if left == 0:
                        cuts.append(offset + pos + 1)
                        left = chunk_size
            offset += len(block)
    if offset and (not cuts or cuts[-1] < offset):
        cuts.append(offset)
    return digest.hexdigest(), cuts


def file_fingerprint(path: Path) -> str:
    """Hex sha256 of the file's bytes, streamed."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(BLOCK):
            digest.update(block)
    return digest.hexdigest()


def plan_file(path: Path, kind: Kind, chunk_size: int, first_index: int,
              n_rows: int | None = None) -> list[ChunkRef]:
    """The chunks of one file, numbered from ``first_index``.

    Args:
        path: the input file.
        kind: ``"jsonl"`` or ``"parquet"``.
        chunk_size: lines (JSONL) or rows (Parquet) per chunk, >= 1.
        first_index: the number of its first chunk.
        n_rows: the Parquet file's row count (required for Parquet).
    """
    if chunk_size < 1:
        raise ValueError("chunk_size must be >= 1")
    refs: list[ChunkRef] = []
    if kind == "jsonl":
        fingerprint, cuts = jsonl_cuts(path, chunk_size)
        start = 0
        for i, stop in enumerate(cuts):
            refs.append(ChunkRef(str(path), kind, first_index + i, start, stop,
                                 1 + i * chunk_size, fingerprint))
            start = stop
        return refs
    if n_rows is None:
        raise ValueError("a Parquet file needs its row count")
    fingerprint = file_fingerprint(path)
    for i, start in enumerate(range(0, n_rows, chunk_size)):
        refs.append(ChunkRef(str(path), kind, first_index + i, start,
                             min(start + chunk_size, n_rows), start, fingerprint))
    return refs


def plan_chunks(files: Iterable[tuple[Path, Kind, int | None]],
                chunk_size: int) -> list[ChunkRef]:
    """Every chunk of every file, in input order, numbered over all of them.

    Args:
        files: ``(path, kind, n_rows)`` per checked input (``preflight_inputs``'s
            ``InputFile`` fields; ``n_rows`` for Parquet).
        chunk_size: lines (JSONL) or rows (Parquet) per chunk, >= 1.
    """
    refs: list[ChunkRef] = []
    for path, kind, n_rows in files:
        refs += plan_file(Path(path), kind, chunk_size, len(refs), n_rows)
    return refs
