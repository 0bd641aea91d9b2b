"""Do two warehouses publish the same tree? (issue 10: the Dask path against the local one)

    python -m bench.compare_trees A.duckdb B.duckdb [--run-a ID] [--run-b ID] [--out F.json]

Compares what analysts see of one run in each warehouse (default: each one's
``latest_run``): the ``clusters`` rows (ids, levels, parents, names, descriptions, counts,
shares, topic keys), ``cluster_phrases`` and ``cluster_facets``, all without ``run_id``
and in a fixed order. Prints one line per table and exits 1 when any differs; ``--out``
writes ``{tables: [{table, rows_a, rows_b, identical}], identical}``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb

TABLES = ("clusters", "cluster_phrases", "cluster_facets")


def published_rows(path: Path, run_id: str | None = None,
                   columns: Mapping[str, str] | None = None) -> tuple[str, dict[str, list]]:
    """The run id and, per table, its rows of that run, sorted.

    Args:
        path: a warehouse, opened read-only.
        run_id: the run (default: ``latest_run``'s).
        columns: table -> the select list read (default: every column but ``run_id`` of
            each of ``TABLES``).
    """
    columns = columns or dict.fromkeys(TABLES, "* EXCLUDE (run_id)")
    con = duckdb.connect(str(path), read_only=True)
    try:
        if run_id is None:
            run_id = con.sql("SELECT run_id FROM latest_run").fetchall()[0][0]
        rows = {table: con.sql(f"SELECT {cols} FROM {table} WHERE run_id = ? ORDER BY ALL",
                               params=[run_id]).fetchall()
                for table, cols in columns.items()}
    finally:
        con.close()
    return str(run_id), rows


def compare(a: dict[str, list], b: dict[str, list]) -> list[dict[str, Any]]:
    """Per table: row counts on both sides and whether the rows are identical."""
    return [{"table": t, "rows_a": len(a[t]), "rows_b": len(b[t]), "identical": a[t] == b[t]}
            for t in a]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path)
    parser.add_argument("b", type=Path)
    parser.add_argument("--run-a", default=None)
    parser.add_argument("--run-b", default=None)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    run_a, rows_a = published_rows(args.a, args.run_a)
    run_b, rows_b = published_rows(args.b, args.run_b)
    tables = compare(rows_a, rows_b)
    for row in tables:
        print(f"{row['table']}: {row['rows_a']} vs {row['rows_b']} rows, "
              f"identical={row['identical']}")
    same = all(row["identical"] for row in tables)
    if args.out:
        args.out.write_text(json.dumps({"a": str(args.a), "run_a": run_a, "b": str(args.b),
                                        "run_b": run_b, "tables": tables, "identical": same},
                                       indent=2) + "\n")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
