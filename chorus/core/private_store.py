"""The private store: per-conversation data that analysts never see.

One DuckDB file (default ``warehouse/private/chorus_private.duckdb``) holding

* ``embedding_cache(model_id VARCHAR, text_key VARCHAR, embedding FLOAT[])`` — vectors of
  scrubbed requests keyed by model and sha256 of the request (no text is stored);
* ``assignments(run_id VARCHAR, conversation_id VARCHAR, user_id VARCHAR, level INTEGER,
  cluster_key INTEGER)`` — which internal cluster each conversation fell in, per level
  (cluster_key -1 is noise). Internal keys are not the published cluster ids.

It holds identifiers and embeddings (embeddings can be partly inverted: see the README),
so it is for operators, not analysts. It never holds conversation text.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import polars as pl

from chorus.core.errors import ChorusError

PRIVATE_DDL = """
CREATE TABLE IF NOT EXISTS embedding_cache (
    model_id VARCHAR NOT NULL, text_key VARCHAR NOT NULL, embedding FLOAT[] NOT NULL,
    PRIMARY KEY (model_id, text_key));
CREATE TABLE IF NOT EXISTS assignments (
    run_id VARCHAR NOT NULL, conversation_id VARCHAR NOT NULL, user_id VARCHAR NOT NULL,
    level INTEGER NOT NULL, cluster_key INTEGER NOT NULL);
"""


class EmbeddingCache:
    """``get``/``put`` over the embedding_cache table (see tasks.embed.embed_with_cache).

    Frames reach SQL by explicit registration on the connection (``register``), for the
    one statement that reads them.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def get(self, model_id: str, keys: list[str]) -> dict[str, np.ndarray]:
        if not keys:
            return {}
        self.con.register("wanted", pl.DataFrame({"text_key": keys}))
        try:
            rows = self.con.sql(
                "SELECT c.text_key, c.embedding FROM embedding_cache c "
                "JOIN wanted w USING (text_key) WHERE c.model_id = $m", params={"m": model_id}
            ).pl()
        finally:
            self.con.unregister("wanted")
        if rows.is_empty():
            return {}
        matrix = np.asarray(rows["embedding"].to_list(), dtype=np.float32)
        return dict(zip(rows["text_key"].to_list(), matrix, strict=True))

    def put(self, model_id: str, keys: list[str], vectors: np.ndarray) -> None:
        if not keys:
            return
        frame = pl.DataFrame({
            "model_id": [model_id] * len(keys), "text_key": keys,
            "embedding": pl.Series(vectors.astype(np.float32).tolist(),
                                   dtype=pl.List(pl.Float32)),
        })
        self.con.register("frame", frame)
        try:
            self.con.execute("INSERT OR REPLACE INTO embedding_cache "
                             "SELECT model_id, text_key, embedding FROM frame")
        finally:
            self.con.unregister("frame")


class PrivateStore:
    """Context manager over the private DuckDB file.

    ``con`` is the open connection inside ``with`` and None outside it; ``connection`` is
    the same connection, or a ``ChorusError`` when the store is not open.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.con: duckdb.DuckDBPyConnection | None = None

    def __enter__(self) -> PrivateStore:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.con = duckdb.connect(str(self.path))
        self.con.execute(PRIVATE_DDL)
        return self

    def __exit__(self, *exc) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        """The open connection; a ``ChorusError`` outside ``with PrivateStore(...)``."""
        if self.con is None:
            raise ChorusError(f"private store {self.path} is not open (use it in a with block)")
        return self.con

    def embedding_cache(self) -> EmbeddingCache:
        return EmbeddingCache(self.connection)

    def write_assignments(self, run_id: str, assignments: pl.DataFrame) -> None:
        """Replace the run's rows. ``assignments``: conversation_id, user_id, level, cluster_key."""
        con = self.connection
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("DELETE FROM assignments WHERE run_id = $r", {"r": run_id})
            frame = assignments.select(
                pl.lit(run_id).alias("run_id"), "conversation_id", "user_id",
                pl.col("level").cast(pl.Int32), pl.col("cluster_key").cast(pl.Int32))
            # Registered inside the transaction: a ROLLBACK drops the registration too
            # (unregistering in an aborted transaction would raise over the real error).
            con.register("frame", frame)
            con.execute("INSERT INTO assignments SELECT * FROM frame")
            con.unregister("frame")
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
