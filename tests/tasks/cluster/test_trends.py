"""Two periods end to end: topic keys in the warehouse, assign-to, ``cluster_trends``.

The composition's real stages (``flows.composition.run_stages``, no Prefect: the tasks are
thin wrappers over these functions) on demo conversations, into a real warehouse and
private store in ``tmp_path``. Each data set is ingested and scrubbed once; later runs
over it start from a copy of its scrubbed frames (the stages after scrub never read raw
text), so the test pays for scrub twice, not once per run.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl
import pytest

from chorus.core.config import load_config
from chorus.core.errors import ChorusError
from chorus.core.private_store import PrivateStore
from chorus.core.rundata import RunData
from chorus.demo import generate
from flows.composition import RunContext, new_run_row, record, run_stages
from tasks.cluster.topics import conversation_keys

pytestmark = [pytest.mark.slow, pytest.mark.integration]

N = 400
MAP_STAGES = ("ingest", "scrub")
REST = ("facets", "embed", "lens", "cluster", "summarize", "release", "store")


def write_demo(path: Path, seed: int, prefix: str) -> Path:
    conversations, _ = generate(N, seed=seed)
    with path.open("w") as fh:
        for c in conversations:
            fh.write(json.dumps({**c, "conversation_id": prefix + c["conversation_id"]}) + "\n")
    return path


class Periods:
    """Runs over one warehouse and private store; each input scrubbed once."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.warehouse = tmp / "w.duckdb"
        self.private = tmp / "private" / "p.duckdb"
        self.scrubbed: dict[str, tuple[dict, RunData]] = {}

    def config(self, data: Path, *overrides: str):
        return load_config("configs/chorus.toml", [
            f"run.inputs=['{data}']", f"run.warehouse='{self.warehouse}'",
            f"run.private_store='{self.private}'", "scrub.progress=false",
            "embed.progress=false", *overrides])

    def run(self, run_id: str, data: Path, *overrides: str, prefix: str | None = None,
            names: tuple[str, ...] = REST) -> tuple[RunContext, RunData]:
        """Run ``names`` on ``data`` (scrubbed once per file); ``prefix`` renames the
        conversation ids (new conversations with the same texts)."""
        cfg = self.config(data, *overrides)
        ctx = RunContext(cfg, new_run_row(cfg, run_id))
        key = str(data)
        if key not in self.scrubbed:
            first = RunData(f"scrub-{data.stem}")
            counts = run_stages(first, RunContext(cfg, new_run_row(cfg, first.run_id)),
                                names=MAP_STAGES)
            self.scrubbed[key] = ({k: counts[k] for k in MAP_STAGES}, first)
        counts, first = self.scrubbed[key]
        for name in MAP_STAGES:
            record(ctx, name, counts[name])
        assert first.scrubbed is not None
        scrubbed = first.scrubbed if prefix is None else first.scrubbed.with_columns(
            (prefix + pl.col("conversation_id")).alias("conversation_id"))
        run = RunData(run_id, quarantine=first.quarantine, scrubbed=scrubbed,
                      pii_counts=first.pii_counts)
        run_stages(run, ctx, names=names)
        return ctx, run

    def sql(self, query: str, **params) -> pl.DataFrame:
        con = duckdb.connect(str(self.warehouse), read_only=True)
        try:
            return con.sql(query, params=params or None).pl()
        finally:
            con.close()


