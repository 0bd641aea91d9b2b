"""The private store: per-conversation data that analysts never see.

One DuckDB file (default ``warehouse/private/chorus_private.duckdb``) holding

* ``embedding_cache(model_id VARCHAR, text_key VARCHAR, embedding FLOAT[])`` — vectors of
  scrubbed requests keyed by model and sha256 of the request (no text is stored);
* ``assignments(run_id VARCHAR, conversation_id VARCHAR, user_id VARCHAR, level INTEGER,
  cluster_key INTEGER)`` — which internal cluster each conversation fell in, per level
  (cluster_key -1 is noise). Internal keys are not the published cluster ids.
* ``topic_runs``, ``cluster_centroids`` and ``period_conversations`` — the state that
  connects runs over time (``TopicStore``; written by the cluster stage, marked
  published by the store stage): per run its mode ('fit' or 'assign'), embedder model
  id, source run and period label; per cluster of every level its unit centroid, stable
  ``topic_key`` and parent key; per run with a period the sha256 of each conversation id,
  so that no conversation is counted in two periods.

It holds identifiers and embeddings (embeddings can be partly inverted: see the README),
so it is for operators, not analysts. It never holds conversation text.

Beside it, in the same folder: ``chunks/`` (the chunked map stages' outputs,
``chorus.core.chunk_store``) and ``user_key.secret``, the key of the keyed pseudonym
(HMAC-SHA256) that replaces user ids in chunk outputs and assignments (``user_key``,
``pseudonymize``).

DuckDB lets one process at a time write a file. Chunk tasks of a parallel run embed in
several processes, so they reach the cache through ``ShortCache``: a short connection
per lookup and per batch written, each waiting out the others (``connect_retrying``).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
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
CREATE TABLE IF NOT EXISTS topic_runs (
    run_id VARCHAR PRIMARY KEY, mode VARCHAR NOT NULL, model_id VARCHAR NOT NULL,
    source_run_id VARCHAR, period VARCHAR, published BOOLEAN NOT NULL,
    clustered_at TIMESTAMPTZ NOT NULL);
CREATE TABLE IF NOT EXISTS cluster_centroids (
    run_id VARCHAR NOT NULL, level INTEGER NOT NULL, cluster_key INTEGER NOT NULL,
    topic_key VARCHAR NOT NULL, parent_key INTEGER, n_members BIGINT NOT NULL,
    centroid FLOAT[] NOT NULL);
CREATE TABLE IF NOT EXISTS period_conversations (
    run_id VARCHAR NOT NULL, conversation_key VARCHAR NOT NULL);
"""
TOPIC_TABLES = ("topic_runs", "cluster_centroids", "period_conversations")


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    """``INSERT INTO table SELECT * FROM frame`` inside the caller's open transaction.

    The frame is registered inside the transaction: a ROLLBACK drops the registration too
    (unregistering in an aborted transaction would raise over the real error).
    """
    con.register("frame", frame)
    con.execute(f"INSERT INTO {table} SELECT * FROM frame")
    con.unregister("frame")


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


