"""A static embedding model distilled locally from the sentence-transformers model.

Build (once, at first use; ``tasks.embedders.builds``): ``model2vec.distill.distill``
runs the source transformer over every token of its own vocabulary (offline, from the
local folder), reduces the token vectors to ``pca_dims`` with PCA and weights them (SIF),
and saves a model2vec folder (``model.safetensors``: the (vocabulary, pca_dims) table,
``tokenizer.json``, ``config.json``). model2vec writes the source folder's absolute path
into ``config.json`` (``tokenizer_name``); the build replaces it with a relative label
(``<package>/<folder>``), so the folder is self-contained and still loads when moved
(the tokenizer is read from its own ``tokenizer.json``).

Inference: tokenize, average the token vectors, L2-normalise; no neural network. A text
whose tokens all fall outside the vocabulary would have a zero vector; it gets the first
basis vector instead, so every row stays unit length.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

import numpy as np

from chorus.core.errors import ChorusError
from tasks.embedders.builds import ensure_build
from tasks.embedders.sentence_transformer import resolve_model_path

KIND = "model2vec"
INSTALL_HINT = ("the model2vec embedder needs model2vec (distilling needs its [distill] "
                "extra): pip install 'model2vec[distill]>=0.10'")


def build_static(source: Path, out: Path, pca_dims: int) -> None:
    """Distill ``source`` into a model2vec folder ``out`` and make it self-contained."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        from model2vec.distill import distill
    except ImportError:
        raise ChorusError(INSTALL_HINT) from None
    static = distill(model_name=str(source), pca_dims=pca_dims)
    static.save_pretrained(out)
    config_path = out / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    # a label, not the absolute path of this machine (the tokenizer is our tokenizer.json)
    config["tokenizer_name"] = f"{source.parent.name}/{source.name}"
    config_path.write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")


def static_build_folder(model: str, models_dir: str, pca_dims: int) -> Path:
    """The build folder for ``model`` (a folder or package name), built if missing."""
    source = resolve_model_path(model)
    settings = {"pca_dims": pca_dims, "sif_coefficient": 1e-4, "pooling": "mean"}
    return ensure_build(KIND, source, settings, models_dir,
                        lambda out: build_static(source, out, pca_dims))


class StaticEmbedder:
    """model2vec static model distilled from ``model``.

    Args:
        model: folder path or package name of the source (see ``EmbedSettings.model``).
        models_dir: where builds live (``EmbedSettings.models_dir``).
        pca_dims: dimensions of the distilled model (``EmbedSettings.pca_dims``).
        batch_size: texts per encode batch.
        max_seq_length: tokens kept per text.
    """

    def __init__(self, model: str, models_dir: str = "warehouse/models", pca_dims: int = 256,
                 batch_size: int = 1024, max_seq_length: int = 256) -> None:
        self.model = model
        self.models_dir = models_dir
        self.pca_dims = pca_dims
        self.batch_size = batch_size
        self.max_seq_length = max_seq_length

    @property
    def model_id(self) -> str:
        return f"{Path(str(self.model)).name}:{self.max_seq_length}:{KIND}-{self.pca_dims}"

    def embed(self, texts: list[str]) -> np.ndarray:
        """(len(texts), pca_dims) float32 unit rows."""
        static = _load(str(static_build_folder(self.model, self.models_dir, self.pca_dims)))
        if not texts:
            return np.zeros((0, static.dim), dtype=np.float32)
        # one process: the chunk workers are the parallelism, model2vec must not fork more
        vectors = np.asarray(static.encode(list(texts), max_length=self.max_seq_length,
                                           batch_size=max(self.batch_size, 256),
                                           use_multiprocessing=False, normalize=False),
                             dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        empty = norms[:, 0] == 0
        vectors[empty, 0], norms[empty] = 1.0, 1.0
        return np.ascontiguousarray(vectors / norms, dtype=np.float32)


@lru_cache(maxsize=2)
def _load(folder: str):
    try:
        from model2vec import StaticModel
    except ImportError:
        raise ChorusError(INSTALL_HINT) from None
    return StaticModel.from_pretrained(folder, force_download=False)
