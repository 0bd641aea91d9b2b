"""Column comments read from schema.sql's shapes."""

from __future__ import annotations

from tasks.explore.schema_doc import column_doc, schema_docs
from tasks.store import SCHEMA_PATH

SQL = """
-- Things, one per row.
CREATE TABLE IF NOT EXISTS things (
    run_id   VARCHAR NOT NULL,   -- the run
    size     BIGINT,             -- how big:
                                 -- in units
    -- a block between columns
    colour   VARCHAR
);
-- Databases from before.
ALTER TABLE things ADD COLUMN IF NOT EXISTS size BIGINT;
-- Where it is.
ALTER TABLE things ADD COLUMN IF NOT EXISTS x DOUBLE;
ALTER TABLE things ADD COLUMN IF NOT EXISTS y DOUBLE;

-- The big things.
--   size   at least ten
CREATE OR REPLACE VIEW big AS SELECT * FROM things WHERE size >= 10;
"""


def test_shapes():
    docs = schema_docs(SQL)
    assert docs["things"].description == "Things, one per row."
    assert docs["things"].columns == {"run_id": "the run", "size": "how big: in units",
                                      "colour": "", "x": "Where it is.", "y": "Where it is."}
    assert docs["big"].description == "The big things. size   at least ten"
    assert column_doc(docs, "big", "size") == "at least ten"
    assert column_doc(docs, "big", "colour") == ""
    assert column_doc(docs, "big", "x") == "Where it is."  # borrowed by a view


def test_the_real_schema_documents_its_key_columns():
    docs = schema_docs(SCHEMA_PATH.read_text())
    assert "k-user rule" in docs["clusters"].columns["name"]
    assert docs["runs"].columns["dp_delta"] == ""  # its own (empty) comment, not a block's
    assert "PCA" in docs["clusters"].columns["x"]
    assert "the cluster" in column_doc(docs, "cluster_support", "n_affective")
