"""The warehouse's documentation, read from the comments of ``warehouse/schema.sql``.

Contract: ``schema_docs(sql)`` returns, per table and view, the comment block written
just above its ``CREATE`` statement and, per column, its comment: the ``-- ...`` after
the column's definition (with the comment-only lines that follow it), the block above
an ``ALTER TABLE ... ADD COLUMN``, or, in a view's block, an indented line
``--   column[, column]   text``. A column with no comment of its own borrows the comment
of the same-named column of a table when it is a view's (views repeat table columns) or
a key (``run_id``, ``cluster_id``). Pure text parsing:
a comment that does not follow these shapes is simply not picked up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CREATE_TABLE = re.compile(r"^CREATE TABLE IF NOT EXISTS (\w+)\s*\(", re.I)
CREATE_VIEW = re.compile(r"^CREATE OR REPLACE VIEW (\w+)", re.I)
ADD_COLUMN = re.compile(r"^ALTER TABLE (\w+) ADD COLUMN IF NOT EXISTS (\w+)", re.I)
COLUMN = re.compile(r'^\s+"?(\w+)"?\s+[A-Z][A-Z0-9_(), ]*?(?:NOT NULL)?,?\s*(?:--\s?(.*))?$')
MORE = re.compile(r"^\s{9,}--\s?(.*)$")  # a column comment's continuation
INNER = re.compile(r"^\s{1,8}--")  # a comment block between columns: ends the last one
VIEW_COLUMN = re.compile(r"^--\s{2,}(\w+(?:,\s*\w+)*)\s{2,}(\S.*)$")


@dataclass
class ObjectDoc:
    """A table's or view's description and its columns' comments."""

    description: str = ""
    columns: dict[str, str] = field(default_factory=dict)


def _block(lines: list[str]) -> str:
    return " ".join(line.lstrip("-").strip() for line in lines).strip()


def schema_docs(sql: str) -> dict[str, ObjectDoc]:
    """Documentation of every table and view of ``sql`` (see the module docstring)."""
    docs: dict[str, ObjectDoc] = {}
    pending: list[str] = []
    held = False  # pending is the block above ADD COLUMN lines, kept for the next one
    table: str | None = None
    last: str | None = None
    for line in sql.splitlines():
        if table is not None:
            if line.startswith(")"):
                table, last = None, None
                continue
            more, col = MORE.match(line), COLUMN.match(line)
            if INNER.match(line):
                last = None
            elif more and last:
                docs[table].columns[last] = (docs[table].columns[last] + " "
                                             + more.group(1).strip()).strip()
            elif col:
                last = col.group(1)
                docs[table].columns[last] = (col.group(2) or "").strip()
            continue
        if line.startswith("--"):
            pending, held = ([] if held else pending) + [line], False
            continue
        if m := CREATE_TABLE.match(line):
            table = m.group(1)
            docs.setdefault(table, ObjectDoc()).description = _block(pending)
        elif m := CREATE_VIEW.match(line):
            doc = docs.setdefault(m.group(1), ObjectDoc(_block(pending)))
            for comment in pending:
                if vc := VIEW_COLUMN.match(comment):
                    for name in re.split(r",\s*", vc.group(1)):
                        doc.columns[name] = vc.group(2).strip()
        elif m := ADD_COLUMN.match(line):
            doc = docs.setdefault(m.group(1), ObjectDoc())
            if m.group(2) not in doc.columns:  # a column defined in CREATE keeps its own
                doc.columns[m.group(2)] = _block(pending)
            held = True
            continue
        pending, held = [], False
    return docs


KEYS = ("run_id", "cluster_id")  # the same meaning in every object


def column_doc(docs: dict[str, ObjectDoc], obj: str, column: str, view: bool = True) -> str:
    """The comment of ``obj.column``; else, for a view's column or a key, the comment of
    the same-named column of the first table that has one."""
    own = docs.get(obj, ObjectDoc()).columns.get(column)
    if own or not (view or column in KEYS):
        return own or ""
    return next((d.columns[column] for d in docs.values() if d.columns.get(column)), "")
