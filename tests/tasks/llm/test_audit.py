"""The llm_audit stage against a real HTTP server on 127.0.0.1: every published string is
rated; a rating below the threshold or an unrated string blocks the run, and a blocked
run writes nothing but its runs row and findings to a real DuckDB warehouse."""

from __future__ import annotations

import json

import duckdb
import polars as pl
import pytest

from chorus.core.config import load_config
from chorus.core.schemas import PII_COUNTS_SCHEMA, QUARANTINE_SCHEMA
from flows.composition import RunContext, new_run_row, record
from tasks.llm import llm_audit_stage
from tasks.llm.audit import published_batches
from tasks.release import build_release
from tasks.store import write_run
from tests.tasks.llm.conftest import PRIVACY, llm_settings
from tests.tasks.llm.fake_llm import FakeLLM, Reply, audit_reply, chat, user_payload

pytestmark = pytest.mark.privacy


def released(run):
    run.release = build_release(run.facets, run.labels, run.summaries,
                                pl.DataFrame(schema=PII_COUNTS_SCHEMA), run.facets.height,
                                PRIVACY)
    return run


def audit(run, respond, **kw):
    with FakeLLM(respond) as server:
        counts = llm_audit_stage(run, llm_settings(server.url, auditor=True, **kw))
    return counts, server


def strings_of(release) -> list[str]:
    return [s for batch in published_batches(release) for _, s in batch]


def test_every_published_string_is_rated_and_a_clean_run_passes(run):
    run = released(run)
    counts, server = audit(run, lambda body, n: audit_reply(body, 5))
    sent = [s for b in server.bodies for s in user_payload(b)["strings"]]
    assert sorted(sent) == sorted(strings_of(run.release)) and sent
    assert not counts["blocked"] and counts["audited"] == len(sent)
    assert counts["llm_audited"] == len(sent) and counts["llm_calls"] == len(server.bodies)
    assert "grumplewhisk" not in server.sent_text(), "only published strings are rated"


@pytest.mark.parametrize("score, threshold, blocks", [(2, 3, True), (3, 3, False),
                                                      (4, 3, False), (4, 5, True),
                                                      (1, 1, False)])
def test_a_string_rated_below_the_threshold_blocks_the_run(run, score, threshold, blocks):
    run = released(run)
    target = run.release.clusters.filter(pl.col("kind") == "cluster")["name"][0]

    def respond(body, _n):
        strings = user_payload(body)["strings"]
        scores = [score if s == target else 5 for s in strings]
        return Reply(body=chat(json.dumps({"scores": scores})))

    counts, _ = audit(run, respond, audit_threshold=threshold)
    assert counts["blocked"] is blocks and run.release.blocked is blocks
    found = run.release.findings.filter(pl.col("check") == "llm_privacy") \
        if run.release.findings is not None else pl.DataFrame()
    assert found.height == int(blocks)
    if blocks:
        row = found.row(0, named=True)
        assert row["entity_type"] == f"RATING_{score}" and row["location"].endswith(".name")
        assert target not in json.dumps(run.release.findings.to_dicts()), "never the value"


@pytest.mark.parametrize("unrated_blocks", [True, False])
def test_an_auditor_that_cannot_answer_blocks_unless_told_otherwise(run, unrated_blocks):
    run = released(run)
    counts, _ = audit(run, lambda body, n: Reply(status=503), max_retries=1,
                      audit_unrated_blocks=unrated_blocks)
    assert counts["unrated"] == len(strings_of(run.release)) > 0
    assert counts["blocked"] is unrated_blocks


def test_wrong_number_of_scores_is_malformed(run):
    run = released(run)
    counts, _ = audit(run, lambda body, n: Reply(body=chat(json.dumps({"scores": [5]}))),
                      max_retries=0)
    assert counts["llm_failures"] == counts["llm_calls"] and counts["blocked"]


def test_a_blocked_run_publishes_nothing(run, tmp_path):
    run = released(run)
    cfg = load_config("configs/chorus.toml", ["llm.enabled=true", "llm.model='m'"])
    ctx = RunContext(cfg, new_run_row(cfg, run.run_id))
    ctx.run.update(n_read=run.facets.height, n_accepted=run.facets.height, n_quarantined=0)
    counts, _ = audit(run, lambda body, n: audit_reply(body, 1))
    record(ctx, "llm_audit", counts)
    assert ctx.run["status"] == "blocked" and ctx.run["n_published"] == 0
    assert ctx.run["llm_calls"] == counts["llm_calls"] > 0
    path = tmp_path / "w.duckdb"
    write_run(path, ctx.run, run.release, pl.DataFrame(schema=QUARANTINE_SCHEMA))
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM clusters").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM cluster_phrases").fetchone() == (0,)
        status, calls, audited = con.execute(
            "SELECT status, llm_calls, llm_audited FROM runs").fetchone()
        assert (status, calls, audited) == ("blocked", counts["llm_calls"],
                                             counts["audited"])
        n = con.execute("SELECT count(*) FROM release_findings WHERE \"check\" = 'llm_privacy' "
                    "AND blocking").fetchone()
        assert n == (counts["below"],) and counts["below"] > 0
    finally:
        con.close()


def test_a_run_the_gate_already_blocked_is_not_sent(run):
    run = released(run)
    run.release.findings = pl.DataFrame([{"location": "x", "check": "pii",
                                          "entity_type": "EMAIL_ADDRESS", "blocking": True}])
    counts, server = audit(run, lambda body, n: audit_reply(body, 5))
    assert counts["blocked"] and not server.bodies
