"""``chorus export --format parquet``: one run's analyst tables and views as Parquet files.

Contract: reads the ANALYST warehouse only, through the caller's (read-only) connection.
Every table and view of the warehouse that has a ``run_id`` column is written as
``<name>.parquet`` holding that run's rows, found from the database's own catalogue, so a
table or view added to ``warehouse/schema.sql`` later is exported without a change
here. Views defined over ``latest_run`` (``latest_run``, ``latest_clusters``,
``support_overview``, ...) are the newest run's rows of another exported object and are
left out. Each file carries its documentation: the object's description and each
column's comment from ``schema.sql`` (``schema_doc``) as Parquet metadata
(``description`` on the schema and on each field), and ``SCHEMA.md`` beside the files
lists every file with its rows, columns, types and descriptions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from tasks.explore.read import resolve_run
from tasks.explore.schema_doc import ObjectDoc, column_doc, schema_docs

# What a row is, for objects whose schema.sql block does not say (README's table).
ROW_MEANING = {
    "runs": "One row per run: times, config hash, status, k, counts read / accepted / "
            "quarantined / noise / published / suppressed, DP budget, the lens's run counts.",
    "clusters": "One row per published cluster ('cluster') or 'Other (suppressed)' row "
                "('other'), every level, with its map position.",
    "cluster_phrases": "One row per key phrase of a published cluster, ranked.",
    "pii_counts": "One row per PII entity type scrubbed with at least k users.",
    "quarantine": "One row per malformed input record: source, record number, reason "
                  "(never the text).",
}


@dataclass
class Export:
    """What was written: ``rows`` per exported object, ``skipped`` latest-run aliases."""

    run_id: str
    out: Path
    rows: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


def run_objects(con: duckdb.DuckDBPyConnection) -> tuple[list[tuple[str, str]], list[str]]:
    """(name, 'table' | 'view') of every object with a ``run_id`` column, in catalogue
    order (tables first), and the names of the views over ``latest_run`` left out."""
    rows = con.execute(
        "SELECT t.table_name, t.table_type FROM information_schema.tables t "
        "WHERE t.table_schema = 'main' AND EXISTS (SELECT 1 FROM information_schema.columns c "
        "WHERE c.table_name = t.table_name AND c.column_name = 'run_id') "
        "ORDER BY t.table_type, t.table_name").fetchall()
    views_sql = dict(con.execute(
        "SELECT view_name, sql FROM duckdb_views() WHERE NOT internal").fetchall())
    keep, skipped = [], []
    for name, kind in rows:
        sql = views_sql.get(name, "")
        if kind == "VIEW" and (name == "latest_run" or "latest_run" in sql):
            skipped.append(name)
        else:
            keep.append((name, "view" if kind == "VIEW" else "table"))
    return keep, skipped


def _documented(table: pa.Table, name: str, view: bool, docs: dict[str, ObjectDoc]
                ) -> pa.Table:
    description = docs.get(name, ObjectDoc()).description or ROW_MEANING.get(name, "")
    fields = [f.with_metadata({"description": column_doc(docs, name, f.name, view)})
              for f in table.schema]
    schema = pa.schema(fields, metadata={"description": description, "chorus.object": name})
    return table.cast(schema)


def _markdown(export: Export, kinds: dict[str, str], tables: dict[str, pa.Table],
              docs: dict[str, ObjectDoc]) -> str:
    out = [f"# Chorus analyst export: run `{export.run_id}`", "",
           "One Parquet file per analyst table and view, holding this run's rows only. "
           "Every row passed the release gate (k-anonymity; see PRIVACY.md). Column "
           "descriptions come from `warehouse/schema.sql` and are also stored in each "
           "file's Parquet metadata (`description`).", ""]
    if export.skipped:
        out += [f"Not exported (the newest run's rows of an exported object): "
                f"{', '.join(f'`{s}`' for s in export.skipped)}.", ""]
    for name, table in tables.items():
        desc = docs.get(name, ObjectDoc()).description or ROW_MEANING.get(name, "")
        out += [f"## `{name}.parquet` ({kinds[name]}, {export.rows[name]} rows)", ""]
        if desc:
            out += [desc, ""]
        out += ["| column | type | description |", "|---|---|---|"]
        out += [f"| `{f.name}` | {f.type} | " + column_doc(
            docs, name, f.name, kinds[name] == "view").replace("|", "/") + " |"
            for f in table.schema]
        out.append("")
    return "\n".join(out)


def export_run(con: duckdb.DuckDBPyConnection, out: str | Path, run_id: str | None = None,
               schema_sql: str = "") -> Export:
    """Write run ``run_id`` (default: the latest succeeded run) under ``out``: one
    ``<name>.parquet`` per object of ``run_objects`` and ``SCHEMA.md``.

    Args:
        con: a connection to the analyst warehouse.
        out: the folder (created when missing; files of the same names are replaced).
        run_id: the run; ChorusError when the warehouse does not hold it.
        schema_sql: the text of ``warehouse/schema.sql``, for the documentation.
    """
    run_id = resolve_run(con, run_id)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    docs = schema_docs(schema_sql)
    objects, skipped = run_objects(con)
    kinds = dict(objects)
    export = Export(run_id, out, skipped=skipped)
    tables: dict[str, pa.Table] = {}
    for name, _ in objects:
        table = con.sql(f'SELECT * FROM "{name}" WHERE run_id = $r',
                        params={"r": run_id}).to_arrow_table()
        tables[name] = _documented(table, name, kinds[name] == "view", docs)
        pq.write_table(tables[name], out / f"{name}.parquet", compression="zstd")
        export.rows[name] = tables[name].num_rows
    (out / "SCHEMA.md").write_text(_markdown(export, kinds, tables, docs))
    return export
