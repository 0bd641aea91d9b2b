"""Chunk-store garbage collection on real files: the newest plans and every live one keep
their chunks (readable for --from-store), the rest goes; partials only when their writer
is gone; a dry run deletes nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from chorus.core.chunk_gc import collect_garbage
from chorus.core.chunk_store import (
    ChunkStore,
    gather,
    plan_lock,
    plan_path,
    read_plan,
    release_plan,
    write_plan,
)
from chorus.core.chunks import ChunkRef
from chorus.core.duckdb_files import try_flock
from chorus.core.errors import ChorusError
from tests.core.test_chunk_store import output

KEEP = 3
HASH, OTHER_HASH = "a" * 64, "b" * 64


def ref(i: int) -> ChunkRef:
    return ChunkRef("in.jsonl", "jsonl", 0, 10 * i, 10 * i + 10, 1, "f" * 64)


SHARED = ChunkRef("in.jsonl", "jsonl", 1, 1000, 1010, 101, "f" * 64)


def finished_runs(root: Path, n: int, map_hash: str = HASH) -> ChunkStore:
    """Runs 0..n-1 (run i newest last), each over its own chunk and a shared one, ended."""
    store = ChunkStore(root, map_hash)
    store.write(SHARED, output(["s"], ["u"], [1], [[]]))
    for i in range(n):
        store.write(ref(i), output([f"c{i}"], ["u"], [1], [[]]))
        write_plan(root, f"run-{i}", map_hash, [ref(i), SHARED])
        release_plan(root, f"run-{i}")
        os.utime(plan_path(root, f"run-{i}"), ns=(i * 10**9, i * 10**9))
    return store


def chunk_names(store: ChunkStore) -> set[str]:
    return {d.name for d in store.dir.iterdir() if d.is_dir()} if store.dir.exists() else set()


@pytest.mark.parametrize("n_runs", [KEEP - 1, KEEP, KEEP + 1])
def test_the_newest_plans_keep_their_chunks_and_older_ones_go(tmp_path, n_runs):
    store = finished_runs(tmp_path, n_runs)
    result = collect_garbage(tmp_path, KEEP)
    kept = list(range(max(0, n_runs - KEEP), n_runs))
    assert (result.plans_kept, result.plans_removed) == (len(kept), n_runs - len(kept))
    assert (result.chunks_kept, result.chunks_removed) == (len(kept) + 1, n_runs - len(kept))
    assert chunk_names(store) == {ref(i).key for i in kept} | {SHARED.key}
    for i in range(n_runs):
        if i in kept:  # still publishable from the store
            map_hash, refs = read_plan(tmp_path, f"run-{i}")
            assert gather(ChunkStore(tmp_path, map_hash), refs).counts["accepted"] == 2
        else:
            with pytest.raises(ChorusError, match="no plan"):
                read_plan(tmp_path, f"run-{i}")


@pytest.mark.parametrize("holder", ["this process", "another open file"])
def test_a_live_run_keeps_its_plan_and_chunks_however_old(tmp_path, holder):
    store = finished_runs(tmp_path, 4)
    if holder == "this process":  # the run's own flow holds it (write_plan)
        write_plan(tmp_path, "run-0", HASH, [ref(0), SHARED])
        os.utime(plan_path(tmp_path, "run-0"), ns=(0, 0))
        fd = None
    else:  # as another process's flock looks from here
        fd = try_flock(plan_lock(tmp_path, "run-0"))
    try:
        result = collect_garbage(tmp_path, 1)
    finally:
        release_plan(tmp_path, "run-0")
        if fd is not None:
            os.close(fd)
    assert (result.plans_kept, result.live_runs, result.plans_removed) == (2, 1, 2)
    assert chunk_names(store) == {ref(0).key, ref(3).key, SHARED.key}


def test_partials_go_only_when_their_writer_is_gone_and_other_configs_are_collected(tmp_path):
    store = finished_runs(tmp_path, 1)
    dead, live = store.dir / ".tmp-x-1-dead", store.dir / ".tmp-x-2-live"
    for d in (dead, live):
        d.mkdir()
        (d / "conversations.parquet").write_bytes(b"partial")
    fd = try_flock(Path(f"{live}.lock"))  # a writer at work
    old = ChunkStore(tmp_path, OTHER_HASH)  # chunks of another map config, no plan
    old.write(ref(7), output(["o"], ["u"], [1], [[]]))
    try:
        dry = collect_garbage(tmp_path, KEEP, dry_run=True)
        assert dead.exists() and old.dir.exists()
        result = collect_garbage(tmp_path, KEEP)
        assert not dead.exists() and live.exists()
    finally:
        assert fd is not None
        os.close(fd)
    assert (result.partials_removed, result.chunks_removed, result.chunks_kept) == (1, 1, 2)
    assert dry == result.__class__(**{**result.__dict__, "dry_run": True})
    assert not old.dir.exists(), "a map-hash folder left empty is removed"
    assert result.bytes_removed > len(b"partial")


def test_an_unreadable_plan_stops_the_collection_and_bad_arguments_are_refused(tmp_path):
    store = finished_runs(tmp_path, 2)
    plan_path(tmp_path, "run-0").write_text("{half")
    with pytest.raises(ChorusError, match="cannot be read"):
        collect_garbage(tmp_path, 1)
    assert chunk_names(store) == {ref(0).key, ref(1).key, SHARED.key}
    with pytest.raises(ValueError):
        collect_garbage(tmp_path, 0)
    assert collect_garbage(tmp_path / "none", 1).plans_kept == 0


def test_a_plan_temp_file_left_by_a_killed_writer_is_collected(tmp_path):
    store = finished_runs(tmp_path, 2)
    stale = plan_path(tmp_path, "run-9").with_suffix(".tmp-4242")  # killed before its rename
    stale.write_text('{"half": ')
    dry = collect_garbage(tmp_path, KEEP, dry_run=True)
    assert stale.exists() and dry.partials_removed == 1
    result = collect_garbage(tmp_path, KEEP)
    assert not stale.exists() and result.partials_removed == 1 and result.plans_kept == 2
    assert read_plan(tmp_path, "run-1")[0] == HASH
    assert chunk_names(store) == {ref(0).key, ref(1).key, SHARED.key}
