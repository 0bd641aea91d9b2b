"""Chorus: privacy-preserving insight into what people talk about with an AI assistant."""

from chorus import env as _env

_env.apply_offline_defaults()

__version__ = "0.1.0"
