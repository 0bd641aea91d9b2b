"""Chunk planning: ranges at line ends that tile the file, record numbers, fingerprints;
and reading every chunk of a file gives exactly what reading the file does."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import polars as pl
import pytest

from chorus.core.chunks import file_fingerprint, plan_chunks, plan_file
from chorus.core.settings import IngestSettings
from tasks.ingest.read import read_chunk, read_inputs

LINES = [b'{"a": 1}', b"", b'{"b": 2}', b"garbage", b'{"c": 3}']


@pytest.mark.parametrize("trailing", [True, False])
@pytest.mark.parametrize("chunk_size", [1, 2, 3, 4, 5, 6, 100])
def test_jsonl_chunks_tile_the_file_at_line_ends(tmp_path, chunk_size, trailing):
    path = tmp_path / "in.jsonl"
    blob = b"\n".join(LINES) + (b"\n" if trailing else b"")
    path.write_bytes(blob)
    refs = plan_file(path, "jsonl", chunk_size, 7)
    assert [r.index for r in refs] == list(range(7, 7 + len(refs)))
    assert refs[0].start == 0 and refs[-1].stop == len(blob)
    assert all(a.stop == b.start for a, b in zip(refs, refs[1:], strict=False))
    assert all(blob[r.stop - 1:r.stop] == b"\n" for r in refs[:-1])
    assert [r.first_record for r in refs] == [1 + i * chunk_size for i in range(len(refs))]
    assert len(refs) == -(-len(LINES) // chunk_size)
    assert {r.fingerprint for r in refs} == {file_fingerprint(path)}


def test_a_changed_byte_changes_the_fingerprint_and_the_key(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"a": 1}\n')
    before = plan_file(path, "jsonl", 10, 0)[0]
    path.write_bytes(b'{"a": 2}\n')
    after = plan_file(path, "jsonl", 10, 0)[0]
    assert before.fingerprint != after.fingerprint and before.key != after.key


@pytest.mark.parametrize(("n_rows", "chunk_size", "ranges"), [
    (1, 1, [(0, 1)]), (5, 2, [(0, 2), (2, 4), (4, 5)]), (4, 4, [(0, 4)]), (3, 10, [(0, 3)])])
def test_parquet_chunks_are_row_ranges(tmp_path, n_rows, chunk_size, ranges):
    path = tmp_path / "in.parquet"
    pl.DataFrame({"x": list(range(n_rows))}).write_parquet(path)
    refs = plan_chunks([(path, "parquet", n_rows)], chunk_size)
    assert [(r.start, r.stop) for r in refs] == ranges
    assert [r.first_record for r in refs] == [a for a, _ in ranges]


def _conv(cid: str) -> dict:
    return {"conversation_id": cid, "user_id": "u", "created_at": "2026-10-01T10:00:00Z",
            "messages": [{"role": "user", "content": f"hello about {cid}"},
                         {"role": "assistant", "content": ""}]}


@pytest.mark.parametrize("kind", ["jsonl", "parquet"])
@pytest.mark.parametrize("chunk_size", [1, 3, 50])
def test_reading_every_chunk_reads_the_file(tmp_path, kind, chunk_size):
    records = [_conv(f"c{i}") for i in range(10)] + [_conv("c1")]  # a duplicate
    records[4] = {**records[4], "messages": []}
    if kind == "jsonl":
        path = tmp_path / "in.jsonl"
        lines = [json.dumps(r) for r in records]
        lines[2:2] = ["", "{oops"]
        path.write_text("\n".join(lines) + "\n")
        n_rows = None
    else:
        path = tmp_path / "in.parquet"
        frame = pl.DataFrame(records)
        frame.write_parquet(path)
        n_rows = frame.height
    settings, now = IngestSettings(), datetime(2026, 11, 1, tzinfo=UTC)
    whole = read_inputs([path], settings, now)
    refs = plan_chunks([(path, kind, n_rows)], chunk_size)
    parts = [read_chunk(r, settings, now) for r in refs]
    # within a chunk duplicates are found; across chunks the gather does it (its tests)
    accepted = pl.concat([p.conversations for p in parts]).unique("conversation_id",
                                                                   keep="first",
                                                                   maintain_order=True)
    assert accepted.equals(whole.conversations)
    quarantine = pl.concat([p.quarantine for p in parts])
    expect = whole.quarantine.filter(pl.col("reason") != "duplicate conversation_id")
    assert quarantine.filter(pl.col("reason") != "duplicate conversation_id").equals(expect)
    assert sum(p.n_blank for p in parts) == whole.n_blank
    assert sum(len(p.records) for p in parts) == sum(p.conversations.height for p in parts)
