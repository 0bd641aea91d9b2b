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

from chorus.core.duckdb_files import WRITE_WAIT_S, connect_retrying
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
        """Insert or replace one vector per key, committed when it returns.

        Called once per batch while a run embeds (``tasks.embed.embed_with_cache``), so
        it may be called many times on one connection; each call is its own committed
        statement, durable in DuckDB's write-ahead log even if the process is killed
        right after (the next open replays it).
        """
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
    the same connection, or a ``ChorusError`` when the store is not open. Opening waits
    up to ``wait_s`` seconds while another process holds the file (another run's embed
    or store stage), then raises a one-line ``ChorusError``.
    """

    def __init__(self, path: str | Path, wait_s: float = WRITE_WAIT_S) -> None:
        self.path = Path(path)
        self.wait_s = wait_s
        self.con: duckdb.DuckDBPyConnection | None = None

    def __enter__(self) -> PrivateStore:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.con = connect_retrying(self.path, read_only=False, wait_s=self.wait_s)
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

    def remove_assignments_except(self, run_ids: set[str]) -> int:
        """Delete the assignments of every run not in ``run_ids``; returns rows deleted.

        The store stage calls it at each run's start with the runs the warehouse keeps
        (``tasks.store.begin_run``): rows of a run that never published are orphans.
        """
        con = self.connection
        where, keep = "WHERE NOT list_contains($k::VARCHAR[], run_id)", {"k": sorted(run_ids)}
        n = con.execute(f"SELECT count(*) FROM assignments {where}", keep).fetchall()[0][0]
        if n:
            con.execute(f"DELETE FROM assignments {where}", keep)
        return int(n)
