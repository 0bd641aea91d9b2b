"""The model2vec model distilled from MiniLM: unit rows, sense kept, self-contained."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from tasks.embedders.static import StaticEmbedder, _load, static_build_folder

pytestmark = pytest.mark.slow


def test_unit_float32_rows_of_pca_dims(static_embedder):
    texts = ["I cannot sleep at night", "my manager ignores me", "sleepless and tired"]
    vectors = static_embedder.embed(texts)
    assert vectors.shape == (3, static_embedder.pca_dims) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[2] > vectors[0] @ vectors[1], "similar meaning, closer vectors"


@pytest.mark.parametrize("text", ["", "   ", "\u2063"])
def test_texts_without_known_tokens_still_get_unit_vectors(static_embedder, text):
    vector = static_embedder.embed([text, "hello there"])[0]
    assert np.isfinite(vector).all() and abs(np.linalg.norm(vector) - 1.0) < 1e-5


def test_built_folder_is_self_contained(static_embedder, tmp_path):
    folder = static_build_folder(static_embedder.model, static_embedder.models_dir,
                                 static_embedder.pca_dims)
    config = json.loads((folder / "config.json").read_text())
    assert not Path(config["tokenizer_name"]).is_absolute(), "no path of the build machine"
    moved = tmp_path / "moved"
    shutil.copytree(folder, moved)
    texts = ["a flight to Rome on Friday", "I miss my grandmother"]
    here = StaticEmbedder(static_embedder.model, static_embedder.models_dir).embed(texts)
    raw = np.asarray(_load(str(moved)).encode(texts, use_multiprocessing=False,
                                                 normalize=False),
                     dtype=np.float32)
    raw /= np.linalg.norm(raw, axis=1, keepdims=True)
    assert np.allclose(here, raw, atol=1e-5)
