"""``tasks.scrub.stage``: the stage over RunData and its Prefect task (run as ``.fn``)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import tasks.scrub.stage as stage
from chorus.core.errors import ConfigError, StageError
from chorus.core.rundata import release, run_data
from chorus.core.settings import ScrubSettings
from tasks.scrub import build_analyzer, scrub_task
from tests.tasks.scrub.conftest import (
    CONVERSATIONS,
    SECRET,
    counts_by_type,
    make_frame,
    write_yaml,
)


def run_task(run_id: str, frame: pl.DataFrame, settings: ScrubSettings):
    run_data(run_id).raw = frame
    try:
        return scrub_task.fn(run_id, settings)
    finally:
        release(run_id)


def test_scrub_task_fn_runs_without_prefect_server(settings: ScrubSettings, monkeypatch) -> None:
    monkeypatch.setattr(
        stage, "build_analyzer", lambda s: build_analyzer(s, nlp="none")
    )
    run_data("t-scrub").raw = make_frame(CONVERSATIONS)
    counts = scrub_task.fn("t-scrub", settings)
    data = run_data("t-scrub")
    scrubbed, pii_counts = data.scrubbed, data.pii_counts
    assert data.raw is None and "raw" not in data.held(), "raw text is dropped once scrubbed"
    release("t-scrub")
    assert scrubbed.height == 4 and counts["conversations"] == 4
    assert counts_by_type(pii_counts)["EMAIL_ADDRESS"] == (2, 2, 1)


@pytest.mark.privacy
def test_task_turns_failures_into_stage_error(settings: ScrubSettings, monkeypatch) -> None:
    def explode(_settings):
        raise RuntimeError(f"boom {SECRET}")

    monkeypatch.setattr(stage, "build_analyzer", explode)
    with pytest.raises(StageError) as info:
        run_task("t-boom", make_frame([("c", "u", [("user", SECRET)])]), settings)
    assert "Zebulon" not in str(info.value)


@pytest.mark.privacy
def test_task_passes_config_errors_through(tmp_path: Path) -> None:
    bad = write_yaml(tmp_path, "recognizers:\n  - class: no.such:Thing\n")
    with pytest.raises(ConfigError, match=r"recognizers\[0\]"):
        run_task("t-bad", make_frame([]), ScrubSettings(recognizers_config=bad, progress=False))
