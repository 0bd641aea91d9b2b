"""The built backends, once per session, in the configured models folder (so a build
made by ``make setup`` or an earlier session is reused: keyed by source and settings)."""

from __future__ import annotations

import logging
import time

import pytest

from chorus.core.settings import EmbedSettings
from tasks.embedders import build_embedder

log = logging.getLogger(__name__)


def _built(backend: str):
    embedder = build_embedder(EmbedSettings(backend=backend, progress=False))
    t0 = time.perf_counter()
    embedder.embed(["warm up"])  # builds at first use when the folder is missing
    log.info("%s ready in %.1f s", backend, time.perf_counter() - t0)
    return embedder


@pytest.fixture(scope="session")
def fp32_embedder():
    return _built("sentence-transformers")


@pytest.fixture(scope="session")
def onnx_embedder():
    return _built("onnx-int8")


@pytest.fixture(scope="session")
def static_embedder():
    return _built("model2vec")
