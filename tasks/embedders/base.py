"""The ``Embedder`` protocol: the seam every embedding backend plugs into.

Anything with ``embed(texts) -> ndarray (n, d)`` (float32, L2-normalised rows) and a
``model_id`` (the embedding cache's key) is an embedder. Constructors only store their
arguments; a backend loads its model on first use and fails there, with an install hint,
when its package is missing.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into unit-length float32 vectors."""

    @property
    def model_id(self) -> str:
        """The embedding cache's key for this model (read-only)."""
        ...

    def embed(self, texts: list[str]) -> np.ndarray:
        """Returns an array of shape (len(texts), d), float32, rows L2-normalised."""
        ...
