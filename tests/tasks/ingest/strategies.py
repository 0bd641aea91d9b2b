"""Hypothesis strategies for ingest input: records valid by construction, records with one
planted fault, arbitrary JSON values, raw byte lines and blank lines, as JSONL files.

Every generated string carries a canary (``CANARY``; assistant content ``ASSISTANT_CANARY``
too), so a test can check that no reason or error quotes a value. Each line comes with the
outcome its construction implies (``Line.expect``): ``"accept"``, ``"quarantine"``,
``"blank"`` or None (not predicted: arbitrary bytes), and the fault's tag, a field name
the reason must mention.

``FUZZ`` is the budget of the default suite (200 examples, no deadline, no example
database); ``CHORUS_FUZZ_EXAMPLES`` raises it for a longer fuzzing run.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

CANARY = "zqFUZZcanary"
ASSISTANT_CANARY = "zqASSISTANTcanary"
EMAIL = "zq.fuzz.canary@example.com"
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
MAX_CHARS = 300

FUZZ = settings(max_examples=int(os.environ.get("CHORUS_FUZZ_EXAMPLES", "200")),
                deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.large_base_example])

# any code point, lone surrogates and NUL included
ANY_CHAR = st.one_of(st.characters(), st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
                     st.just("\x00"))
# what the contract accepts in a string: no lone surrogate, no NUL
CLEAN_CHAR = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")


def _planted(chars: st.SearchStrategy[str], canary: str, max_size: int = 12):
    return st.builds(lambda a, b: f"{a}{canary}{b}", st.text(chars, max_size=max_size),
                     st.text(chars, max_size=max_size))


ANY_TEXT = _planted(ANY_CHAR, CANARY)
CLEAN_TEXT = _planted(CLEAN_CHAR, CANARY)
JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), ANY_TEXT)
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(ANY_TEXT, inner, max_size=3)), max_leaves=6)
NOT_STR = st.one_of(st.booleans(), st.integers(), st.floats(), st.lists(JSON_SCALARS, max_size=3),
                    st.dictionaries(ANY_TEXT, JSON_SCALARS, max_size=3))
EXTRA = st.dictionaries(ANY_TEXT, JSON_VALUES, max_size=2)  # keys hold the canary: never a field
BLANKS = st.sampled_from([b"", b" ", b"\t", b"\r", b"  \t\r", b"\x0b\x0c"])
NASTY = st.sampled_from([
    b"[" * 50_000 + CANARY.encode(), b'{"a": ' + b"9" * 5_000 + b"}", b"\xef\xbb\xbf{}",
    b"NaN", b'"' + CANARY.encode(), b"\x00" + CANARY.encode(), b"\xed\xa0\x80" + CANARY.encode(),
    b'{"conversation_id": "' + CANARY.encode() + b'\\ud800"}', b"{" + CANARY.encode(),
])


@dataclass
class Line:
    raw: bytes
    expect: str | None
    tag: str = ""
    record: Any = None


@st.composite
def created_at(draw) -> str:
    """A valid time: ISO text, with a UTC offset, 'Z' or none (read as UTC)."""
    moment = draw(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2026, 11, 1)))
    form = draw(st.sampled_from(["offset", "z", "naive"]))
    if form == "naive":
        return moment.isoformat()
    if form == "z":
        return moment.isoformat() + "Z"
    offset = timedelta(minutes=draw(st.integers(-14 * 60, 14 * 60)))
    return moment.replace(tzinfo=timezone(offset)).isoformat()


@st.composite
def message(draw, role: str | None = None, content: bool = True) -> dict:
    role = role or draw(st.sampled_from(["user", "assistant"]))
    canary = CANARY if role == "user" else ASSISTANT_CANARY
    if content:
        text = draw(_planted(CLEAN_CHAR, canary))
        if role == "user" and draw(st.booleans()):
            text = f"{text} {EMAIL} {draw(CLEAN_TEXT)}"
    else:
        text = draw(st.sampled_from(["", " ", "\n\t", "\u3000\u2003"]))
    return {"role": role, "content": text, **draw(EXTRA)}


@st.composite
def valid_record(draw, index: int) -> dict:
    """A record the contract accepts; its conversation_id ends in ``#index`` (unique)."""
    others = draw(st.lists(st.one_of(message(), message(content=False)), max_size=4))
    messages = others + [draw(message("user"))]
    messages = draw(st.permutations(messages))
    return {"conversation_id": f"{draw(CLEAN_TEXT)}#{index}", "user_id": draw(CLEAN_TEXT),
            "created_at": draw(created_at()), "messages": list(messages), **draw(EXTRA)}


def _bad_char(draw) -> str:
    return draw(st.sampled_from(["\x00", "\ud800", "\udfff", "\udc00\ud800"]))


