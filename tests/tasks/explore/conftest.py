"""One small flow run with planted canaries, shared by the explorer's browser, canary and
export tests (package scope: the flow runs once for all of tests/tasks/explore).

Planted: PII values (each written by six users: above k, and still must vanish), made-up
tokens written by one user and by k-1 users (below k: must vanish), and conversation and
user ids with a distinctive prefix (the analyst side holds no id). After the run the
private store is moved away, so the page and the export are built with the analyst
warehouse alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from chorus.demo import generate

K = 5
RUN_ID = "explore-run"
ID_PREFIX = "zqxid"
PII = {
    "PERSON": ("Ottoline Brackenbury", "My name is Ottoline Brackenbury and I cannot sleep."),
    "EMAIL_ADDRESS": ("w9.explore.canary@protonmail.com",
                      "Write to w9.explore.canary@protonmail.com about my sleep."),
    "PHONE_NUMBER": ("(646) 555-0178", "Call me on (646) 555-0178 about my insomnia."),
    "IP_ADDRESS": ("203.0.113.91", "My sleep tracker at 203.0.113.91 says I wake at 4am."),
    "URL": ("https://explore-canary.example.net/s/27",
            "I read https://explore-canary.example.net/s/27 about sleeping badly."),
    "STREET_ADDRESS": ("41 Gorsewhistle Lane",
                       "The trucks outside 41 Gorsewhistle Lane keep me awake at night."),
}
RARE = [("vantrosquill", 1), ("plimbersnatch", K - 1)]  # below k: must vanish
BAD_LINE = '{"conversation_id": "zqxid-bad", "user_id": 7}'


def _conv(cid: str, uid: str, text: str) -> dict:
    return {"conversation_id": f"{ID_PREFIX}-{cid}", "user_id": f"{ID_PREFIX}-{uid}",
            "created_at": "2026-10-05T12:00:00+00:00",
            "messages": [{"role": "user", "content": text},
                         {"role": "assistant", "content": "That sounds hard. Tell me more."},
                         {"role": "user", "content": "I have trouble sleeping most nights."}]}


def planted() -> list[dict]:
    rows = [_conv(f"pii-{kind}-{u}", f"pii-user-{u}", sentence)
            for kind, (_, sentence) in PII.items() for u in range(6)]
    for t, (token, n_users) in enumerate(RARE):
        rows += [_conv(f"tok-{t}-{u}", f"tok-user-{t}-{u}",
                       f"I keep having {token} thoughts and I cannot sleep at night, I wake "
                       "up tired and worried about sleep again.") for u in range(n_users)]
    return rows


@pytest.fixture(scope="package")
def explore_run(tmp_path_factory, prefect_harness) -> dict:
    """The flow on 300 demo conversations + the canaries; the page and export built."""
    from flows.pipeline import chorus_pipeline
    from tasks.explore import build_explorer, export_run
    from tasks.store import SCHEMA_PATH

    base = tmp_path_factory.mktemp("explore")
    # seed 14: a run whose headline affective share (and so its reliance histogram) the
    # gate publishes. (Seed 13's tree withheld it until secondary suppression could hide
    # clusters below a top-level one that shows no affective rows; it publishes now too.)
    conversations, _ = generate(300, seed=14)
    path = base / "input.jsonl"
    path.write_text("\n".join([json.dumps(c) for c in conversations + planted()] + [BAD_LINE])
                    + "\n")
    warehouse, private = base / "out" / "chorus.duckdb", base / "out" / "private"
    result = chorus_pipeline("configs/chorus.toml", [
        f"run.inputs=['{path}']", f"run.warehouse='{warehouse}'",
        f"run.private_store='{private / 'p.duckdb'}'", f"privacy.min_users={K}",
        f"privacy.min_conversations={K}", "scrub.progress=false", "embed.progress=false"],
        RUN_ID)
    assert result["status"] == "succeeded"
    private.rename(base / "private-moved-away")  # nothing below may need it
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        page = build_explorer(con, RUN_ID)
        export = export_run(con, base / "export", RUN_ID, SCHEMA_PATH.read_text())
    finally:
        con.close()
    html = base / "report.html"
    html.write_text(page.html, encoding="utf-8")
    forbidden = [v for v, _ in PII.values()] + [t for t, _ in RARE] + [ID_PREFIX]
    return {"base": base, "warehouse": warehouse, "page": page, "html": html,
            "export": export, "forbidden": forbidden, "result": result}


def published(warehouse: Path, sql: str, params: dict | None = None) -> list[tuple]:
    """Rows of ``sql`` over the analyst warehouse (read-only); ``$r`` is the run id."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, {"r": RUN_ID} if params is None else params).fetchall()
    finally:
        con.close()


RELIANCE_RUN = "reliance-run"


def reliance_warehouse(path: Path) -> Path:
    """A warehouse (the real schema, ``tasks.store.connect``) with one succeeded run whose
    top-level cluster 1 has a published reliance histogram ('1', '2+'), medians and a
    boundary row, its child 2 none; rows shaped like the gate's, made up (the small flow
    run above publishes no per-cluster histogram at K)."""
    from tasks.store import connect

    con = connect(path)
    try:
        con.execute("INSERT INTO runs (run_id, status, started_at, finished_at, min_users, "
                    "min_conversations, n_read, n_accepted, n_published, n_suppressed, "
                    "n_noise) VALUES ($r, 'succeeded', now(), now(), 5, 5, 60, 60, 2, 0, 0)",
                    {"r": RELIANCE_RUN})
        con.execute("INSERT INTO clusters (run_id, cluster_id, level, parent_id, kind, name, "
                    "n_conversations, n_users, share, x, y) VALUES "
                    "($r, 1, 1, NULL, 'cluster', 'Worries at home', 60, 40, 1.0, 0, 0), "
                    "($r, 2, 0, 1, 'cluster', 'Sleep and worry', 60, 40, 1.0, 0.1, 0.1)",
                    {"r": RELIANCE_RUN})
        con.execute("INSERT INTO cluster_facets (run_id, cluster_id, facet, value, "
                    "n_conversations, n_users, median_user_turns, median_user_chars) VALUES "
                    "($r, 1, 'affective', 'affective', 30, 20, 4.5, 610), "
                    "($r, 1, 'affective', 'task', 30, 20, 2, 220), "
                    "($r, 1, 'reliance', '2+', 18, 8, NULL, NULL), "
                    "($r, 1, 'reliance', '1', 12, 12, NULL, NULL), "
                    "($r, 1, 'boundary', 'boundary', 6, 6, NULL, NULL), "
                    "($r, 1, 'boundary', 'no boundary', 24, 18, NULL, NULL)",
                    {"r": RELIANCE_RUN})
        con.execute("INSERT INTO run_facets VALUES "
                    "($r, 'reliance', '1', 12, 12, NULL, NULL), "
                    "($r, 'reliance', '2+', 18, 8, NULL, NULL), "
                    "($r, 'affective', 'affective', 30, 20, 4.5, 610), "
                    "($r, 'affective', 'task', 30, 20, 2, 220)", {"r": RELIANCE_RUN})
    finally:
        con.close()
    return path
