"""The ids a planned run will accept: stored chunks read from the store (not the input),
the rest validated as their chunk task will, quarantined records left out."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chorus.core.chunk_store import ChunkStore
from chorus.core.settings import IngestSettings
from tasks.ingest import plan_inputs, planned_ids
from tests.core.test_chunk_store import output
from tests.tasks.ingest.helpers import good, line, write_lines

NOW = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.mark.parametrize("chunk_size, stored", [(100, ()), (3, ()), (3, (0,)), (3, (0, 2)),
                                                (1, (1, 3))])
def test_planned_ids_are_the_accepted_ones_and_stored_chunks_come_from_the_store(
        tmp_path, chunk_size, stored):
    records = [line(good(0)), b"{not json", line(good(1)), line(good(0)), b"",
               line({**good(2), "created_at": "2030-01-01T00:00:00Z"}), line(good(3))]
    path = write_lines(tmp_path / "in.jsonl", records)
    refs = plan_inputs([str(path)], chunk_size)
    store = ChunkStore(tmp_path / "chunks", "h" * 64)
    for i in stored:  # what the store holds is what counts for a stored chunk
        store.write(refs[i], output([f"stored-{i}"], ["u"], [1], [[]]))
    expected: list[str] = []
    per_line = ["c0", None, "c1", "c0", None, None, "c3"]  # bad JSON, blank, future: none
    for i, ref in enumerate(refs):
        if i in stored:
            expected.append(f"stored-{i}")
        else:
            lines = per_line[ref.first_record - 1: ref.first_record - 1 + chunk_size]
            chunk = [c for c in lines if c is not None]
            expected += [c for j, c in enumerate(chunk) if c not in chunk[:j]]
    assert planned_ids(refs, store, IngestSettings(), NOW) == expected
    assert set(expected) - {f"stored-{i}" for i in stored} <= {"c0", "c1", "c3"}
