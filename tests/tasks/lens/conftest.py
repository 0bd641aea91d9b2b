"""Shared fixtures of the emotional-support lens tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def embedder():
    """The project's default embedder (the one the shipped affective model was fit for)."""
    from chorus.core.settings import EmbedSettings
    from tasks.embedders import build_embedder

    return build_embedder(EmbedSettings(progress=False))
