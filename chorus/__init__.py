"""Chorus: privacy-preserving insight into what people talk about with an AI assistant.

Layers, one way (checked by ``lint-imports``, contracts in pyproject.toml): the face
(``chorus.cli``) -> flows (composition) -> stages (``tasks``) -> foundation
(``chorus.core``: settings, errors, text helpers, run data, the private store).
"""

from chorus.core import env as _env

_env.apply_offline_defaults()

__version__ = "0.1.0"
