"""Readers: JSONL decoding faults as reasons (wording included), blank lines counted,
Parquet rows converted whatever the extra columns or out-of-range times."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from chorus.core.errors import ChorusError
from chorus.core.settings import IngestSettings
from tasks.ingest import read_conversations
from tasks.ingest.readers import Tally, decode_line, iter_jsonl, json_error_reason
from tests.tasks.ingest.helpers import SECRET, good, line, write_lines


@pytest.mark.parametrize(("raw", "reason"), [
    (b'{"a": "' + SECRET.encode(), "invalid JSON (Unterminated string starting at column 7)"),
    (b'{"a": "\x01' + SECRET.encode() + b'"}', "invalid JSON (Invalid control character at "
                                               "column 8)"),
    (b'{"a": 1,}', "invalid JSON (Expecting property name enclosed in double quotes at "
                   "column 9)"),
    (b'{"a" 1}', "invalid JSON (Expecting ':' delimiter at column 6)"),
    (b'{} ' + SECRET.encode(), "invalid JSON (Extra data at column 4)"),
    (b'"\\q"', "invalid JSON (Invalid \\escape at column 2)"),
    (b"1" * 5000, "invalid JSON (number too long)"),
    (b'{"n": ' + b"9" * 5000 + b"}", "invalid JSON (number too long)"),
    (b"\xff" + SECRET.encode(), "line is not valid UTF-8"),
    # a NUL-led line is not guessed to be UTF-16 (json.loads on bytes would)
    (b'\x00{\x00}', "invalid JSON (Expecting value at column 1)"),
])
def test_decoding_faults_are_fixed_phrases_without_a_doubled_at(raw, reason):
    value, got = decode_line(raw, first=False)
    assert (value, got) == (None, reason)
    assert " at at " not in got and SECRET not in got


@pytest.mark.privacy
@pytest.mark.parametrize(("doc", "phrase"), [
    ('"\\Q', "Invalid \\escape"), ('"a\x07b"', "Invalid control character"),
    ('"abc', "Unterminated string starting"),
])
def test_the_python_scanners_messages_lose_the_character_they_quote(doc, phrase):
    from json.decoder import py_scanstring

    with pytest.raises(json.JSONDecodeError) as info:
        py_scanstring(doc, 1)
    reason = json_error_reason(info.value)
    assert reason == f"invalid JSON ({phrase} at column {info.value.colno})"
    assert "Q" not in reason and "\x07" not in repr(reason)


def test_a_bom_is_skipped_on_the_first_line_only():
    assert decode_line(b"\xef\xbb\xbf{}", first=True) == ({}, None)
    assert decode_line(b"\xef\xbb\xbf{}", first=False)[1] is not None


def test_blank_lines_are_counted_not_read(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\xef\xbb\xbf\n" + line(good(1)) + b"\n\n  \r\n\t\n" + line(good(2))
                     + b"\n\n")
    tally = Tally()
    assert [n for n, _, _ in iter_jsonl(path, tally)] == [2, 6]
    assert tally.n_blank == 5
    result = read_conversations([path], IngestSettings())
    assert (result.n_read, result.n_blank, result.quarantine.height) == (2, 5, 0)


def test_nan_and_infinity_are_decoded_then_quarantined_by_type(tmp_path):
    raw = json.dumps(good(1)).replace('"u1"', "NaN").encode()
    path = write_lines(tmp_path / "in.jsonl", [raw, line(good(2))])
    result = read_conversations([path], IngestSettings(max_quarantine_share=0.5))
    assert result.quarantine["reason"].to_list() == ["field 'user_id' must be a non-empty "
                                                      "string"]


# --- Parquet -----------------------------------------------------------------------------

def test_parquet_rows_are_read_and_validated_with_0_based_rows(tmp_path):
    rows = [good(i) for i in range(5)] + [{**good(9), "user_id": "  "}]
    pl.DataFrame(rows).write_parquet(tmp_path / "in.parquet")
    result = read_conversations([tmp_path / "in.parquet"], IngestSettings(max_quarantine_share=0.5))
    assert result.conversations.height == 5
    assert result.quarantine.rows() == [(str(tmp_path / "in.parquet"), 5,
                                         "field 'user_id' must be a non-empty string")]


PARIS = ZoneInfo("Europe/Paris")


def test_parquet_datetimes_extra_columns_and_extra_message_fields(tmp_path):
    frame = pl.DataFrame({
        "conversation_id": ["a", "b", "c"], "user_id": ["u", "u", "u"],
        "created_at": pl.Series([datetime(2026, 1, 1, 12, tzinfo=PARIS),
                                 datetime(2026, 1, 2, tzinfo=PARIS), None],
                                dtype=pl.Datetime("us", "Europe/Paris")),
        "messages": [[{"role": "user", "content": "hi", "at": datetime(2026, 1, 1)}]] * 3,
        "extra": pl.Series([0, 10**18, 1], dtype=pl.Int64).cast(pl.Datetime("us")),
    })
    frame.write_parquet(tmp_path / "in.parquet")
    result = read_conversations([tmp_path / "in.parquet"], IngestSettings(max_quarantine_share=0.5))
    assert result.conversations["created_at"].to_list() == [
        datetime(2026, 1, 1, 11, tzinfo=UTC), datetime(2026, 1, 1, 23, tzinfo=UTC)]
    assert result.quarantine.rows() == [(str(tmp_path / "in.parquet"), 2,
                                         "missing field 'created_at'")]


def test_parquet_time_beyond_year_9999_is_quarantined_not_a_crash(tmp_path):
    frame = pl.DataFrame([good(1), good(2)]).with_columns(
        pl.Series("created_at", [0, 10**18], dtype=pl.Int64).cast(pl.Datetime("us")))
    frame.write_parquet(tmp_path / "in.parquet")
    result = read_conversations([tmp_path / "in.parquet"], IngestSettings(max_quarantine_share=0.5))
    assert result.conversations["conversation_id"].to_list() == ["c1"]
    assert result.quarantine["reason"].to_list() == [
        "field 'created_at' is not an ISO-8601 timestamp"]


@pytest.mark.privacy
@pytest.mark.parametrize("field", ["conversation_id", "user_id", "messages[0].content"])
def test_parquet_nul_is_quarantined_too(tmp_path, field):
    bad = good(7)
    if field.startswith("messages"):
        bad["messages"][0]["content"] = f"{SECRET}\x00"
    else:
        bad[field] = f"{SECRET}\x00"
    pl.DataFrame([good(1), bad]).write_parquet(tmp_path / "in.parquet")
    result = read_conversations([tmp_path / "in.parquet"], IngestSettings(max_quarantine_share=0.5))
    assert result.conversations.height == 1
    assert result.quarantine.rows() == [(str(tmp_path / "in.parquet"), 1,
                                         f"{field} holds invalid Unicode (NUL)")]


@pytest.mark.privacy
def test_a_parquet_file_with_broken_pages_is_a_chorus_error_without_text(tmp_path):
    path = tmp_path / "in.parquet"
    pl.DataFrame([good(i) for i in range(50)]).write_parquet(path, compression="uncompressed")
    blob = bytearray(path.read_bytes())
    at = blob.find(SECRET.encode())
    blob[at - 40:at + 200] = b"\xff" * 240  # data pages broken, footer intact
    path.write_bytes(bytes(blob))
    with pytest.raises(ChorusError, match="Parquet file") as info:
        read_conversations([path], IngestSettings())
    assert info.value.__cause__ is None and info.value.__context__ is None
    assert SECRET not in str(info.value)
