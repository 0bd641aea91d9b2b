"""The int8 ONNX export of MiniLM: close to fp32, unit rows, order kept, self-contained."""

from __future__ import annotations

import numpy as np
import pytest

from tasks.embedders.builds import BUILD_FILE
from tasks.embedders.onnx_int8 import (
    ONNX_FILE,
    OnnxInt8Embedder,
    _load,
    env_threads,
    onnx_build_folder,
)

TEXTS = ["I cannot sleep at night and I keep worrying about my exams",
         "how do I reset the pin of my card", "hi",
         "my manager ignores me in every meeting and I feel invisible at work",
         "write a SQL query that groups sales by month for the <PERSON> dashboard",
         "what's the weather in Paris tomorrow", "x" * 3000]  # the last is cut at 256 tokens

pytestmark = pytest.mark.slow


def test_unit_float32_rows_close_to_fp32(onnx_embedder, fp32_embedder):
    vectors = onnx_embedder.embed(TEXTS)
    assert vectors.shape == (len(TEXTS), 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    cosine = (vectors * fp32_embedder.embed(TEXTS)).sum(axis=1)
    assert cosine.min() >= 0.95 and cosine.mean() >= 0.98, cosine


def test_a_text_gets_the_same_vector_whatever_its_neighbours(onnx_embedder):
    together = onnx_embedder.embed(TEXTS)
    alone = np.stack([onnx_embedder.embed([t])[0] for t in TEXTS])
    reordered = onnx_embedder.embed(TEXTS[::-1])[::-1]
    assert np.array_equal(together, alone) and np.array_equal(together, reordered)


def test_empty_input(onnx_embedder):
    assert onnx_embedder.embed([]).shape == (0, 384)


def test_build_folder_is_self_contained(onnx_embedder):
    folder = onnx_build_folder(onnx_embedder.model, onnx_embedder.models_dir)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [ONNX_FILE, "tokenizer.json", BUILD_FILE])
    assert (folder / ONNX_FILE).stat().st_size < 40e6  # int8: about a quarter of fp32's 90 MB


@pytest.mark.parametrize("value, expected", [(None, 0), ("1", 1), ("2", 2), ("0", 0),
                                             ("-3", 0), ("two", 0)])
def test_the_thread_budget_comes_from_omp_num_threads(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    else:
        monkeypatch.setenv("OMP_NUM_THREADS", value)
    assert env_threads() == expected
    assert OnnxInt8Embedder("m", threads=3).session_threads == 3  # explicit wins
    assert OnnxInt8Embedder("m").session_threads == expected


def test_a_worker_budget_of_one_thread_reaches_the_session(monkeypatch, onnx_embedder):
    # a Dask worker's nanny sets OMP_NUM_THREADS=1; onnxruntime itself ignores it
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    embedder = OnnxInt8Embedder(onnx_embedder.model, onnx_embedder.models_dir,
                                onnx_embedder.max_seq_length)
    assert embedder.embed(["one thread"]).shape[0] == 1
    folder = onnx_build_folder(embedder.model, embedder.models_dir)
    session, _ = _load(str(folder), embedder.max_seq_length, embedder.session_threads)
    assert session.get_session_options().intra_op_num_threads == 1
