"""The chunk store: whole chunks or none, partial writes removed only when their writer is
gone, a run's plan (and its lock), and the gather's duplicate and PII rules."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from chorus.core import liveness
from chorus.core.chunk_store import (
    ChunkOutput,
    ChunkStore,
    gather,
    plan_lock,
    read_plan,
    release_plan,
    write_plan,
)
from chorus.core.chunks import ChunkRef
from chorus.core.errors import ChorusError
from chorus.core.private_store import pseudonymize, user_key
from chorus.core.schemas import SCRUBBED_SCHEMA


def ref(index: int, start: int) -> ChunkRef:
    return ChunkRef("in.jsonl", "jsonl", index, start, start + 10, 1 + index * 10, "f" * 64)


def output(ids: list[str], users: list[str], records: list[int],
           pii: list[list[dict]]) -> ChunkOutput:
    n = len(ids)
    frame = pl.DataFrame({"record": records, "conversation_id": ids, "user_id": users,
                          "request": [f"request {i}" for i in ids],
                          "empty_messages": [0] * n},
                         schema_overrides={"empty_messages": pl.UInt32}).with_columns(
        pl.Series("pii", pii, dtype=SCRUBBED_SCHEMA["pii"]),
        pl.Series("embedding", np.eye(n, 3, dtype=np.float32), dtype=pl.Array(pl.Float32, 3)))
    quarantine = pl.DataFrame({"record": [records[0] + 1], "reason": ["bad"]})
    return ChunkOutput(frame, quarantine, {"read": n + 1, "accepted": n, "quarantined": 1,
                                           "blank": 1, "empty_messages": 0,
                                           "entity_types": ["EMAIL", "PERSON"],
                                           "lens_columns": []})


def test_write_then_read_and_a_second_writer_keeps_the_first(tmp_path):
    store = ChunkStore(tmp_path, "h" * 64)
    r = ref(0, 0)
    assert not store.done(r)
    assert store.write(r, output(["a"], ["u"], [1], [[]]))
    assert store.done(r)
    assert not store.write(r, output(["b"], ["u"], [1], [[]]))
    assert store.read(r).conversations["conversation_id"].to_list() == ["a"]
    assert not list(store.dir.glob(".tmp-*"))


def test_partials_of_dead_writers_are_removed_and_live_ones_kept(tmp_path):
    store = ChunkStore(tmp_path, "h" * 64)
    store.dir.mkdir(parents=True)
    dead, live = store.dir / ".tmp-x-1-dead", store.dir / ".tmp-x-2-live"
    dead.mkdir()
    live.mkdir()
    lock = store.dir / ".tmp-x-2-live.lock"
    assert liveness.hold(lock)
    try:
        assert store.remove_partials() == 1
        assert not dead.exists() and live.exists()
    finally:
        liveness.release(lock)
    with pytest.raises(ChorusError, match="not stored"):
        store.read(ref(3, 30))


def test_gather_keeps_the_first_duplicate_and_counts_pii_users_over_chunks(tmp_path):
    store = ChunkStore(tmp_path, "h" * 64)
    email = [{"entity_type": "EMAIL", "n": 2}]
    refs = [ref(0, 0), ref(1, 10)]
    store.write(refs[0], output(["a", "b"], ["u1", "u2"], [1, 3], [email, []]))
    store.write(refs[1], output(["c", "a"], ["u1", "u3"], [11, 12], [email, email]))
    got = gather(store, refs)
    assert got.facets["conversation_id"].to_list() == ["a", "b", "c"]
    assert got.embeddings.shape == (3, 3)
    assert got.quarantine.select("record", "reason").rows() == [
        (2, "bad"), (12, "bad"), (12, "duplicate conversation_id")]
    assert got.counts == {"read": 6, "accepted": 3, "quarantined": 3, "blank": 2,
                          "empty_messages": 0, "duplicates_across_chunks": 1}
    pii = {r["entity_type"]: (r["n_entities"], r["n_conversations"], r["n_users"])
           for r in got.pii_counts.iter_rows(named=True)}
    assert pii == {"EMAIL": (4, 2, 1), "PERSON": (0, 0, 0)}  # u3's duplicate not counted


def test_a_plan_round_trips_and_an_unknown_run_is_named(tmp_path):
    refs = [ref(0, 0), ref(1, 10)]
    write_plan(tmp_path, "run/1", "h" * 64, refs)
    assert read_plan(tmp_path, "run/1") == ("h" * 64, refs)
    assert not liveness.owner_gone(plan_lock(tmp_path, "run/1")), "held while the run runs"
    release_plan(tmp_path, "run/1")
    assert liveness.owner_gone(plan_lock(tmp_path, "run/1"))
    with pytest.raises(ChorusError, match="no plan of run 'other'"):
        read_plan(tmp_path, "other")


def test_the_pseudonym_key_is_made_once_and_keeps_ids_apart(tmp_path):
    key = user_key(tmp_path / "p.duckdb")
    assert key == user_key(tmp_path / "p.duckdb") and len(key) == 32
    assert (tmp_path / "user_key.secret").stat().st_mode & 0o777 == 0o600
    a, b, a2 = pseudonymize(["alice", "bob", "alice"], key)
    assert a == a2 and a != b and "alice" not in a and len(a) == 32
    assert pseudonymize(["alice"], b"x" * 32)[0] != a
