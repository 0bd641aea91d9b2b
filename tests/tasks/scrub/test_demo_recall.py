"""Scrub recall on the demo's ground truth: the planted PII values must disappear.

Measurements: ``bench/results/scrub.md``.
"""

from __future__ import annotations

import polars as pl
import pytest

from chorus.core.schemas import CONVERSATION_SCHEMA
from chorus.core.settings import ScrubSettings
from chorus.demo import generate
from tasks.ingest import validate_record
from tasks.scrub import build_analyzer, scrub_conversations

pytestmark = [pytest.mark.slow, pytest.mark.privacy]


def test_planted_pii_is_removed_verbatim():
    conversations, truth = generate(400, seed=13)
    frame = pl.DataFrame([validate_record(c, 10**6)[0] for c in conversations],
                         schema=CONVERSATION_SCHEMA)
    settings = ScrubSettings(progress=False)
    scrubbed, _ = scrub_conversations(frame, build_analyzer(settings), settings)
    text = {r["conversation_id"]: "\n".join(r["user_turns"])
            for r in scrubbed.iter_rows(named=True)}
    planted = [(p["type"], p["value"], t["conversation_id"]) for t in truth for p in t["pii"]]
    assert len(planted) > 150 and len({kind for kind, _, _ in planted}) == 7
    leaked = [(kind, cid) for kind, value, cid in planted if value in text[cid]]
    assert not [k for k, _ in leaked if k != "PERSON"], "format PII must never survive"
    assert len(leaked) <= 0.02 * len(planted)
