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


# --- invalid Unicode: a per-record quarantine, never a run failure (issue 13) -------------

def _line(record: dict) -> bytes:
    # ensure_ascii: a lone surrogate is written as the JSON escape \ud800, as in the wild
    return json.dumps(record, ensure_ascii=True).encode()


def _with(field: str, value: str) -> dict:
    record = good(0)
    record["conversation_id"] = "bad"
    if field.startswith("messages"):
        key = field.split(".")[1]
        record["messages"] = [*record["messages"], {"role": "user", "content": "more"}]
        record["messages"][2][key] = value
    else:
        record[field] = value
    return record


SURROGATE, LOW_SURROGATE, NUL = "\ud800", "\udfff", "\x00"
# (line bytes, exact reason); every line carries SECRET beside the fault
UNICODE_LINES = [
    *[(_line(_with(field, f"{SECRET} {bad} tail")), f"{field} holds invalid Unicode ({kind})")
      for field in ("conversation_id", "user_id", "messages[2].role", "messages[2].content")
      for bad, kind in ((SURROGATE, "lone surrogate"), (LOW_SURROGATE, "lone surrogate"),
                        (LOW_SURROGATE + SURROGATE, "lone surrogate"), (NUL, "NUL"))],
    (_line(_with("created_at", f"2026-10-01T10:00:00Z{SURROGATE}{SECRET}")),
     "created_at holds invalid Unicode (lone surrogate)"),
    # surrogate bytes in the line itself (CESU-8): json decodes them with surrogatepass
    (_line(_with("messages[2].content", f"{SECRET} XX")).replace(b"XX", b"\xed\xa0\x80"),
     "messages[2].content holds invalid Unicode (lone surrogate)"),
    (_line(_with("messages[2].content", f"{SECRET} XX")).replace(b"XX", b"\xff\xfe"),
     "line is not valid UTF-8"),
    (b"[" * 100_000 + SECRET.encode(), "invalid JSON (nested too deeply)"),
]


@pytest.mark.privacy
@pytest.mark.parametrize(("line", "expected"), UNICODE_LINES,
                         ids=[f"{i}-{r.split(' ')[0]}" for i, (_, r) in enumerate(UNICODE_LINES)])
def test_invalid_unicode_quarantines_the_record_with_a_reason_without_text(tmp_path, line,
                                                                          expected):
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join([_line(good(1)), line, _line(good(2))]) + b"\n")
    result = read_conversations([path], IngestSettings(max_quarantine_share=0.5))
    assert result.conversations["conversation_id"].to_list() == ["c1", "c2"]
    assert result.quarantine.rows() == [(str(path), 2, expected)]
    assert SECRET not in repr(result.quarantine.rows())


@pytest.mark.privacy
def test_a_file_of_every_unicode_fault_reconciles_and_no_reason_quotes_a_value(tmp_path):
    path = tmp_path / "in.jsonl"
    lines = [_line(good(i)) for i in range(3)]
    lines += [line.replace(b'"bad"', f'"bad{i}"'.encode()) for i, (line, _) in
              enumerate(UNICODE_LINES)]
    path.write_bytes(b"\n".join(lines) + b"\n")
    result = read_conversations([path], IngestSettings(max_quarantine_share=0.95))
    assert result.conversations.height == 3
    assert result.quarantine["reason"].to_list() == [r for _, r in UNICODE_LINES]
    for reason in result.quarantine["reason"]:
        assert SECRET not in reason and "tail" not in reason
        assert reason.encode("utf-8")  # valid Unicode itself


def test_valid_surrogate_pairs_and_other_scripts_are_accepted(tmp_path):
    record = _with("messages[2].content", "sleepless \U0001F634 \u00e9t\u00e9 \u4e0d\u7720")
    path = tmp_path / "in.jsonl"
    path.write_bytes(_line(record) + b"\n")  # the emoji as the escaped pair \ud83d\ude34
    result = read_conversations([path], IngestSettings())
    assert result.quarantine.is_empty()
    assert result.conversations["messages"][0][2]["content"].startswith("sleepless \U0001F634")


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


def _assert_text_free(exc: BaseException) -> None:
    assert exc.__cause__ is None and exc.__context__ is None
    for shown in (str(exc), repr(exc), repr(exc.args)):
        assert SECRET not in shown and "\ud800" not in shown


@pytest.mark.privacy
def test_frame_building_failure_is_a_chorus_error_with_counts_only():
    from chorus.core.schemas import CONVERSATION_SCHEMA
    from tasks.ingest import build_frame

    # A row that skipped validation: polars fails with a UnicodeEncodeError quoting it.
    row = {**good(1), "created_at": None,
           "messages": [{"role": "user", "content": f"{SECRET} \ud800"}]}
    with pytest.raises(ChorusError, match=r"accepted conversations frame from 1 records") as info:
        build_frame([row], CONVERSATION_SCHEMA, "accepted conversations")
    _assert_text_free(info.value)
    assert "UnicodeEncodeError" in str(info.value)


@pytest.mark.privacy
def test_unreadable_parquet_is_a_chorus_error_without_text(tmp_path):
    path = tmp_path / "in.parquet"
    path.write_bytes(b"PAR1" + f"{SECRET} not really parquet".encode() + b"PAR1")
    with pytest.raises(ChorusError, match="could not read Parquet file") as info:
        read_conversations([path], IngestSettings())
    _assert_text_free(info.value)
