"""The whole flow under prefect_test_harness, on demo conversations with planted canaries.

One flow run (module fixture) feeds several tests: warehouse shape, count reconciliation,
the privacy invariants of what was published, replacement on rerun, and the canary scan of
every file, log record and artifact the run produced.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import duckdb
import pytest

from chorus.demo import generate
from chorus.demo.pii import luhn_digit

pytestmark = [pytest.mark.integration, pytest.mark.slow]

K_USERS, K_CONV = 5, 5
N_DEMO = 320


CARD = "453201511283036" + luhn_digit("453201511283036")
# Made-up tokens: (token, number of distinct users who write it). Below k: must vanish.
RARE_TOKENS = [("quorvexian", 1), ("blentharop", K_USERS - 1), ("zintagrumble", 2)]
# PII values: must vanish everywhere, whatever their spread.
PII_CANARIES = {
    "PERSON": "Zebulon Quaxley",
    "EMAIL_ADDRESS": "q7.canary.tester@protonmail.com",
    "PHONE_NUMBER": "(646) 555-0162",
    "CREDIT_CARD": " ".join(CARD[i:i + 4] for i in range(0, 16, 4)),
    "IP_ADDRESS": "203.0.113.77",
    "URL": "https://canary-tracker.example.net/x/91",
    "STREET_ADDRESS": "77 Quillfeather Lane",
}
BAD_LINES = ['{"conversation_id": "bad-1", "user_id": 3}', "{not json",
             '{"conversation_id": "bad-2", "user_id": "u", '
             '"created_at": "2026-10-01T00:00:00Z", "messages": []}']


def canary_conversations() -> list[dict]:
    rows = []
    sentences = {
        "PERSON": "My name is Zebulon Quaxley and I cannot sleep at night.",
        "EMAIL_ADDRESS": "You can email me at q7.canary.tester@protonmail.com about my sleep.",
        "PHONE_NUMBER": "My number is (646) 555-0162 if that matters for sleep help.",
        "CREDIT_CARD": (f"I paid for a sleep app with card {PII_CANARIES['CREDIT_CARD']} "
                        "and it failed."),
        "IP_ADDRESS": "My sleep tracker at 203.0.113.77 shows I wake up at 3am.",
        "URL": "I read https://canary-tracker.example.net/x/91 about insomnia.",
        "STREET_ADDRESS": "The noise outside 77 Quillfeather Lane keeps me awake all night.",
    }
    i = 0
    for sentence in sentences.values():
        for u in range(6):  # six users share each PII sentence: above k, still must vanish
            rows.append(_conv(f"pii-{i}", f"pii-user-{u}", sentence))
            i += 1
    for t, (token, n_users) in enumerate(RARE_TOKENS):
        for u in range(n_users):  # ids must not carry the token: the private store has ids
            rows.append(_conv(f"tok-{t}-{u}", f"tok-user-{t}-{u}",
                              f"I keep having {token} thoughts and I cannot sleep at night, "
                              f"I wake up tired and worried about sleep again."))
    return rows


def _conv(cid: str, uid: str, text: str) -> dict:
    return {"conversation_id": cid, "user_id": uid, "created_at": "2026-10-05T12:00:00+00:00",
            "messages": [{"role": "user", "content": text},
                         {"role": "assistant", "content": "That sounds hard. Tell me more."},
                         {"role": "user", "content": "I have trouble sleeping most nights."}]}


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(record.getMessage())
        except Exception:  # noqa: BLE001 - a log handler must not raise; keep the raw msg
            self.lines.append(str(record.msg))


@pytest.fixture(scope="module")
def pipeline_run(tmp_path_factory, prefect_harness):
    from flows.pipeline import chorus_pipeline

    base = tmp_path_factory.mktemp("pipeline")
    root = base / "out"  # everything the run writes; the input lives beside it
    conversations, _truth = generate(N_DEMO, seed=11)
    extra = canary_conversations()
    path = base / "input.jsonl"
    lines = [json.dumps(c) for c in conversations + extra] + BAD_LINES
    path.write_text("\n".join(lines) + "\n")
    overrides = [f"run.inputs=['{path}']", f"run.warehouse='{root / 'chorus.duckdb'}'",
                 f"run.private_store='{root / 'private' / 'p.duckdb'}'",
                 f"privacy.min_users={K_USERS}", f"privacy.min_conversations={K_CONV}",
                 "scrub.progress=false", "embed.progress=false"]
    handler = Collect()
    loggers = [logging.getLogger(), logging.getLogger("prefect")]
    for lg in loggers:
        lg.addHandler(handler)
    try:
        result = chorus_pipeline("configs/chorus.toml", overrides, "test-run-1")
    finally:
        for lg in loggers:
            lg.removeHandler(handler)
    ids = {c["conversation_id"] for c in conversations + extra} | \
          {c["user_id"] for c in conversations + extra}
    return {"root": root, "result": result, "overrides": overrides, "logs": handler.lines,
            "n_good": len(conversations) + len(extra), "ids": ids,
            "warehouse": root / "chorus.duckdb", "private": root / "private" / "p.duckdb"}


def test_counts_reconcile(pipeline_run, query):
    run = query(pipeline_run["warehouse"], "SELECT n_read, n_accepted, n_quarantined, n_noise, "
                "status FROM runs WHERE run_id = 'test-run-1'")
    assert len(run) == 1
    n_read, n_accepted, n_quarantined, n_noise, status = run[0]
    assert status == "succeeded"
    assert n_accepted == pipeline_run["n_good"] and n_quarantined == len(BAD_LINES)
    assert n_read == n_accepted + n_quarantined
    top = query(pipeline_run["warehouse"], "SELECT sum(n_conversations) FROM clusters "
                "WHERE run_id = 'test-run-1' AND parent_id IS NULL")[0][0]
    # published top level + other row + published noise cover every accepted conversation
    assert top + (n_noise or 0) == n_accepted
    assigned = query(pipeline_run["private"], "SELECT count(*) FROM assignments "
                     "WHERE run_id = 'test-run-1' AND level = 0")[0][0]
    assert assigned == n_accepted


def test_warehouse_shape_and_thresholds(pipeline_run, query):
    wh = pipeline_run["warehouse"]
    tables = {r[0] for r in query(wh, "SELECT table_name FROM information_schema.tables")}
    assert {"runs", "clusters", "cluster_phrases", "cluster_facets", "pii_counts", "quarantine",
            "latest_clusters", "cluster_tree", "latest_run"} <= tables
    columns = {r[0] for r in query(wh, "SELECT column_name FROM information_schema.columns")}
    assert columns and not columns & {"conversation_id", "user_id", "text", "content", "request"}
    rows = query(wh, "SELECT level, kind, n_users, n_conversations, name FROM clusters")
    assert rows and {r[0] for r in rows} == {0, 1, 2}
    assert all(r[2] >= K_USERS and r[3] >= K_CONV for r in rows)
    assert any(r[1] == "cluster" and r[4] for r in rows), "some cluster got a name"
    facets = query(wh, "SELECT n_users, n_conversations FROM cluster_facets")
    assert facets and all(u >= K_USERS and c >= K_CONV for u, c in facets)
    # every parent's count equals its children's (published clusters + other row)
    n_parents = query(wh, """SELECT count(DISTINCT p.cluster_id) FROM clusters p
                             JOIN clusters c ON c.parent_id = p.cluster_id
                             AND c.run_id = p.run_id""")[0][0]
    assert n_parents > 0, "some published cluster has children"
    gaps = query(wh, """SELECT p.cluster_id, p.n_conversations, sum(c.n_conversations)
                        FROM clusters p JOIN clusters c ON c.parent_id = p.cluster_id
                        AND c.run_id = p.run_id GROUP BY ALL
                        HAVING p.n_conversations <> sum(c.n_conversations)""")
    assert gaps == []
    tree = query(wh, "SELECT path FROM cluster_tree ORDER BY sort_key")
    assert len(tree) == len(rows) and any(" > " in p[0] for p in tree)
    pii = dict(query(wh, "SELECT entity_type, n_entities FROM pii_counts"))
    assert pii.get("PERSON", 0) > 0 and pii.get("EMAIL_ADDRESS", 0) > 0


def test_heavy_and_rare_topics_are_suppressed(pipeline_run):
    # the heavy user's tail topic (many conversations, few users) never shows a word
    strings = analyst_strings(pipeline_run["warehouse"])
    assert strings, "the warehouse holds published text"
    text = " ".join(strings).lower()
    assert "visa" not in text


def analyst_strings(path: Path) -> list[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = []
        cols = con.sql("SELECT table_name, column_name FROM information_schema.columns "
                       "WHERE data_type = 'VARCHAR'").fetchall()
        for table, column in cols:
            out += [str(v[0]) for v in con.sql(f'SELECT "{column}" FROM "{table}"').fetchall()
                    if v[0] is not None]
        return out
    finally:
        con.close()


def test_no_identifier_reaches_the_analyst_database(pipeline_run):
    strings = set(analyst_strings(pipeline_run["warehouse"]))
    assert strings and pipeline_run["ids"]
    assert not strings & pipeline_run["ids"]


def all_files(*roots: Path) -> list[Path]:
    return [p for root in roots if root and root.exists()
            for p in ([root] if root.is_file() else root.rglob("*")) if p.is_file()]


@pytest.mark.privacy
def test_canaries_never_leave_memory(pipeline_run, prefect_home, prefect_harness):
    from prefect.client.orchestration import get_client

    secrets = list(PII_CANARIES.values()) + [t for t, _ in RARE_TOKENS]
    needles = [s.lower().encode() for s in secrets]
    db = prefect_harness["database"]
    files = all_files(pipeline_run["root"], prefect_home, db.parent if db else None)
    assert any(f.suffix == ".duckdb" for f in files) and files
    for f in files:
        blob = f.read_bytes().lower()
        for needle in needles:
            assert needle not in blob, f"canary found in {f}"
    # DuckDB compresses strings on disk: read every text column through SQL too.
    for path in (pipeline_run["warehouse"], pipeline_run["private"]):
        strings = analyst_strings(path)
        assert strings, f"{path.name} holds text columns to scan"
        text = "\n".join(strings).lower()
        for s in secrets:
            assert s.lower() not in text, f"canary in {path.name}"
    assert pipeline_run["logs"], "the run logged something"
    logs = "\n".join(pipeline_run["logs"]).lower()
    for s in secrets:
        assert s.lower() not in logs
    import asyncio

    async def artifacts():
        async with get_client() as client:
            return await client.read_artifacts()

    arts = asyncio.run(artifacts())
    assert any(a.key == "chorus-run" for a in arts)
    for art in arts:
        body = json.dumps(art.data).lower() if not isinstance(art.data, str) else art.data.lower()
        assert "published tree" in body or art.key != "chorus-run"
        for s in secrets:
            assert s.lower() not in body


def test_rerun_replaces_instead_of_duplicating(pipeline_run, query):
    from flows.pipeline import chorus_pipeline

    wh = pipeline_run["warehouse"]
    tables = ("runs", "clusters", "cluster_phrases", "cluster_facets", "pii_counts", "quarantine")
    before = {t: query(wh, f"SELECT count(*) FROM {t}")[0][0] for t in tables}
    assert all(before.values()), f"every table holds rows before the rerun: {before}"
    chorus_pipeline("configs/chorus.toml", pipeline_run["overrides"], "test-run-1")
    after = {t: query(wh, f"SELECT count(*) FROM {t}")[0][0] for t in tables}
    assert after == before
    assigned = query(pipeline_run["private"], "SELECT count(*) FROM assignments")[0][0]
    assert assigned == pipeline_run["n_good"] * 3


def test_tree_command_prints_the_published_hierarchy(pipeline_run):
    from typer.testing import CliRunner

    from chorus.cli import app

    out = CliRunner().invoke(app, ["tree", "--warehouse", str(pipeline_run["warehouse"])])
    assert out.exit_code == 0, out.output
    assert "conversations" in out.output and "users" in out.output
    assert len(out.output.splitlines()) >= 3


def test_lens_reaches_the_warehouse_only_through_the_gate(pipeline_run, query):
    wh = pipeline_run["warehouse"]
    run_columns = {r[0] for r in query(wh, "SELECT column_name FROM information_schema.columns "
                                       "WHERE table_name = 'runs'")}
    assert {"n_affective", "n_affective_users", "affective_share",
            "affective_share_adjusted"} <= run_columns
    n_clusters = query(wh, "SELECT count(*) FROM clusters WHERE run_id = 'test-run-1' "
                           "AND kind = 'cluster'")[0][0]
    overview = query(wh, "SELECT level, n_conversations, n_affective, affective_share, "
                         "mean_sentiment_shift FROM support_overview")
    assert overview and len(overview) == n_clusters
    # the lens ran: every published row (clusters and 'other') has a mean shift
    assert query(wh, "SELECT count(*) FROM clusters WHERE mean_sentiment_shift IS NULL")[0][0] == 0
    lens_rows = query(wh, "SELECT facet, value, n_users, n_conversations FROM cluster_facets "
                          "WHERE facet IN ('affective', 'outcome', 'support_path')")
    assert any(r[0] == "affective" for r in lens_rows)
    assert all(u >= K_USERS and c >= K_CONV for _, _, u, c in lens_rows)
    n_aff, share = query(wh, "SELECT n_affective, affective_share FROM runs "
                              "WHERE run_id = 'test-run-1'")[0]
    assert n_aff is None or (n_aff >= K_CONV and 0 < share < 1)


def test_reliance_is_published_only_as_k_gated_aggregates(pipeline_run, query):
    from typer.testing import CliRunner

    from chorus.cli import app

    wh = pipeline_run["warehouse"]
    views = {r[0] for r in query(wh, "SELECT view_name FROM duckdb_views()")}
    assert {"reliance_overview", "cluster_reliance"} <= views
    n_clusters = query(wh, "SELECT count(*) FROM clusters WHERE run_id = 'test-run-1' "
                           "AND kind = 'cluster'")[0][0]
    assert len(query(wh, "SELECT * FROM reliance_overview")) == n_clusters
    # no table holds a user-level row: every count of users is >= k, in every table
    tables = query(wh, "SELECT table_name FROM duckdb_columns() WHERE column_name = 'n_users' "
                       "AND NOT internal AND table_name IN (SELECT table_name FROM "
                       "duckdb_tables())")
    assert {"run_facets", "cluster_facets", "clusters"} <= {t for (t,) in tables}
    for (table,) in tables:
        low = query(wh, f"SELECT count(*) FROM {table} WHERE n_users < {K_USERS}")[0][0]
        assert low == 0, table
    rel = query(wh, "SELECT facet, n_users, n_conversations FROM run_facets "
                    "UNION ALL SELECT facet, n_users, n_conversations FROM cluster_facets "
                    "WHERE facet IN ('reliance', 'boundary', 'boundary_concern')")
    assert all(u >= K_USERS and c >= K_CONV for _, u, c in rel)
    n_aff = query(wh, "SELECT n_affective_users FROM runs WHERE run_id = 'test-run-1'")[0][0]
    hist = query(wh, "SELECT sum(n_users) FROM run_facets WHERE facet = 'reliance'")[0][0]
    assert hist is None or hist == n_aff           # every affective user in one range
    out = CliRunner().invoke(app, ["tree", "--warehouse", str(wh), "--lens", "reliance"])
    assert out.exit_code == 0, out.output
    assert "median user turns" in out.output or "reliance: withheld" in out.output
