"""Embed scrubbed requests with the configured ``Embedder``, through the embedding cache.

The cache lives in the private store (``chorus.core.private_store``), keyed by
``(model_id, sha256(request))``: a rerun embeds only requests it has not seen. New vectors
are written every ``embed.cache_batch`` texts, so a run killed mid-embed keeps what it
embedded. Backends are in ``tasks.embedders``.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

import numpy as np
from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger

from chorus.core.errors import text_safe_errors
from chorus.core.private_store import ShortCache
from chorus.core.rundata import RunData, required, run_data
from chorus.core.settings import EmbedSettings
from tasks.embedders import Embedder, build_embedder

log = logging.getLogger(__name__)


def text_key(text: str) -> str:
    """Cache key of a scrubbed request: hex sha256 of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


Progress = Callable[[int, int], None]


@text_safe_errors("embed")
def embed_with_cache(texts: list[str], embedder: Embedder, cache=None, *,
                     batch: int = 2048, progress: Progress | None = None
                     ) -> tuple[np.ndarray, int]:
    """Embed ``texts``, reusing and filling ``cache`` one batch at a time.

    Requests not in the cache are embedded in batches of ``batch`` distinct texts, and
    each batch is put into the cache before the next one starts: when the process dies
    mid-way (a kill, an error), every batch written so far stays cached, and a rerun
    embeds only the rest.

    Args:
        texts: n scrubbed requests.
        embedder: any ``Embedder``.
        cache: object with ``get(model_id, keys) -> dict[key, ndarray (d,)]`` and
            ``put(model_id, keys, array (m, d))`` (called once per batch), or None.
        batch: distinct new texts per embed call and cache write (>= 1).
        progress: called as ``progress(done, total)`` after each batch, with counts of
            new texts only (never text).

    Returns:
        (array of shape (n, d) float32 with unit rows, number of texts embedded now).
    """
    if batch < 1:
        raise ValueError("batch must be >= 1")
    keys = [text_key(t) for t in texts]
    found = cache.get(embedder.model_id, sorted(set(keys))) if cache is not None else {}
    missing = sorted({k for k in keys if k not in found})
    if missing:
        first: dict[str, str] = {}
        for key, text in zip(keys, texts, strict=True):
            first.setdefault(key, text)
        found = dict(found)
        for start in range(0, len(missing), batch):
            chunk = missing[start:start + batch]
            fresh = embedder.embed([first[k] for k in chunk])
            if cache is not None:
                cache.put(embedder.model_id, chunk, fresh)
            found.update(zip(chunk, fresh, strict=True))
            if progress is not None:
                progress(start + len(chunk), len(missing))
    if not texts:
        return np.zeros((0, 0), dtype=np.float32), 0
    out = np.stack([found[k] for k in keys]).astype(np.float32, copy=False)
    return out, len(missing)


# --- Prefect layer -----------------------------------------------------------------------


def embed_stage(data: RunData, settings: EmbedSettings, private_path: str,
                progress: Progress | None = None) -> dict[str, int]:
    """``data.facets["request"]`` -> ``data.embeddings`` (n, d) float32; counts.

    With ``settings.cache``, new vectors reach the private store every
    ``settings.cache_batch`` texts (see ``embed_with_cache``); ``progress`` as there. The
    store is opened per lookup and per batch written (``ShortCache``), never held while
    embedding, so chunk tasks in several processes share it.
    """
    texts = required(data.facets, "facets", data.run_id)["request"].to_list()
    embedder = build_embedder(settings)
    cache = ShortCache(private_path) if settings.cache else None
    vectors, n_new = embed_with_cache(texts, embedder, cache, batch=settings.cache_batch,
                                      progress=progress)
    data.embeddings = vectors
    return {"n": len(texts), "embedded": n_new, "cached": len(texts) - n_new,
            "dim": int(vectors.shape[1]) if vectors.ndim == 2 else 0}


@task(name="embed", cache_policy=NO_CACHE, persist_result=False, retries=1,
      retry_delay_seconds=2)
@text_safe_errors("embed")
def embed_task(run_id: str, settings: EmbedSettings, private_path: str) -> dict[str, int]:
    """``embed_stage`` on the run's data; returns counts only."""
    logger = get_run_logger()

    def progress(done: int, total: int) -> None:
        logger.info("embed: %d of %d new requests embedded%s", done, total,
                    " and cached" if settings.cache else "")

    counts = embed_stage(run_data(run_id), settings, private_path, progress)
    logger.info("embed: %d requests, %d embedded now, %d from cache, dim %d",
                counts["n"], counts["embedded"], counts["cached"], counts["dim"])
    return counts
