"""Ingest: the input contract, quarantine reasons without text, reconciliation, bounds."""

from __future__ import annotations

import json

import polars as pl
import pytest

from chorus.core.errors import ChorusError, QuarantineExceeded
from chorus.core.settings import IngestSettings
from tasks.ingest import read_conversations

SECRET = "zq-secret-canary-7731"


def good(i: int, user: str = "u1") -> dict:
    return {"conversation_id": f"c{i}", "user_id": user, "created_at": "2026-10-01T10:00:00Z",
            "messages": [{"role": "user", "content": f"hello {SECRET} {i}"},
                         {"role": "assistant", "content": "hi"}]}


BAD_LINES = [
    ("{not json " + SECRET, "invalid JSON"),
    (json.dumps([1, 2]), "record is list"),
    (json.dumps({**good(90), "user_id": None}), "missing field 'user_id'"),
    (json.dumps({k: v for k, v in good(91).items() if k != "conversation_id"}),
     "missing field 'conversation_id'"),
    (json.dumps({**good(92), "user_id": 42}), "field 'user_id' must be a non-empty string"),
    (json.dumps({**good(93), "created_at": SECRET}), "not an ISO-8601"),
    (json.dumps({**good(94), "messages": []}), "'messages' is empty"),
    (json.dumps({**good(95), "messages": SECRET}), "'messages' must be a list"),
    (json.dumps({**good(96), "messages": [{"role": "bot", "content": SECRET}]}),
     "role must be 'user' or 'assistant'"),
    (json.dumps({**good(97), "messages": [{"role": "user", "content": 5}]}),
     "content must be a string"),
    (json.dumps({**good(98), "messages": [{"role": "assistant", "content": SECRET}]}),
     "no message with role 'user'"),
    (json.dumps(good(1)), "duplicate conversation_id"),
]


def write_mixed(path, n_good: int = 40):
    lines = [json.dumps(good(i, f"u{i % 7}")) for i in range(n_good)]
    lines += [line for line, _ in BAD_LINES]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_mixed_file_quarantines_each_kind_and_reconciles(tmp_path):
    path = write_mixed(tmp_path / "in.jsonl")
    result = read_conversations([path], IngestSettings(max_quarantine_share=0.5))
    assert result.conversations.height == 40
    assert result.quarantine.height == len(BAD_LINES)
    assert result.n_read == 40 + len(BAD_LINES)
    reasons = result.quarantine["reason"].to_list()
    for (_, expected), reason in zip(BAD_LINES, reasons, strict=True):
        assert expected in reason
    # line numbers point at the bad lines (1-based, after the 40 good ones)
    assert result.quarantine["record"].to_list() == list(range(41, 41 + len(BAD_LINES)))
    # never a value in a reason
    assert not any(SECRET in r for r in reasons)
    assert result.conversations.schema["created_at"] == pl.Datetime("us", "UTC")


def test_quarantine_share_above_bound_fails_with_counts_not_text(tmp_path):
    path = write_mixed(tmp_path / "in.jsonl", n_good=5)
    with pytest.raises(QuarantineExceeded) as info:
        read_conversations([path], IngestSettings(max_quarantine_share=0.1))
    message = str(info.value)
    assert f"{len(BAD_LINES)} of {5 + len(BAD_LINES)}" in message
    assert SECRET not in message


def test_parquet_input_is_read_and_validated(tmp_path):
    rows = [good(i) for i in range(5)]
    frame = pl.DataFrame(rows)
    frame.write_parquet(tmp_path / "in.parquet")
    result = read_conversations([tmp_path / "in.parquet"], IngestSettings())
    assert result.conversations.height == 5 and result.quarantine.is_empty()


def test_missing_file_and_unknown_type_are_clear_errors(tmp_path):
    with pytest.raises(ChorusError, match="not found"):
        read_conversations([tmp_path / "nope.jsonl"], IngestSettings())
    (tmp_path / "x.csv").write_text("a,b\n")
    with pytest.raises(ChorusError, match="unknown input type"):
        read_conversations([tmp_path / "x.csv"], IngestSettings())


@pytest.mark.parametrize("share", [-0.1, 1.5])
def test_invalid_bound_is_rejected(share):
    with pytest.raises(ValueError):
        IngestSettings(max_quarantine_share=share)
