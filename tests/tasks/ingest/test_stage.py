"""The stage over RunData, and the real flow failing on the quarantine bound: the failed
run's warehouse rows hold the quarantine, so the bad records can be found."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from chorus.core.errors import ChorusError, QuarantineExceeded
from chorus.core.rundata import RunData
from chorus.core.settings import IngestSettings
from tasks.ingest import ingest_stage
from tests.tasks.ingest.helpers import SECRET, good, line, write_lines

BAD = [(b"{" + SECRET.encode(), "invalid JSON (Expecting property name enclosed in double "
                                "quotes at column 2)"),
       (line({**good(90), "created_at": "2099-01-01T00:00:00Z"}),
        "created_at is in the future (beyond ingest.max_future_hours)"),
       (line({**good(91), "messages": [{"role": "user", "content": " "}]}),
        "no user message with content")]


def _input(tmp_path: Path, n_good: int) -> Path:
    lines = [line(good(i, f"u{i}")) for i in range(n_good)] + [b""] + [raw for raw, _ in BAD]
    return write_lines(tmp_path / "in.jsonl", lines)


def test_the_stage_returns_counts_and_holds_raw_and_quarantine(tmp_path):
    data = RunData("stage-ok")
    counts = ingest_stage(data, [str(_input(tmp_path, 30))],
                          IngestSettings(max_quarantine_share=0.5))
    assert counts == {"read": 33, "accepted": 30, "quarantined": 3, "blank": 1,
                      "empty_messages": 0}
    assert data.raw is not None and data.raw.height == 30
    assert data.quarantine is not None and data.quarantine["reason"].to_list() == [
        r for _, r in BAD]


def test_over_the_bound_the_quarantine_is_kept_and_the_raw_text_is_not(tmp_path):
    data = RunData("stage-over")
    with pytest.raises(QuarantineExceeded):
        ingest_stage(data, [str(_input(tmp_path, 3))], IngestSettings())
    assert data.raw is None
    assert data.quarantine is not None
    assert data.quarantine["record"].to_list() == [5, 6, 7]


def test_a_bad_file_fails_the_stage_with_the_preflight_error(tmp_path):
    (tmp_path / "x.jsonl").mkdir()
    with pytest.raises(ChorusError, match="is a directory, not a file"):
        ingest_stage(RunData("stage-dir"), [str(tmp_path / "x.jsonl")], IngestSettings())


@pytest.mark.integration
@pytest.mark.slow
def test_a_flow_failing_on_the_bound_stores_its_quarantine_rows(tmp_path, prefect_harness):
    from flows.pipeline import chorus_pipeline

    path = _input(tmp_path, 6)  # 3 of 9 quarantined: above the default bound of 5%
    warehouse = tmp_path / "out" / "chorus.duckdb"
    overrides = [f"run.inputs=['{path}']", f"run.warehouse='{warehouse}'",
                 f"run.private_store='{tmp_path / 'out' / 'private' / 'p.duckdb'}'",
                 "scrub.progress=false", "embed.progress=false"]
    with pytest.raises(QuarantineExceeded):
        chorus_pipeline("configs/chorus.toml", overrides, "bound-run")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        runs = con.execute("SELECT status, error FROM runs WHERE run_id = 'bound-run'").fetchall()
        rows = con.execute("SELECT source, record, reason FROM quarantine "
                           "WHERE run_id = 'bound-run' ORDER BY record").fetchall()
    finally:
        con.close()
    assert len(runs) == 1 and runs[0][0] == "failed"
    assert runs[0][1].startswith("QuarantineExceeded: 3 of 9 records quarantined")
    assert SECRET not in runs[0][1]
    assert rows == [(str(path), 8 + i, reason) for i, (_, reason) in enumerate(BAD)]
