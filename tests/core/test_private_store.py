"""Private store: the embedding cache round trip, assignments replaced per run."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from chorus.core.private_store import TOPIC_TABLES, PrivateStore


@pytest.fixture
def path(tmp_path):
    return tmp_path / "private" / "p.duckdb"  # the folder does not exist yet


def vectors(n: int, d: int = 4, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(n, d)).astype(np.float32)


def test_embedding_cache_round_trip_survives_reopening(path):
    vec = vectors(3)
    with PrivateStore(path) as store:
        store.embedding_cache().put("model-a", ["k1", "k2", "k3"], vec)
    assert path.is_file()
    with PrivateStore(path) as store:
        got = store.embedding_cache().get("model-a", ["k3", "k1", "missing"])
    assert set(got) == {"k1", "k3"}, "missing keys are simply absent"
    assert got["k1"].dtype == np.float32
    np.testing.assert_array_equal(got["k1"], vec[0])
    np.testing.assert_array_equal(got["k3"], vec[2])


def test_embedding_cache_is_per_model_and_put_replaces(path):
    with PrivateStore(path) as store:
        cache = store.embedding_cache()
        cache.put("model-a", ["k"], vectors(1, seed=1))
        cache.put("model-b", ["k"], vectors(1, seed=2))
        cache.put("model-a", ["k"], vectors(1, seed=3))  # same key again: replaced
        np.testing.assert_array_equal(cache.get("model-a", ["k"])["k"], vectors(1, seed=3)[0])
        np.testing.assert_array_equal(cache.get("model-b", ["k"])["k"], vectors(1, seed=2)[0])
        assert cache.get("model-c", ["k"]) == {}
        n = store.con.execute("SELECT count(*) FROM embedding_cache").fetchone()[0]
    assert n == 2


def test_embedding_cache_with_no_keys(path):
    with PrivateStore(path) as store:
        cache = store.embedding_cache()
        cache.put("m", [], np.zeros((0, 4), dtype=np.float32))
        assert cache.get("m", []) == {}
        assert store.con.execute("SELECT count(*) FROM embedding_cache").fetchone()[0] == 0


def assignments(n: int, key: int) -> pl.DataFrame:
    return pl.DataFrame({"conversation_id": [f"c{i}" for i in range(n)],
                         "user_id": [f"u{i}" for i in range(n)],
                         "level": [0] * n, "cluster_key": [key] * n})


def rows(store: PrivateStore) -> list[tuple]:
    return store.con.sql("SELECT run_id, count(*), min(cluster_key), max(cluster_key) "
                         "FROM assignments GROUP BY run_id ORDER BY run_id").fetchall()


def test_assignments_replace_per_run(path):
    with PrivateStore(path) as store:
        store.write_assignments("run-a", assignments(3, 1))
        store.write_assignments("run-b", assignments(2, -1))
        assert rows(store) == [("run-a", 3, 1, 1), ("run-b", 2, -1, -1)]
        store.write_assignments("run-a", assignments(4, 7))  # rerun: replaced, b untouched
        assert rows(store) == [("run-a", 4, 7, 7), ("run-b", 2, -1, -1)]
    with PrivateStore(path) as store:
        assert rows(store) == [("run-a", 4, 7, 7), ("run-b", 2, -1, -1)]
        store.write_assignments("run-a", assignments(0, 0))  # an empty run clears its rows
        assert rows(store) == [("run-b", 2, -1, -1)]


def test_failed_assignment_write_keeps_the_previous_rows(path):
    with PrivateStore(path) as store:
        store.write_assignments("run-a", assignments(3, 1))
        with pytest.raises(pl.exceptions.ColumnNotFoundError):
            store.write_assignments("run-a", assignments(2, 5).drop("user_id"))
        assert rows(store) == [("run-a", 3, 1, 1)]


def test_the_store_holds_no_text_column(path):
    with PrivateStore(path) as store:
        columns = store.con.sql("SELECT table_name, column_name FROM "
                                "information_schema.columns ORDER BY ALL").fetchall()
    assert columns and not {c for _, c in columns} & {"text", "request", "content", "messages"}
    assert {t for t, _ in columns} == {"embedding_cache", "assignments", *TOPIC_TABLES}


def test_closing_releases_the_connection(path):
    store = PrivateStore(path)
    with store:
        assert store.con is not None
    assert store.con is None


@pytest.mark.parametrize(("keep", "left"), [
    ({"run-a"}, [("run-a", 3, 1, 1)]),
    ({"run-a", "run-b", "not-here"}, [("run-a", 3, 1, 1), ("run-b", 2, -1, -1)]),
    (set(), []),
])
def test_remove_assignments_except_keeps_only_the_listed_runs(path, keep, left):
    with PrivateStore(path) as store:
        store.write_assignments("run-a", assignments(3, 1))
        store.write_assignments("run-b", assignments(2, -1))
        removed = store.remove_assignments_except(keep)
        assert rows(store) == left
    assert removed == 5 - sum(n for _, n, _, _ in left)