@st.composite
def faulty_record(draw, index: int) -> tuple[dict, str]:
    """A valid record with exactly one fault; returns (record, the field the reason names)."""
    record = draw(valid_record(index))
    msgs = record["messages"]
    i = draw(st.integers(0, len(msgs) - 1))
    fault = draw(st.sampled_from([
        "drop", "id_type", "id_blank", "id_unicode", "time_type", "time_text", "time_future",
        "time_overflow", "time_unicode", "messages_type", "messages_empty", "message_type",
        "role", "role_unicode", "content_type", "content_unicode", "content_long",
        "no_user", "no_user_content"]))
    key = draw(st.sampled_from(["conversation_id", "user_id"]))
    if fault == "drop":
        key = draw(st.sampled_from(["conversation_id", "user_id", "created_at", "messages"]))
        del record[key]
        return record, key
    if fault == "id_type":
        record[key] = draw(NOT_STR)
    elif fault == "id_blank":
        record[key] = draw(st.sampled_from(["", " ", "\t\n", "\u3000"]))
    elif fault == "id_unicode":
        record[key] = record[key] + _bad_char(draw) + CANARY
    elif fault.startswith("time_"):
        key = "created_at"
        record[key] = {
            "time_type": lambda: draw(NOT_STR),
            "time_text": lambda: draw(ANY_TEXT),
            "time_future": lambda: draw(st.datetimes(
                min_value=datetime(2026, 12, 2, 13), max_value=datetime(9999, 1, 1))
            ).isoformat() + "Z",
            "time_overflow": lambda: draw(st.sampled_from(
                ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-01:00"])),
            "time_unicode": lambda: "2026-01-01T00:00:00Z" + _bad_char(draw) + CANARY,
        }[fault]()
    elif fault in ("messages_type", "messages_empty"):
        key = "messages"
        record[key] = [] if fault == "messages_empty" else draw(st.one_of(
            ANY_TEXT, st.integers(), st.dictionaries(ANY_TEXT, JSON_SCALARS, max_size=2)))
    elif fault == "message_type":
        key, msgs[i] = "messages", draw(JSON_SCALARS)
    elif fault in ("role", "role_unicode"):
        key = "role"
        msgs[i]["role"] = (draw(st.one_of(ANY_TEXT, NOT_STR, st.sampled_from(
            ["User", "system", "tool", ""]))) if fault == "role" else
            "user" + _bad_char(draw))
    elif fault in ("content_type", "content_unicode", "content_long"):
        key = "content"
        msgs[i]["content"] = {
            "content_type": lambda: draw(st.one_of(st.none(), NOT_STR)),
            "content_unicode": lambda: msgs[i]["content"] + _bad_char(draw) + CANARY,
            "content_long": lambda: CANARY + "x" * draw(st.sampled_from(
                [MAX_CHARS, MAX_CHARS + 1, 10 * MAX_CHARS, 1_000_001])),
        }[fault]()
    elif fault == "no_user":
        key = "role 'user'"
        for m in msgs:
            m["role"] = "assistant"
    else:
        key = "no user message with content"
        for m in msgs:
            if m["role"] == "user":
                m["content"] = draw(st.sampled_from(["", " ", "\n"]))
    return record, key


def encode(draw, record: Any) -> bytes:
    """JSON, with non-ASCII as escapes or as UTF-8 (lone surrogates then as CESU-8 bytes)."""
    if draw(st.booleans()):
        return json.dumps(record, ensure_ascii=True).encode()
    return json.dumps(record, ensure_ascii=False).encode("utf-8", "surrogatepass")


@st.composite
def jsonl_lines(draw, max_lines: int = 8) -> list[Line]:
    """A file's lines; a valid record may be repeated later (a duplicate id)."""
    lines: list[Line] = []
    for index in range(draw(st.integers(1, max_lines))):
        kind = draw(st.sampled_from(["valid", "valid", "faulty", "faulty", "json", "bytes",
                                     "blank", "nasty", "duplicate"]))
        accepted = [ln for ln in lines if ln.expect == "accept"]
        if kind == "duplicate" and accepted:
            earlier = draw(st.sampled_from(accepted))
            lines.append(Line(encode(draw, earlier.record), "quarantine", "duplicate"))
        elif kind in ("valid", "duplicate"):
            record = draw(valid_record(index))
            lines.append(Line(encode(draw, record), "accept", record=record))
        elif kind == "faulty":
            record, tag = draw(faulty_record(index))
            lines.append(Line(encode(draw, record), "quarantine", tag))
        elif kind == "json":
            lines.append(Line(encode(draw, draw(JSON_VALUES)), "quarantine"))
        elif kind == "bytes":
            raw = draw(st.binary(max_size=40)) + CANARY.encode() + draw(st.binary(max_size=40))
            lines.append(Line(raw.replace(b"\n", b" "), None))
        elif kind == "blank":
            lines.append(Line(draw(BLANKS), "blank"))
        else:
            lines.append(Line(draw(NASTY), "quarantine"))
    return lines


def file_bytes(lines: list[Line], bom: bool) -> bytes:
    return (b"\xef\xbb\xbf" if bom else b"") + b"\n".join(ln.raw for ln in lines) + b"\n"
