"""Embedding backends shared by the stages that embed (embed, lens, summarize).

``build_embedder(settings)`` returns the ``Embedder`` that ``settings.backend`` names:

| backend | class | model id (``m``: model, ``L``: max_seq_length) |
|---|---|---|
| ``sentence-transformers`` | ``SentenceTransformerEmbedder`` (fp32) | ``m:L`` |
| ``onnx-int8`` | ``OnnxInt8Embedder`` (onnxruntime) | ``m:L:onnx-int8`` |
| ``model2vec`` | ``StaticEmbedder`` (distilled) | ``m:L:model2vec-<pca_dims>`` |

The last two are built from the same local model folder at first use
(``tasks.embedders.builds``, into ``settings.models_dir``); constructors only store their
arguments.
"""

from __future__ import annotations

from chorus.core.settings import EmbedSettings
from tasks.embedders.base import Embedder
from tasks.embedders.onnx_int8 import OnnxInt8Embedder
from tasks.embedders.sentence_transformer import SentenceTransformerEmbedder, resolve_model_path
from tasks.embedders.static import StaticEmbedder

__all__ = ["Embedder", "OnnxInt8Embedder", "SentenceTransformerEmbedder", "StaticEmbedder",
           "build_embedder", "resolve_model_path"]


def build_embedder(settings: EmbedSettings) -> Embedder:
    """The embedder of ``settings.backend`` over ``settings.model`` (nothing loaded yet)."""
    if settings.backend == "onnx-int8":
        return OnnxInt8Embedder(settings.model, settings.models_dir,
                                settings.max_seq_length, settings.threads)
    if settings.backend == "model2vec":
        return StaticEmbedder(settings.model, settings.models_dir, settings.pca_dims,
                              settings.batch_size, settings.max_seq_length)
    return SentenceTransformerEmbedder(settings.model, settings.batch_size,
                                       settings.max_seq_length, settings.threads,
                                       settings.progress)
