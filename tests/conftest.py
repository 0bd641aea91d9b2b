"""Shared fixtures. Prefect's home is a fresh temporary folder for the whole session, so a
test can scan every file Prefect wrote."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from chorus.core.env import apply_offline_defaults

# Before anything imports Prefect (test modules are imported after this file): a private,
# scannable Prefect home for this session, and Chorus's offline defaults.
PREFECT_HOME = Path(tempfile.mkdtemp(prefix="chorus-test-prefect-"))
os.environ["PREFECT_HOME"] = str(PREFECT_HOME)
os.environ["PREFECT_LOCAL_STORAGE_PATH"] = str(PREFECT_HOME / "storage")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
apply_offline_defaults()


@pytest.fixture(scope="session")
def prefect_home() -> Path:
    return PREFECT_HOME


@pytest.fixture(scope="session")
def prefect_harness():
    """A real Prefect API (temporary SQLite database) for the whole session."""
    from prefect.settings import PREFECT_SERVER_DATABASE_CONNECTION_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        url = PREFECT_SERVER_DATABASE_CONNECTION_URL.value() or ""
        db_path = url.split("///", 1)[1] if "///" in url else None
        yield {"database": Path(db_path) if db_path else None}
