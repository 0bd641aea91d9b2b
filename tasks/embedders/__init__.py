"""Embedding backends shared by the stages that embed (embed, lens, summarize).

``build_embedder(settings)`` returns the configured ``Embedder``.
"""

from __future__ import annotations

from chorus.core.settings import EmbedSettings
from tasks.embedders.base import Embedder
from tasks.embedders.sentence_transformer import SentenceTransformerEmbedder, resolve_model_path

__all__ = ["Embedder", "SentenceTransformerEmbedder", "build_embedder", "resolve_model_path"]


def build_embedder(settings: EmbedSettings) -> Embedder:
    """The embedder ``settings`` name (today: a local sentence-transformers folder)."""
    return SentenceTransformerEmbedder(settings.model, settings.batch_size,
                                       settings.max_seq_length, settings.threads,
                                       settings.progress)
