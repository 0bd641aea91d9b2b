"""The input contract, record by record: every reason, no reason quoting a value."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from chorus.core.settings import IngestSettings
from tasks.ingest import read_conversations, validate_record
from tests.tasks.ingest.helpers import SECRET, good, line, write_lines

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _msgs(*pairs: tuple[str, object]) -> list[dict]:
    return [{"role": r, "content": c} for r, c in pairs]


BAD_LINES = [
    ("{not json " + SECRET, "invalid JSON (Expecting property name enclosed in double quotes "
                            "at column 2)"),
    (json.dumps([1, 2]), "record is list, not an object"),
    (json.dumps({**good(90), "user_id": None}), "missing field 'user_id'"),
    (json.dumps({k: v for k, v in good(91).items() if k != "conversation_id"}),
     "missing field 'conversation_id'"),
    (json.dumps({**good(92), "user_id": 42}), "field 'user_id' must be a non-empty string"),
    (json.dumps({**good(93), "created_at": SECRET}),
     "field 'created_at' is not an ISO-8601 timestamp"),
    (json.dumps({**good(94), "messages": []}), "field 'messages' is empty"),
    (json.dumps({**good(95), "messages": SECRET}), "field 'messages' must be a list"),
    (json.dumps({**good(96), "messages": _msgs(("bot", SECRET))}),
     "messages[0].role must be 'user' or 'assistant'"),
    (json.dumps({**good(97), "messages": _msgs(("user", 5))}),
     "messages[0].content must be a string"),
    (json.dumps({**good(98), "messages": _msgs(("assistant", SECRET))}),
     "no message with role 'user'"),
    (json.dumps(good(1)), "duplicate conversation_id"),
]


def write_mixed(path, n_good: int = 40):
    lines = [line(good(i, f"u{i % 7}")) for i in range(n_good)]
    return write_lines(path, lines + [text.encode() for text, _ in BAD_LINES])


def test_mixed_file_quarantines_each_kind_with_its_line_and_reconciles(tmp_path):
    path = write_mixed(tmp_path / "in.jsonl")
    result = read_conversations([path], IngestSettings(max_quarantine_share=0.5))
    assert result.conversations.height == 40
    assert result.n_read == 40 + len(BAD_LINES)
    assert result.quarantine.rows() == [(str(path), 41 + i, reason)
                                        for i, (_, reason) in enumerate(BAD_LINES)]
    assert not any(SECRET in r for r in result.quarantine["reason"])


# --- the rules beyond types: future times, calendar range, empty content, length ---------

def _check(record: dict, max_chars: int = 100) -> tuple[dict | None, str | None]:
    return validate_record(record, max_chars, NOW + timedelta(hours=24))


@pytest.mark.parametrize(("created_at", "reason"), [
    ((NOW + timedelta(hours=23)).isoformat(), None),
    ((NOW + timedelta(hours=25)).isoformat(),
     "created_at is in the future (beyond ingest.max_future_hours)"),
    ("2099-01-01T00:00:00Z", "created_at is in the future (beyond ingest.max_future_hours)"),
    ("2026-11-30T10:00:00", None),  # naive: read as UTC
    ("0001-01-01T00:00:00+05:00", "field 'created_at' is not an ISO-8601 timestamp"),
    ("9999-12-31T23:00:00-05:00", "field 'created_at' is not an ISO-8601 timestamp"),
    ("2026-02-30T00:00:00Z", "field 'created_at' is not an ISO-8601 timestamp"),
    (20261201, "field 'created_at' is not an ISO-8601 timestamp"),
    (None, "missing field 'created_at'"),
])
def test_created_at_rules(created_at, reason):
    clean, got = _check({**good(1), "created_at": created_at})
    assert got == reason
    assert (clean is None) == (reason is not None)
    if clean is not None:
        assert clean["created_at"].tzinfo is UTC


def test_without_not_after_a_future_time_is_accepted():
    assert validate_record({**good(1), "created_at": "2099-01-01T00:00:00Z"}, 100)[1] is None


@pytest.mark.parametrize(("messages", "reason", "kept"), [
    (_msgs(("user", "hi"), ("assistant", ""), ("user", " \n\t\u3000")), None, [("user", "hi")]),
    (_msgs(("assistant", "hello"), ("user", "x")), None, [("assistant", "hello"), ("user", "x")]),
    (_msgs(("user", ""), ("assistant", "hello")), "no user message with content", None),
    (_msgs(("user", "   "),), "no user message with content", None),
    (_msgs(("assistant", ""),), "no message with role 'user'", None),
    (_msgs(("user", "x" * 100)), None, [("user", "x" * 100)]),
    (_msgs(("user", "ok"), ("user", "x" * 101)),
     "messages[1].content is longer than 100 characters (ingest.max_message_chars)", None),
    ([{"role": "user", "content": "hi", "name": SECRET, "extra": {"deep": [1]}}], None,
     [("user", "hi")]),
    ([{"role": "user"}], "messages[0].content must be a string", None),
    (["hi"], "messages[0] is not an object", None),
])
def test_message_rules(messages, reason, kept):
    clean, got = _check({**good(1), "messages": messages})
    assert got == reason
    if kept is None:
        assert clean is None
    else:
        assert clean is not None
        assert [(m["role"], m["content"]) for m in clean["messages"]] == kept
        assert set(clean) == {"conversation_id", "user_id", "created_at", "messages"}


def test_empty_messages_are_counted_and_dropped_in_a_file(tmp_path):
    record = {**good(1), "messages": _msgs(("user", "hi"), ("assistant", " "), ("user", ""))}
    path = write_lines(tmp_path / "in.jsonl", [line(record), line(good(2))])
    result = read_conversations([path], IngestSettings())
    assert result.n_empty_messages == 2 and result.quarantine.is_empty()
    assert result.conversations["messages"].list.len().to_list() == [1, 2]


# --- invalid Unicode: a per-record quarantine, never a run failure ------------------------

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
    *[(line(_with(field, f"{SECRET} {bad} tail")), f"{field} holds invalid Unicode ({kind})")
      for field in ("conversation_id", "user_id", "messages[2].role", "messages[2].content")
      for bad, kind in ((SURROGATE, "lone surrogate"), (LOW_SURROGATE, "lone surrogate"),
                        (LOW_SURROGATE + SURROGATE, "lone surrogate"), (NUL, "NUL"))],
    (line(_with("created_at", f"2026-10-01T10:00:00Z{SURROGATE}{SECRET}")),
     "created_at holds invalid Unicode (lone surrogate)"),
    # surrogate bytes in the line itself (CESU-8): decoded with surrogatepass
    (line(_with("messages[2].content", f"{SECRET} XX")).replace(b"XX", b"\xed\xa0\x80"),
     "messages[2].content holds invalid Unicode (lone surrogate)"),
    (line(_with("messages[2].content", f"{SECRET} XX")).replace(b"XX", b"\xff\xfe"),
     "line is not valid UTF-8"),
    (b"[" * 100_000 + SECRET.encode(), "invalid JSON (nested too deeply)"),
]


@pytest.mark.privacy
@pytest.mark.parametrize(("raw", "expected"), UNICODE_LINES,
                         ids=[f"{i}-{r.split(' ')[0]}" for i, (_, r) in enumerate(UNICODE_LINES)])
def test_invalid_unicode_quarantines_the_record_with_a_reason_without_text(tmp_path, raw,
                                                                          expected):
    path = write_lines(tmp_path / "in.jsonl", [line(good(1)), raw, line(good(2))])
    result = read_conversations([path], IngestSettings(max_quarantine_share=0.5))
    assert result.conversations["conversation_id"].to_list() == ["c1", "c2"]
    assert result.quarantine.rows() == [(str(path), 2, expected)]
    assert SECRET not in repr(result.quarantine.rows())


@pytest.mark.privacy
def test_a_file_of_every_unicode_fault_reconciles_and_no_reason_quotes_a_value(tmp_path):
    lines = [line(good(i)) for i in range(3)]
    lines += [raw.replace(b'"bad"', f'"bad{i}"'.encode()) for i, (raw, _) in
              enumerate(UNICODE_LINES)]
    path = write_lines(tmp_path / "in.jsonl", lines)
    result = read_conversations([path], IngestSettings(max_quarantine_share=0.95))
    assert result.conversations.height == 3
    assert result.quarantine["reason"].to_list() == [r for _, r in UNICODE_LINES]
    for reason in result.quarantine["reason"]:
        assert SECRET not in reason and "tail" not in reason
        assert reason.encode("utf-8")  # valid Unicode itself


def test_valid_surrogate_pairs_and_other_scripts_are_accepted(tmp_path):
    record = _with("messages[2].content", "sleepless \U0001F634 \u00e9t\u00e9 \u4e0d\u7720")
    path = write_lines(tmp_path / "in.jsonl", [line(record)])  # the emoji as \ud83d\ude34
    result = read_conversations([path], IngestSettings())
    assert result.quarantine.is_empty()
    assert result.conversations["messages"][0][2]["content"].startswith("sleepless \U0001F634")
