"""Reading files: reconciliation across files, the quarantine bound, frames without text."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest

from chorus.core.errors import ChorusError, QuarantineExceeded
from chorus.core.schemas import CONVERSATION_SCHEMA
from chorus.core.settings import IngestSettings
from tasks.ingest import build_frame, check_quarantine_share, read_conversations, read_inputs
from tests.tasks.ingest.helpers import SECRET, good, line, write_lines


def _files(tmp_path, n_good: int, n_bad: int):
    jsonl = write_lines(tmp_path / "a.jsonl", [line(good(i)) for i in range(n_good)]
                        + [b"", b"{" + SECRET.encode()] * n_bad)
    parquet = tmp_path / "b.parquet"
    pl.DataFrame([good(100 + i) for i in range(3)] + [good(0)]).write_parquet(parquet)
    return [jsonl, parquet]


def test_counts_reconcile_across_files(tmp_path):
    result = read_conversations(_files(tmp_path, 20, 2), IngestSettings(max_quarantine_share=0.5))
    assert (result.conversations.height, result.quarantine.height, result.n_blank) == (23, 3, 2)
    assert result.n_read == 26
    # the repeated c0 in the Parquet file is its row 3
    assert result.quarantine.rows()[-1] == (str(tmp_path / "b.parquet"), 3,
                                            "duplicate conversation_id")
    assert result.conversations.schema == pl.Schema(CONVERSATION_SCHEMA)


def test_the_bound_fails_with_counts_and_reasons_not_text(tmp_path):
    paths = _files(tmp_path, 5, 4)
    with pytest.raises(QuarantineExceeded) as info:
        read_conversations(paths, IngestSettings(max_quarantine_share=0.1))
    message = str(info.value)
    assert message.startswith("5 of 13 records quarantined (38.5% > bound 10.0%); most common: "
                              "4 x invalid JSON (")
    assert SECRET not in message
    # read_inputs checks no bound: the quarantine is there to keep
    result = read_inputs(paths, IngestSettings(max_quarantine_share=0.1))
    assert result.quarantine.height == 5


def test_the_bound_is_a_share_bound_zero_and_one_included(tmp_path):
    clean = read_inputs([write_lines(tmp_path / "c.jsonl", [line(good(i)) for i in range(9)])],
                        IngestSettings())
    check_quarantine_share(clean, 0.0)
    result = read_inputs(_files(tmp_path, 5, 0), IngestSettings())  # the duplicate: 1 of 9
    check_quarantine_share(result, 1 / 9)
    with pytest.raises(QuarantineExceeded):
        check_quarantine_share(result, 0.11)
    check_quarantine_share(result, 1.0)


def test_future_times_are_judged_against_the_runs_start(tmp_path):
    record = {**good(1), "created_at": "2030-01-01T00:00:00Z"}
    path = write_lines(tmp_path / "in.jsonl", [line(record), line(good(2))])
    early = datetime(2029, 12, 31, 1, tzinfo=UTC)
    assert read_inputs([path], IngestSettings(), now=early).quarantine.is_empty()
    late = read_inputs([path], IngestSettings(), now=datetime(2029, 12, 30, tzinfo=UTC))
    assert late.quarantine["reason"].to_list() == [
        "created_at is in the future (beyond ingest.max_future_hours)"]
    assert read_inputs([path], IngestSettings(max_future_hours=72),
                       now=datetime(2029, 12, 30, tzinfo=UTC)).quarantine.is_empty()


@pytest.mark.privacy
def test_frame_building_failure_is_a_chorus_error_with_counts_only():
    # A row that skipped validation: polars fails with a UnicodeEncodeError quoting it.
    row = {**good(1), "created_at": None,
           "messages": [{"role": "user", "content": f"{SECRET} \ud800"}]}
    with pytest.raises(ChorusError, match=r"accepted conversations frame from 1 records") as info:
        build_frame([row], CONVERSATION_SCHEMA, "accepted conversations")
    assert info.value.__cause__ is None and info.value.__context__ is None
    for shown in (str(info.value), repr(info.value)):
        assert SECRET not in shown and "\ud800" not in shown
    assert "UnicodeEncodeError" in str(info.value)