@pytest.fixture(scope="module")
def periods(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("trends")
    p = Periods(tmp)
    p.first = write_demo(tmp / "2026-10.jsonl", seed=5, prefix="oct-")
    p.second = write_demo(tmp / "2026-11.jsonl", seed=6, prefix="nov-")
    p.run("a", p.first, "cluster.period='2026-10'")
    p.run("b", p.second, "cluster.period='2026-11'", "cluster.assign_to='a'")
    return p


def test_published_clusters_carry_topic_keys_and_assign_to_keeps_them(periods):
    rows = periods.sql("SELECT run_id, kind, topic_key FROM clusters")
    runs = periods.sql("SELECT run_id, status, period FROM runs ORDER BY run_id")
    assert runs.rows() == [("a", "succeeded", "2026-10"), ("b", "succeeded", "2026-11")]
    clusters = rows.filter(pl.col("kind") == "cluster")
    assert clusters.height > 5 and clusters["topic_key"].null_count() == 0
    assert rows.filter(pl.col("kind") == "other")["topic_key"].null_count() == rows.filter(
        pl.col("kind") == "other").height
    a = set(clusters.filter(pl.col("run_id") == "a")["topic_key"])
    b = set(clusters.filter(pl.col("run_id") == "b")["topic_key"])
    with PrivateStore(periods.private) as store:
        all_of_a = set(store.topics().centroids("a")["topic_key"])  # suppressed ones too
        assert store.topics().run("b")["mode"] == "assign"
    assert b <= all_of_a, "an assign run publishes only the source run's topic keys"
    assert len(a & b) >= 0.6 * len(b), "the same demo topics publish the same keys"


def test_trends_view_equals_the_published_clusters(periods):
    trends = periods.sql("SELECT * FROM cluster_trends ORDER BY run_id, cluster_id")
    published = periods.sql(
        "SELECT c.run_id, c.cluster_id, c.topic_key, c.level, c.n_users, c.n_conversations, "
        "c.share, r.period, r.n_accepted FROM clusters c JOIN runs r USING (run_id) "
        "WHERE c.kind = 'cluster' ORDER BY run_id, cluster_id")
    assert trends.height == published.height > 0
    for t, c in zip(trends.iter_rows(named=True), published.iter_rows(named=True), strict=True):
        assert (t["run_id"], t["cluster_id"], t["topic_key"], t["level"], t["period"]) == (
            c["run_id"], c["cluster_id"], c["topic_key"], c["level"], c["period"])
        assert (t["n_users"], t["n_conversations"], t["share"]) == (
            c["n_users"], c["n_conversations"], c["share"])
        assert t["n_users"] >= 10 and t["n_conversations"] >= 15, "published rows only"
        assert t["share"] == pytest.approx(t["n_conversations"] / t["period_conversations"])
        assert t["period_conversations"] == c["n_accepted"]


@pytest.mark.privacy
def test_an_input_already_counted_in_another_period_is_refused(periods):
    with pytest.raises(ChorusError, match="periods must not overlap"):
        periods.run("c", periods.first, "cluster.period='2026-12'")
    assert periods.sql("SELECT * FROM runs WHERE run_id = 'c'").height == 0
    assert periods.sql("SELECT * FROM cluster_trends WHERE run_id = 'c'").height == 0


@pytest.mark.privacy
def test_the_store_stage_rechecks_the_period_under_the_writer_lock(periods):
    # 'e' (new conversation ids) passes the cluster stage's check; then a rival run that
    # counted the same conversations publishes first (a concurrent run): e must fail at
    # its store stage and publish nothing.
    names = REST[:-1]
    _, data = periods.run("e", periods.second, "cluster.period='2026-12'",
                          "cluster.assign_to='a'", prefix="dec-", names=names)
    assert data.facets is not None and data.release is not None
    keys = conversation_keys(data.facets["conversation_id"].to_list()[:1])
    with PrivateStore(periods.private) as store:
        store.topics().put_run({"run_id": "rival", "mode": "fit", "model_id": "m",
                                "period": "rival-period"}, pl.DataFrame(
            schema={"level": pl.Int32, "cluster_key": pl.Int32, "topic_key": pl.Utf8,
                    "parent_key": pl.Int32, "n_members": pl.Int64,
                    "centroid": pl.List(pl.Float32)}), keys)
        store.topics().set_published("rival", True)
    with pytest.raises(ChorusError, match="overlaps published run"):
        _store_only(periods, "e", data)
    assert periods.sql("SELECT * FROM runs WHERE run_id = 'e'").height == 0
    with PrivateStore(periods.private) as store:
        assert not store.topics().run("e")["published"]
        store.remove_assignments_except({"a", "b"})  # the rival was never in the warehouse


def _store_only(periods: Periods, run_id: str, data: RunData) -> None:
    from tasks.store import store_stage

    cfg = periods.config(periods.second)
    run = {**new_run_row(cfg, run_id), "status": "succeeded"}
    store_stage(data, run, str(periods.warehouse), str(periods.private))


def test_a_rerun_of_the_same_run_id_replaces_its_own_period(periods):
    periods.run("a", periods.first, "cluster.period='2026-10'")
    runs = periods.sql("SELECT run_id, status FROM runs WHERE run_id = 'a'")
    assert runs.rows() == [("a", "succeeded")]
    keys = conversation_keys([f"oct-c{i:06d}" for i in range(N)])
    with PrivateStore(periods.private) as store:
        n = store.connection.execute(
            "SELECT count(*) FROM period_conversations WHERE run_id = 'a'").fetchall()[0][0]
        assert n == N and not store.topics().period_conflicts("a", "2026-10", keys)
