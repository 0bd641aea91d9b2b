"""Property-based ingest: fuzzed JSONL files (any Unicode, surrogates, NUL, huge and nested
values, wrong types at every field, missing and extra fields, non-object JSON, invalid
UTF-8, blank lines) through ``read_inputs``.

Properties, for every file:

* nothing raises (a file of blank lines only: the preflight's ``ChorusError``);
* every non-blank line is read once, accepted or quarantined (by its line number), and
  blank lines are counted apart: read = accepted + quarantined;
* a record valid by construction is accepted, a record with one planted fault is
  quarantined with a reason naming the faulty field;
* every reason is one of the fixed forms (``REASONS``), and none holds the canary planted
  in every generated string, nor does the quarantine-bound error;
* every accepted record meets the contract.

Budget: ``strategies.FUZZ`` (200 examples; ``CHORUS_FUZZ_EXAMPLES`` for longer runs).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chorus.core.errors import ChorusError, QuarantineExceeded
from chorus.core.settings import IngestSettings
from tasks.ingest import check_quarantine_share, read_inputs, unicode_problem
from tasks.ingest.readers import JSON_PHRASES
from tests.tasks.ingest.strategies import (
    CANARY,
    FUZZ,
    MAX_CHARS,
    NOW,
    Line,
    file_bytes,
    jsonl_lines,
)

pytestmark = [pytest.mark.privacy]

_FIELD = r"(conversation_id|user_id|created_at|messages\[\d+\]\.(role|content))"
_PHRASE = "|".join(re.escape(p) for p in JSON_PHRASES)
REASONS = [re.compile(p) for p in (
    r"record is (list|str|int|float|bool|NoneType), not an object",
    r"missing field '(conversation_id|user_id|created_at|messages)'",
    r"field '(conversation_id|user_id)' must be a non-empty string",
    _FIELD + r" holds invalid Unicode \((lone surrogate|NUL)\)",
    r"field 'created_at' is not an ISO-8601 timestamp",
    r"created_at is in the future \(beyond ingest\.max_future_hours\)",
    r"field 'messages' must be a list",
    r"field 'messages' is empty",
    r"messages\[\d+\] is not an object",
    r"messages\[\d+\]\.role must be 'user' or 'assistant'",
    r"messages\[\d+\]\.content must be a string",
    rf"messages\[\d+\]\.content is longer than {MAX_CHARS} characters "
    r"\(ingest\.max_message_chars\)",
    r"no message with role 'user'",
    r"no user message with content",
    r"duplicate conversation_id",
    r"line is not valid UTF-8",
    rf"invalid JSON \(((?:{_PHRASE}) at column \d+|nested too deeply|number too long)\)",
)]
SETTINGS = IngestSettings(max_message_chars=MAX_CHARS, max_quarantine_share=1.0)


def _is_fixed_form(reason: str) -> bool:
    return any(p.fullmatch(reason) for p in REASONS)


def _assert_meets_contract(row: dict) -> None:
    assert row["created_at"] <= NOW + timedelta(hours=SETTINGS.max_future_hours)
    for key in ("conversation_id", "user_id"):
        assert row[key].strip() and unicode_problem(row[key]) is None
    assert any(m["role"] == "user" for m in row["messages"])
    for m in row["messages"]:
        assert m["role"] in ("user", "assistant")
        assert m["content"].strip() and len(m["content"]) <= MAX_CHARS
        assert unicode_problem(m["content"]) is None


@FUZZ
@given(lines=jsonl_lines(), bom=st.booleans())
def test_every_line_is_accepted_quarantined_or_blank_and_no_reason_quotes_a_value(
        tmp_path_factory, lines: list[Line], bom: bool):
    path = tmp_path_factory.mktemp("fuzz") / "in.jsonl"
    path.write_bytes(file_bytes(lines, bom))
    blank = [n for n, ln in enumerate(lines, 1) if ln.expect == "blank"]
    records = [n for n, ln in enumerate(lines, 1) if ln.expect != "blank"]
    if not records:
        with pytest.raises(ChorusError, match="holds only blank lines"):
            read_inputs([path], SETTINGS, now=NOW)
        return
    result = read_inputs([path], SETTINGS, now=NOW)

    # reconciliation: each non-blank line read once; blank lines apart
    assert result.n_blank == len(blank)
    assert result.n_read == len(records)
    quarantined = dict(zip(result.quarantine["record"], result.quarantine["reason"],
                           strict=True))
    assert len(quarantined) == result.quarantine.height, "a line quarantined twice"
    assert set(quarantined) <= set(records)
    accepted_lines = [n for n in records if n not in quarantined]
    assert len(accepted_lines) == result.conversations.height

    # the outcome each line's construction implies
    for n, ln in enumerate(lines, 1):
        if ln.expect == "accept":
            assert n not in quarantined, (n, quarantined.get(n))
        elif ln.expect == "quarantine":
            assert n in quarantined, (n, ln.tag)
            assert ln.tag in quarantined[n], (ln.tag, quarantined[n])
    expected_ids = [ln.record["conversation_id"] for ln in lines if ln.expect == "accept"]
    assert [i for i in result.conversations["conversation_id"] if i in set(expected_ids)] \
        == expected_ids

    # reasons: fixed forms, no value
    for reason in quarantined.values():
        assert _is_fixed_form(reason), reason
        assert CANARY not in reason and " at at " not in reason
    try:
        check_quarantine_share(result, 0.0)
    except QuarantineExceeded as exc:
        assert CANARY not in str(exc)

    for row in result.conversations.iter_rows(named=True):
        _assert_meets_contract(row)


@FUZZ
@given(st.lists(jsonl_lines(max_lines=4), min_size=2, max_size=3))
def test_counts_reconcile_across_several_files(tmp_path_factory, files: list[list[Line]]):
    base = tmp_path_factory.mktemp("fuzz")
    paths = []
    for i, lines in enumerate(files):
        if all(ln.expect == "blank" for ln in lines):
            continue
        paths.append(base / f"in{i}.jsonl")
        paths[-1].write_bytes(file_bytes(lines, bom=False))
    if not paths:
        return
    result = read_inputs(paths, SETTINGS, now=NOW)
    kept = [lines for lines in files if not all(ln.expect == "blank" for ln in lines)]
    assert result.n_read == sum(ln.expect != "blank" for lines in kept for ln in lines)
    assert result.n_blank == sum(ln.expect == "blank" for lines in kept for ln in lines)
    assert result.conversations["conversation_id"].n_unique() == result.conversations.height
    assert set(result.quarantine["source"]) <= {str(p) for p in paths}
