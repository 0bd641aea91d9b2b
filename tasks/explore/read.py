"""Read one run of the ANALYST warehouse into plain Python rows for the explorer.

Contract: the only input is an open connection to the analyst warehouse (the caller
opens it read-only; ``chorus explore`` uses ``tasks.store.connect``). Everything read
here is what the release gate published: ``runs``, ``run_facets``, ``clusters``,
``cluster_phrases``, ``cluster_facets``, ``pii_counts`` and the ``cluster_support`` and
``cluster_reliance`` views. Nothing reads the private store, so the page can hold
nothing the gate did not publish. Columns, tables and views a warehouse does not have
yet (an older database without ``x``/``y``, ``run_facets`` or ``cluster_reliance``, a
warehouse without the lens) read as None or empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import duckdb

from chorus.core.errors import ChorusError

SUPPORT_COLUMNS = ("affective_share", "share_better", "share_worse", "concern_rate",
                   "referral_rate_among_concern", "n_affective")
# cluster_reliance's per-cluster columns (its run_* columns come from run_facets instead)
RELIANCE_COLUMNS = ("n_affective_users", "median_turns_affective", "median_turns_task",
                    "median_chars_affective", "median_chars_task", "boundary_rate",
                    "boundary_rate_among_concern")


@dataclass
class RunView:
    """One run as published: ``run`` is its ``runs`` row; ``clusters`` its rows (every
    column of ``clusters``); ``phrases``/``facets``/``support`` keyed by cluster id;
    ``earlier_runs``: succeeded runs that finished before it; ``run_facets``: the run's
    own rows (``run_facets``: facet -> rows of value, n_conversations, n_users,
    median_user_turns, median_user_chars); ``reliance``: the ``cluster_reliance`` view's
    RELIANCE_COLUMNS keyed by cluster id."""

    run: dict[str, Any]
    clusters: list[dict[str, Any]]
    phrases: dict[int, list[str]] = field(default_factory=dict)
    facets: dict[int, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)
    support: dict[int, dict[str, Any]] = field(default_factory=dict)
    pii: list[dict[str, Any]] = field(default_factory=list)
    earlier_runs: int = 0
    run_facets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    reliance: dict[int, dict[str, Any]] = field(default_factory=dict)


def _plain(value: Any) -> Any:
    """JSON-safe scalars: timestamps as ISO strings."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _rows(con: duckdb.DuckDBPyConnection, sql: str, run_id: str) -> list[dict[str, Any]]:
    rel = con.execute(sql, {"r": run_id})
    names = [d[0] for d in rel.description or []]
    return [{n: _plain(v) for n, v in zip(names, row, strict=True)} for row in rel.fetchall()]


def _has(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables "
                            "WHERE table_name = $n", {"n": name}).fetchall()[0][0])


def resolve_run(con: duckdb.DuckDBPyConnection, run_id: str | None) -> str:
    """``run_id``, or the latest succeeded run's; ChorusError when there is none."""
    if run_id is None:
        rows = con.execute("SELECT run_id FROM latest_run").fetchall()
        if not rows:
            raise ChorusError("the warehouse holds no succeeded run")
        return str(rows[0][0])
    if not con.execute("SELECT count(*) FROM runs WHERE run_id = $r",
                       {"r": run_id}).fetchall()[0][0]:
        raise ChorusError(f"no run {run_id!r} in the warehouse")
    return run_id


def read_run(con: duckdb.DuckDBPyConnection, run_id: str | None = None) -> RunView:
    """The published rows of ``run_id`` (default: the latest succeeded run)."""
    run_id = resolve_run(con, run_id)
    run = _rows(con, "SELECT * FROM runs WHERE run_id = $r", run_id)[0]
    clusters = _rows(con, "SELECT * FROM clusters WHERE run_id = $r ORDER BY cluster_id",
                     run_id)
    for row in clusters:
        row.setdefault("x", None)
        row.setdefault("y", None)
        row.setdefault("mean_sentiment_shift", None)
    view = RunView(run, clusters)
    for row in _rows(con, "SELECT cluster_id, phrase FROM cluster_phrases WHERE run_id = $r "
                          "ORDER BY cluster_id, rank", run_id):
        view.phrases.setdefault(row["cluster_id"], []).append(row["phrase"])
    for row in _rows(con, "SELECT cluster_id, facet, value, n_conversations, n_users "
                          "FROM cluster_facets WHERE run_id = $r "
                          "ORDER BY cluster_id, facet, n_conversations DESC, value", run_id):
        view.facets.setdefault(row.pop("cluster_id"), {}).setdefault(
            row.pop("facet"), []).append(row)
    if _has(con, "cluster_support"):
        for row in _rows(con, "SELECT * FROM cluster_support WHERE run_id = $r", run_id):
            view.support[row["cluster_id"]] = {c: row.get(c) for c in SUPPORT_COLUMNS}
    if _has(con, "run_facets"):
        for row in _rows(con, "SELECT facet, value, n_conversations, n_users, "
                              "median_user_turns, median_user_chars FROM run_facets "
                              "WHERE run_id = $r ORDER BY facet, value", run_id):
            view.run_facets.setdefault(row.pop("facet"), []).append(row)
    if _has(con, "cluster_reliance"):
        for row in _rows(con, "SELECT * FROM cluster_reliance WHERE run_id = $r", run_id):
            view.reliance[row["cluster_id"]] = {c: row.get(c) for c in RELIANCE_COLUMNS}
    view.pii = _rows(con, "SELECT entity_type, n_entities, n_conversations, n_users "
                          "FROM pii_counts WHERE run_id = $r ORDER BY n_entities DESC", run_id)
    view.earlier_runs = int(con.execute(
        "SELECT count(*) FROM runs WHERE status = 'succeeded' AND run_id <> $r AND "
        "finished_at < (SELECT finished_at FROM runs WHERE run_id = $r)",
        {"r": run_id}).fetchall()[0][0])
    return view
