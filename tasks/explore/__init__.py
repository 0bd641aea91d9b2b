"""The analyst's explorer and export: read the ANALYST warehouse only, never the private store.

* ``page``: ``build_explorer(con, run_id)`` -> one self-contained HTML page (map, tree,
  details, run header, search; BokehJS and all data inline, no network).
* ``export``: ``export_run(con, out, run_id, schema_sql)`` -> one Parquet file per analyst
  table and view of a run, documented (``SCHEMA.md`` and Parquet metadata).
* ``read`` (the published rows of a run), ``model`` (the page model), ``schema_doc``
  (column comments from ``warehouse/schema.sql``).

Whatever these write can hold only what the release gate published: their one input is a
connection to the analyst warehouse, which the caller opens (``chorus explore`` and
``chorus export`` open it read-only).
"""

from tasks.explore.export import Export, export_run
from tasks.explore.page import Explorer, build_explorer

__all__ = ["Explorer", "Export", "build_explorer", "export_run"]
