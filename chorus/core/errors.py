"""Exceptions whose messages are safe to log: they never carry conversation text."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

log = logging.getLogger(__name__)


class ChorusError(Exception):
    """Base class. Messages hold counts, names and paths only, never text."""


class ConfigError(ChorusError):
    """The configuration is invalid; the message names the field."""


class QuarantineExceeded(ChorusError):
    """Too large a share of the input was malformed."""


class StageError(ChorusError):
    """A stage failed; the original exception is dropped because it may quote text."""


def text_safe_errors(stage: str, passthrough: tuple[type[Exception], ...] = ()
                     ) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a function that holds conversation text so its errors cannot leak it.

    Every stage's Prefect task wears it (Prefect would otherwise print, log, store and
    pickle the original exception), and so do the pure functions that hold text.

    A ``ChorusError`` passes through unchanged (its message is safe by contract), and so
    does an exception of a ``passthrough`` type (ingest's ``OSError``, whose message names
    a path, so that Prefect can retry transient I/O). Any other exception is replaced by a
    ``StageError`` naming the stage and the exception type only; the original is discarded
    (not even kept as ``__context__``) because library messages may quote their input (a
    ``KeyError`` on a token, a ``ValueError`` echoing a string).
    """

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return fn(*args, **kwargs)
            except ChorusError:
                raise
            except passthrough:
                raise
            except Exception as exc:  # noqa: BLE001 - a StageError is raised below, outside it
                kind = type(exc).__name__
            # Raised outside the handler so the original is not even the new error's
            # __context__ (``from None`` only hides it from printed tracebacks).
            log.error("stage %s failed with %s (message withheld)", stage, kind)
            raise StageError(f"stage {stage!r} failed with {kind}; message withheld "
                             "because it may quote conversation text") from None

        return wrapper

    return decorate