class TopicStore:
    """The runs-over-time tables (see the module docstring) on one open connection.

    A run's rows are written whole by ``put_run`` (its earlier rows replaced: a rerun of
    a run id replaces itself) with ``published`` false; the store stage sets it once the
    run is published (``set_published``). Only published runs are matched against,
    assigned to, or counted as periods.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def put_run(self, run: dict, centroids: pl.DataFrame,
                conversation_keys: list[str] | None) -> None:
        """Replace ``run['run_id']``'s rows. ``run``: mode, model_id, source_run_id,
        period; ``centroids``: level, cluster_key, topic_key, parent_key, n_members,
        centroid (list of float); ``conversation_keys``: the period's, or None."""
        con, run_id = self.con, run["run_id"]
        con.execute("BEGIN TRANSACTION")
        try:
            for table in TOPIC_TABLES:
                con.execute(f"DELETE FROM {table} WHERE run_id = $r", {"r": run_id})
            con.execute("INSERT INTO topic_runs VALUES ($r, $m, $id, $src, $p, false, now())",
                        {"r": run_id, "m": run["mode"], "id": run["model_id"],
                         "src": run.get("source_run_id"), "p": run.get("period")})
            frame = centroids.select(
                pl.lit(run_id).alias("run_id"), pl.col("level").cast(pl.Int32),
                pl.col("cluster_key").cast(pl.Int32), "topic_key",
                pl.col("parent_key").cast(pl.Int32), pl.col("n_members").cast(pl.Int64),
                pl.col("centroid").cast(pl.List(pl.Float32)))
            _insert(con, "cluster_centroids", frame)
            if conversation_keys:
                _insert(con, "period_conversations",
                        pl.DataFrame({"run_id": run_id, "conversation_key": conversation_keys}))
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise

    def run(self, run_id: str) -> dict | None:
        """The run's ``topic_runs`` row, or None."""
        rows = self.con.sql("SELECT * FROM topic_runs WHERE run_id = $r",
                            params={"r": run_id}).pl()
        return rows.row(0, named=True) if rows.height else None

    def latest_fit(self, model_id: str, exclude: str) -> str | None:
        """The newest published 'fit' run of ``model_id`` other than ``exclude``."""
        rows = self.con.execute(
            "SELECT run_id FROM topic_runs WHERE published AND mode = 'fit' AND model_id = $m "
            "AND run_id <> $x ORDER BY clustered_at DESC, run_id DESC LIMIT 1",
            {"m": model_id, "x": exclude}).fetchall()
        return rows[0][0] if rows else None

    def centroids(self, run_id: str) -> pl.DataFrame:
        """The run's ``cluster_centroids`` rows (level, cluster_key, topic_key, parent_key,
        n_members, centroid), by level and key."""
        return self.con.sql(
            "SELECT level, cluster_key, topic_key, parent_key, n_members, centroid "
            "FROM cluster_centroids WHERE run_id = $r ORDER BY level, cluster_key",
            params={"r": run_id}).pl()

    def period_conflicts(self, run_id: str, period: str,
                         conversation_keys: list[str] | None = None) -> list[tuple[str, int]]:
        """Published period runs other than ``run_id`` that share the label ``period``
        or any conversation key (default: the keys stored for ``run_id``): (run id,
        shared conversations), largest first."""
        con = self.con
        if conversation_keys is None:
            mine = "SELECT conversation_key FROM period_conversations WHERE run_id = $r"
        else:
            con.register("mine", pl.DataFrame({"conversation_key": conversation_keys},
                                              schema={"conversation_key": pl.Utf8}))
            mine = "SELECT conversation_key FROM mine"
        try:
            rows = con.execute(
                "WITH other AS (SELECT run_id, period FROM topic_runs WHERE published AND "
                "period IS NOT NULL AND run_id <> $r), shared AS (SELECT p.run_id, count(*) "
                f"AS n FROM period_conversations p JOIN ({mine}) m USING (conversation_key) "
                "WHERE p.run_id IN (SELECT run_id FROM other) GROUP BY p.run_id) "
                "SELECT o.run_id, coalesce(s.n, 0) FROM other o LEFT JOIN shared s USING "
                "(run_id) WHERE s.n > 0 OR o.period = $p ORDER BY 2 DESC, 1",
                {"r": run_id, "p": period}).fetchall()
        finally:
            if conversation_keys is not None:
                con.unregister("mine")
        return [(r, int(n)) for r, n in rows]

    def set_published(self, run_id: str, published: bool) -> None:
        self.con.execute("UPDATE topic_runs SET published = $p WHERE run_id = $r",
                         {"p": published, "r": run_id})


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

    def topics(self) -> TopicStore:
        return TopicStore(self.connection)

    def write_assignments(self, run_id: str, assignments: pl.DataFrame) -> None:
        """Replace the run's rows. ``assignments``: conversation_id, user_id, level, cluster_key."""
        con = self.connection
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("DELETE FROM assignments WHERE run_id = $r", {"r": run_id})
            frame = assignments.select(
                pl.lit(run_id).alias("run_id"), "conversation_id", "user_id",
                pl.col("level").cast(pl.Int32), pl.col("cluster_key").cast(pl.Int32))
            _insert(con, "assignments", frame)
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise

    def remove_assignments_except(self, run_ids: set[str]) -> int:
        """Delete the assignments (and the ``TOPIC_TABLES`` rows) of every run not in
        ``run_ids``; returns assignment rows deleted.

        The store stage calls it at each run's start with the runs the warehouse keeps
        (``tasks.store.begin_run``): rows of a run that never published are orphans.
        """
        con = self.connection
        where, keep = "WHERE NOT list_contains($k::VARCHAR[], run_id)", {"k": sorted(run_ids)}
        n = con.execute(f"SELECT count(*) FROM assignments {where}", keep).fetchall()[0][0]
        if n:
            con.execute(f"DELETE FROM assignments {where}", keep)
        for table in TOPIC_TABLES:
            con.execute(f"DELETE FROM {table} {where}", keep)
        return int(n)


class ShortCache:
    """The embedding cache through one short connection per ``get`` and per ``put``, so
    that several processes can share it (each waits out the others' writes)."""

    def __init__(self, path: str | Path, wait_s: float = WRITE_WAIT_S) -> None:
        self.path, self.wait_s = Path(path), wait_s

    def get(self, model_id: str, keys: list[str]) -> dict[str, np.ndarray]:
        with PrivateStore(self.path, self.wait_s) as store:
            return store.embedding_cache().get(model_id, keys)

    def put(self, model_id: str, keys: list[str], vectors: np.ndarray) -> None:
        with PrivateStore(self.path, self.wait_s) as store:
            store.embedding_cache().put(model_id, keys, vectors)


USER_KEY_FILE = "user_key.secret"
USER_KEY_BYTES = 32


def user_key(private_store: str | Path) -> bytes:
    """The pseudonym key beside the private store (``user_key.secret``, mode 0600),
    created on first use: 32 random bytes, linked into place so that concurrent first
    uses agree on one key."""
    path = Path(private_store).parent / USER_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{USER_KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, secrets.token_bytes(USER_KEY_BYTES))
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)  # fails when another process linked its key first
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
    key = path.read_bytes()
    if len(key) != USER_KEY_BYTES:
        raise ChorusError(f"{path} is not a {USER_KEY_BYTES}-byte pseudonym key")
    return key


def pseudonymize(ids: list[str], key: bytes) -> list[str]:
    """Keyed pseudonyms of user ids: hex HMAC-SHA256, 32 characters; the same id gives
    the same pseudonym under one key, and without the key an id cannot be tested."""
    return [hmac.new(key, i.encode("utf-8"), hashlib.sha256).hexdigest()[:32] for i in ids]
