"""The release stage on ``RunData``: the audited release, counts, logs of counts only."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from chorus.core.rundata import RunData
from chorus.core.settings import PrivacySettings, ScrubSettings
from tasks.release import release_stage
from tests.tasks.release.conftest import NO_PII, facets_for, summaries

pytestmark = pytest.mark.privacy

K = 5
PRIVACY = PrivacySettings(min_users=K, min_conversations=K)


@pytest.mark.slow
def test_release_stage_writes_the_audited_release_and_logs_counts_only(caplog):
    users = [f"u{i}" for i in range(2 * K)]
    data = RunData("release-stage-test", facets=facets_for(users),
                   labels=np.zeros((1, len(users)), dtype=np.int32),
                   summaries=summaries([[0]]), pii_counts=NO_PII)
    logger = logging.getLogger("tests.release.stage")
    with caplog.at_level(logging.INFO):
        counts = release_stage(data, PRIVACY, len(users), ScrubSettings(progress=False),
                               None, logger)
    assert data.release is not None and data.release.findings is not None
    assert counts["published"] == 1 and counts["blocked"] is False
    assert counts["blocking_findings"] == 0
    stage_lines = [r.getMessage() for r in caplog.records if r.name == logger.name]
    assert stage_lines and all(line.startswith("release: ") for line in stage_lines)
    assert not any("insomnia" in r.getMessage() for r in caplog.records)
