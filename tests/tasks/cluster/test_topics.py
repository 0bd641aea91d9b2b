"""Runs over time: topic keys, matching, assign-to, the topic state and period refusals.

Real DuckDB files (the private store in ``tmp_path``), real UMAP + HDBSCAN on seeded
blobs for the stage tests (marked slow). The whole chain with the warehouse and the
``cluster_trends`` view is in ``test_trends.py``.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from chorus.core.errors import ChorusError
from chorus.core.private_store import PrivateStore
from chorus.core.rundata import RunData
from chorus.core.settings import ClusterSettings, EmbedSettings
from tasks.cluster.topics import (
    assign_labels,
    check_period,
    cluster_table,
    conversation_keys,
    fresh_topic_key,
    match_clusters,
    model_id,
    preflight_assign_to,
    source_clusters,
    with_topic_keys,
)
from tests.tasks.cluster.conftest import blobs, unit

EMBED = EmbedSettings()


def table_of(labels: np.ndarray, x: np.ndarray) -> pl.DataFrame:
    return cluster_table(x, labels)


def ids(n: int, prefix: str = "c") -> list[str]:
    return [f"{prefix}{i:05d}" for i in range(n)]


# --- keys and matching ----------------------------------------------------------------------

def test_conversation_keys_are_fixed_length_hashes_of_the_id():
    keys = conversation_keys(["conv-x", "conv-y", "conv-x"])
    assert keys[0] == keys[2] != keys[1] and all(len(k) == 32 for k in keys)
    assert all(set(k) <= set("0123456789abcdef") for k in keys), "no trace of the id"


def test_fresh_topic_key_depends_on_members_and_level_not_their_order():
    assert fresh_topic_key(0, ["x", "y"]) == fresh_topic_key(0, ["y", "x"])
    assert fresh_topic_key(0, ["x", "y"]) != fresh_topic_key(1, ["x", "y"])
    assert fresh_topic_key(0, ["x", "y"]) != fresh_topic_key(0, ["x", "z"])
    assert fresh_topic_key(0, ["x"]).startswith("t") and len(fresh_topic_key(0, [])) == 13


OLD = unit([[1, 0, 0], [0, 1, 0]])


@pytest.mark.parametrize("new, min_similarity, expected", [
    ([[1, 0, 0], [0, 1, 0]], 0.8, [0, 1]),
    ([[0, 1, 0], [1, 0, 0]], 0.8, [1, 0]),                  # order does not matter
    ([[1, 0, 0]], 0.8, [0]),                                # fewer new than old
    ([[0, 0, 1]], 0.8, [-1]),                               # a new topic
    # both nearest to old 0: one-to-one, so the second gets old 1 (cosine 0.20), refused
    ([[1, 0.1, 0], [1, 0.2, 0]], 0.8, [0, -1]),
    ([[1, 0.1, 0], [1, 0.2, 0]], 0.1, [0, 1]),              # ... unless allowed
    ([[1, 0, 0], [0, 1, 0], [0, 0, 1]], -1.0, [0, 1, -1]),  # more new than old
])
def test_match_clusters_is_one_to_one_with_a_minimum_similarity(new, min_similarity, expected):
    assert match_clusters(unit(new), OLD, min_similarity).tolist() == expected


@pytest.mark.parametrize("delta, matched", [(-1e-6, True), (0.0, True), (1e-6, False)])
def test_match_clusters_threshold_is_inclusive(delta, matched):
    old = unit([[1, 0]])
    angle = np.arccos(0.8)
    new = np.array([[np.cos(angle), np.sin(angle)]], dtype=np.float32)
    sim = float((new.astype(np.float64) @ old.astype(np.float64).T)[0, 0])
    assert bool(match_clusters(new, old, sim + delta)[0] == 0) == matched


def test_with_topic_keys_keeps_keys_of_permuted_clusters_and_mints_new_ones():
    x, truth = blobs(20, 4)
    labels = np.vstack([truth, truth // 2]).astype(np.int32)
    first, kept = with_topic_keys(table_of(labels, x), None, 0.8, labels, ids(80))
    assert kept == 0 and first["topic_key"].n_unique() == first.height == 6
    # the same clusters under other internal keys, plus one new blob
    perm = np.array([2, 0, 3, 1])
    y, _ = blobs(20, 1, seed=9)
    x2 = np.vstack([x, y])
    base2 = np.concatenate([perm[truth], np.full(20, 4)]).astype(np.int32)
    labels2 = np.vstack([base2, np.concatenate([truth // 2, np.full(20, 2)])]).astype(np.int32)
    second, kept2 = with_topic_keys(table_of(labels2, x2), first, 0.8, labels2, ids(100, "d"))
    key = {(r["level"], r["cluster_key"]): r["topic_key"] for r in first.iter_rows(named=True)}
    key2 = {(r["level"], r["cluster_key"]): r["topic_key"] for r in second.iter_rows(named=True)}
    for old_key, new_key in enumerate(perm.tolist()):
        assert key2[(0, new_key)] == key[(0, old_key)]
    assert key2[(1, 0)] == key[(1, 0)] and key2[(1, 1)] == key[(1, 1)]
    assert key2[(0, 4)] not in key.values() and key2[(1, 2)] not in key.values()
    assert kept2 == 6


# --- assign-to ----------------------------------------------------------------------------

def source_table() -> pl.DataFrame:
    """Three base clusters on the axes; parents {0, 1} -> 0 and {2} -> 1."""
    cents = unit([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    return pl.DataFrame({
        "level": [0, 0, 0, 1, 1], "cluster_key": [0, 1, 2, 0, 1],
        "topic_key": ["ta", "tb", "tc", "tp", "tq"], "parent_key": [0, 0, 1, None, None],
        "n_members": [5, 5, 5, 10, 5],
        "centroid": [*cents.tolist(), unit([[1, 1, 0]])[0].tolist(), cents[2].tolist()],
    }, schema={"level": pl.Int32, "cluster_key": pl.Int32, "topic_key": pl.Utf8,
               "parent_key": pl.Int32, "n_members": pl.Int64, "centroid": pl.List(pl.Float32)})


def test_assign_labels_nearest_base_then_the_source_parents():
    x = unit([[1, 0.1, 0], [0.1, 1, 0], [0, 0.2, 1], [-1, -1, -1]])
    labels, absorbed = assign_labels(x, source_table(), 0.5)
    assert labels.tolist() == [[0, 1, 2, -1], [0, 0, 1, -1]] and absorbed == 0


@pytest.mark.parametrize("n_noise, min_conversations, absorbed", [
    (2, 3, 2),   # below k: every noise point joins its nearest base cluster
    (3, 3, 0),   # at k: noise stays noise (it can be published as such)
    (4, 3, 0),
])
def test_assign_labels_absorbs_noise_only_below_k(n_noise, min_conversations, absorbed):
    x = np.vstack([unit([[1, 0.1, 0]] * 5), unit([[-1, -0.9, -1]] * n_noise)])
    users = np.array([f"u{i}" for i in range(x.shape[0])])
    labels, moved = assign_labels(x, source_table(), 0.5, users, (1, min_conversations))
    assert moved == absorbed
    assert int((labels[0] < 0).sum()) == n_noise - absorbed


# --- the topic state in the private store ------------------------------------------------------

def put(store: PrivateStore, run_id: str, mode: str = "fit", model: str = "m",
        period: str | None = None, keys: list[str] | None = None,
        published: bool = True, source: str | None = None) -> None:
    store.topics().put_run({"run_id": run_id, "mode": mode, "model_id": model,
                            "source_run_id": source, "period": period}, source_table(), keys)
    store.topics().set_published(run_id, published)


def test_latest_fit_is_the_newest_published_fit_of_the_same_model(tmp_path):
    with PrivateStore(tmp_path / "p.duckdb") as store:
        put(store, "a")
        put(store, "b", model="other")
        put(store, "c", published=False)
        put(store, "d", mode="assign", source="a")
        topics = store.topics()
        assert topics.latest_fit("m", exclude="z") == "a"
        assert topics.latest_fit("m", exclude="a") is None
        put(store, "e")
        assert topics.latest_fit("m", exclude="z") == "e"
        assert topics.centroids("e")["topic_key"].to_list() == ["ta", "tb", "tc", "tp", "tq"]


@pytest.mark.parametrize("row, message", [
    (None, "unknown"),
    ({"published": False}, "did not publish"),
    ({"mode": "assign", "source": "a0"}, "was not a full run"),
    ({"model": "another-model:256"}, "was embedded with"),
])
def test_assign_to_refuses_unknown_unpublished_assigned_or_other_embedder(tmp_path, row,
                                                                         message):
    path = tmp_path / "p.duckdb"
    with PrivateStore(path) as store:
        if row is not None:
            put(store, "src", row.get("mode", "fit"), row.get("model", model_id(EMBED)),
                published=row.get("published", True), source=row.get("source"))
        with pytest.raises(ChorusError, match=message):
            source_clusters(store.topics(), "src", model_id(EMBED))
    with pytest.raises(ChorusError, match=message):
        preflight_assign_to("src", EMBED, path)


def test_preflight_refuses_a_missing_private_store(tmp_path):
    with pytest.raises(ChorusError, match="no private store"):
        preflight_assign_to("src", EMBED, tmp_path / "absent.duckdb")
    assert not (tmp_path / "absent.duckdb").exists()


@pytest.mark.parametrize("shared, refused", [(0, False), (1, True), (2, True)])
@pytest.mark.privacy
def test_a_period_sharing_any_conversation_with_another_is_refused(tmp_path, shared, refused):
    first = conversation_keys(ids(20))
    second = conversation_keys(ids(20, "new-")[: 20 - shared] + ids(20)[:shared])
    with PrivateStore(tmp_path / "p.duckdb") as store:
        put(store, "p1", period="2026-10", keys=first)
        if refused:
            with pytest.raises(ChorusError, match=f"{shared} conversations shared"):
                check_period(store.topics(), "p2", "2026-11", second)
        else:
            check_period(store.topics(), "p2", "2026-11", second)


@pytest.mark.privacy
def test_period_rules_label_reuse_rerun_and_unpublished_runs(tmp_path):
    keys = conversation_keys(ids(20))
    with PrivateStore(tmp_path / "p.duckdb") as store:
        topics = store.topics()
        put(store, "p1", period="2026-10", keys=keys)
        with pytest.raises(ChorusError, match="same label"):
            check_period(topics, "p2", "2026-10", conversation_keys(ids(5, "x")))
        check_period(topics, "p1", "2026-10", keys)  # a rerun of the same run id
        put(store, "p1", period="2026-10", keys=keys[:5])  # ... replaces its own rows
        check_period(topics, "p3", "2026-12", keys[5:])
        put(store, "draft", period="2026-12", keys=keys[5:], published=False)
        check_period(topics, "p3", "2026-12", keys[5:])  # unpublished runs count nothing
        assert topics.period_conflicts("p3", "2026-12", keys) == [("p1", 5)]


def test_orphan_cleanup_removes_topic_rows_of_runs_not_kept(tmp_path):
    with PrivateStore(tmp_path / "p.duckdb") as store:
        put(store, "kept", period="a", keys=["k1"])
        put(store, "orphan", period="b", keys=["k2"])
        store.remove_assignments_except({"kept"})
        con = store.connection
        for table in ("topic_runs", "cluster_centroids", "period_conversations"):
            runs = {r for (r,) in con.execute(f"SELECT DISTINCT run_id FROM {table}").fetchall()}
            assert runs == {"kept"}, table


# --- the stage: two fits, a perturbed sample, assign-to (real UMAP + HDBSCAN) --------------------

SETTINGS = ClusterSettings(levels=2, min_cluster_size=15)


def stage_data(run_id: str, x: np.ndarray, conv_ids: list[str]) -> RunData:
    users = [f"u{i % 40}" for i in range(x.shape[0])]
    return RunData(run_id, embeddings=x,
                   facets=pl.DataFrame({"conversation_id": conv_ids, "user_id": users}))


def published_keys(store_path, run_id: str) -> dict[tuple[int, int], str]:
    with PrivateStore(store_path) as store:
        store.topics().set_published(run_id, True)  # what the store stage does on success
        return {(r["level"], r["cluster_key"]): r["topic_key"]
                for r in store.topics().centroids(run_id).iter_rows(named=True)}


@pytest.mark.slow
def test_topic_keys_are_stable_across_refits_perturbed_samples_and_assign_to(tmp_path):
    from tasks.cluster import cluster_stage

    path = str(tmp_path / "p.duckdb")
    x, truth = blobs(40, 6, spread=0.12)
    first = stage_data("r1", x, ids(240))
    counts = cluster_stage(first, SETTINGS, (10, 15), EMBED, path)
    assert counts["mode"] == "fit" and counts["previous_run"] is None
    keys1 = published_keys(path, "r1")
    # the same data again (another run id): every cluster keeps its key
    again = stage_data("r2", x, ids(240))
    counts = cluster_stage(again, SETTINGS, (10, 15), EMBED, path)
    assert counts["previous_run"] == "r1" and counts["topics_kept"] == len(keys1)
    assert published_keys(path, "r2") == keys1
    # a perturbed sample: 80% of the points, jittered, new ids; matched by centroid
    rng = np.random.default_rng(3)
    keep = np.sort(rng.choice(240, 192, replace=False))
    y = x[keep] + 0.02 * rng.normal(size=(192, x.shape[1])).astype(np.float32)
    y /= np.linalg.norm(y, axis=1, keepdims=True)
    sample = stage_data("r3", y, ids(192, "s"))
    cluster_stage(sample, SETTINGS, (10, 15), EMBED, path)
    keys3 = published_keys(path, "r3")
    base1 = {k: v for k, v in keys1.items() if k[0] == 0}
    topic_of = {}  # base topic key of each blob, in both runs
    for run_labels, run_truth, keys, name in ((first.labels, truth, keys1, "r1"),
                                              (sample.labels, truth[keep], keys3, "r3")):
        assert run_labels is not None
        for blob in range(6):
            member = run_labels[0][run_truth == blob]
            key = int(np.bincount(member[member >= 0]).argmax())
            topic_of[(name, blob)] = keys[(0, key)]
    assert all(topic_of[("r1", b)] == topic_of[("r3", b)] for b in range(6))
    assert set(base1.values()) == {topic_of[("r1", b)] for b in range(6)}
    # assign-to the first run: new conversations, the first run's keys, its parents
    z, ztruth = blobs(25, 6, spread=0.12, seed=0)
    assigned = stage_data("r4", z, ids(150, "a"))
    counts = cluster_stage(assigned, SETTINGS.model_copy(update={"assign_to": "r1"}),
                           (10, 15), EMBED, path)
    assert counts["mode"] == "assign" and counts["previous_run"] == "r1"
    assert assigned.labels is not None and first.labels is not None
    keys4 = published_keys(path, "r4")
    assert set(keys4.values()) <= set(keys1.values())
    for blob in range(6):
        assert {keys4[(0, k)] for k in assigned.labels[0][ztruth == blob] if k >= 0} == {
            topic_of[("r1", blob)]}
    parent1 = dict(zip(first.labels[0].tolist(), first.labels[1].tolist(), strict=True))
    for base, parent in zip(assigned.labels[0].tolist(), assigned.labels[1].tolist(),
                            strict=True):
        assert parent == (parent1[base] if base >= 0 else -1)
    with PrivateStore(path) as store:  # an assign run is no source for another one
        with pytest.raises(ChorusError, match="not a full run"):
            source_clusters(store.topics(), "r4", model_id(EMBED))


def test_stage_without_a_private_store_refuses_assign_to_and_period():
    from tasks.cluster import cluster_stage

    x, _ = blobs(5, 2)
    for update in ({"assign_to": "r1"}, {"period": "2026-11"}):
        with pytest.raises(ChorusError, match="need the private store"):
            cluster_stage(stage_data("r", x, ids(10)), SETTINGS.model_copy(update=update))


@pytest.mark.parametrize("field, value", [("period", "has space"), ("period", ""),
                                          ("period", "-lead"), ("assign_to", ""),
                                          ("topic_min_similarity", 1.5),
                                          ("topic_min_similarity", -1.5)])
def test_invalid_topic_settings_fail_loudly(field, value):
    with pytest.raises(ValueError):
        ClusterSettings(**{field: value})


@pytest.mark.parametrize("run_id", ["nope", "2026-11-01"])  # the second would parse as a date
def test_chorus_run_assign_to_fails_fast_before_prefect_starts(tmp_path, run_id):
    import json

    from typer.testing import CliRunner

    from chorus.cli import app
    from chorus.demo import generate

    data = tmp_path / "in.jsonl"
    data.write_text("".join(json.dumps(c) + "\n" for c in generate(20, seed=1)[0]))
    private = tmp_path / "private.duckdb"
    with PrivateStore(private):
        pass  # an existing store that knows no run
    result = CliRunner().invoke(app, [
        "run", "--assign-to", run_id, "--set", f"run.inputs=['{data}']",
        "--set", f"run.private_store='{private}'",
        "--set", f"run.warehouse='{tmp_path / 'w.duckdb'}'"])
    assert result.exit_code == 2
    assert f"run {run_id!r} is unknown" in result.output
    assert not (tmp_path / "w.duckdb").exists(), "refused before anything ran"
