"""Errors: text_safe_errors turns any non-Chorus failure into a text-free StageError."""

from __future__ import annotations

import logging
import traceback

import pytest

from chorus.core.errors import (
    ChorusError,
    ConfigError,
    QuarantineExceeded,
    StageError,
    text_safe_errors,
)

SECRET = "Zebulon Quaxley cannot sleep"


def failing(exc: BaseException):
    @text_safe_errors("scrub")
    def stage(text: str) -> str:
        """A stage over conversation text."""
        raise exc

    return stage


@pytest.mark.parametrize("exc", [
    KeyError(SECRET),
    ValueError(f"could not parse {SECRET!r}"),
    RuntimeError(SECRET),
    IndexError(SECRET),
    UnicodeDecodeError("utf-8", SECRET.encode(), 0, 1, SECRET),
], ids=lambda e: type(e).__name__)
def test_other_exceptions_become_a_stage_error_naming_stage_and_type_only(exc, caplog):
    with caplog.at_level(logging.DEBUG), pytest.raises(StageError) as info:
        failing(exc)(SECRET)
    err = info.value
    message = str(err)
    assert "'scrub'" in message and type(exc).__name__ in message
    assert "withheld" in message
    assert SECRET not in message and "Zebulon" not in message
    assert err.__cause__ is None and err.__suppress_context__
    assert err.__context__ is None, "the original (with its message) is not kept at all"
    # the traceback as Python prints it shows neither the original nor its text
    printed = "".join(traceback.format_exception(err))
    assert "Zebulon" not in printed and "During handling" not in printed
    assert caplog.records, "the failure is logged"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "scrub" in logged and type(exc).__name__ in logged and "Zebulon" not in logged


@pytest.mark.parametrize("exc", [
    ChorusError("3 rows failed"),
    ConfigError("privacy.min_users: too small"),
    QuarantineExceeded("60% quarantined"),
    StageError("stage 'x' failed"),
], ids=lambda e: type(e).__name__)
def test_chorus_errors_pass_through_unchanged(exc):
    with pytest.raises(ChorusError) as info:
        failing(exc)("text")
    assert info.value is exc


@pytest.mark.parametrize("exc", [KeyboardInterrupt(), SystemExit(3)],
                         ids=lambda e: type(e).__name__)
def test_interrupts_are_not_caught(exc):
    with pytest.raises(type(exc)) as info:
        failing(exc)("text")
    assert info.value is exc


def test_success_returns_the_value_and_keeps_the_signature():
    @text_safe_errors("facets")
    def stage(text: str, n: int = 2) -> str:
        """Doc."""
        return text * n

    assert stage("ab", n=3) == "ababab"
    assert stage.__name__ == "stage" and stage.__doc__ == "Doc."
    assert issubclass(StageError, ChorusError) and issubclass(ConfigError, ChorusError)
