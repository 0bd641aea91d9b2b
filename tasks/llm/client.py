"""A small client for an OpenAI-compatible ``/chat/completions`` endpoint (httpx).

``ChatClient.map(payloads, validate)`` sends one chat request per payload, at most
``concurrency`` at a time, and returns per payload the validated JSON answer or None. One
request is retried, after ``backoff_s * 2**(retry - 1)`` seconds (at most
``backoff_max_s``; a 429's ``Retry-After`` is honoured up to that cap), on a 429, a 5xx, a
timeout, a transport error or a malformed answer, up to ``max_retries`` times; any other
status gives up at once. An answer is its first choice's ``message.content``, which must
be one JSON object (optionally inside one ```json fence, as local models like to write)
that ``validate`` accepts; anything else is a counted failure. Every call is counted in
``Usage`` and charged to the run's ``TokenBudget``; a request the budget cannot cover is
not sent (``Usage.refused``).

Privacy: nothing here logs or raises with a request, an answer or a server message
(they may quote what was sent): logs carry counts and status codes only. The client
ignores proxy variables (``trust_env=False``): a request goes to ``base_url`` and
nowhere else.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import httpx

from chorus.core.errors import ConfigError
from chorus.core.settings import LLMSettings
from tasks.llm.budget import TokenBudget, Usage, estimate_prompt, estimate_tokens

log = logging.getLogger(__name__)

T = TypeVar("T")
Messages = list[dict[str, str]]
RETRY_STATUS = frozenset({408, 409, 425, 429}) | frozenset(range(500, 600))
_FENCE = re.compile(r"^```(?:json)?[ \t]*\n(.*)\n[ \t]*```$", re.DOTALL)


def parse_json_object(content: Any) -> dict | None:
    """The JSON object ``content`` holds (whitespace and one ```json fence allowed), or
    None. No searching for braces inside prose: an answer is an object or malformed."""
    if not isinstance(content, str):
        return None
    text = content.strip()
    fenced = _FENCE.match(text)
    if fenced:
        text = fenced.group(1).strip()
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def api_key(settings: LLMSettings) -> str | None:
    """The key from the environment variable ``api_key_env`` names (None: no key).

    Raises:
        ConfigError: the variable is named but not set (the message names the variable,
            never a value).
    """
    if not settings.api_key_env:
        return None
    key = os.environ.get(settings.api_key_env)
    if not key:
        raise ConfigError(f"llm.api_key_env names {settings.api_key_env!r}, which is not "
                          "set in the environment")
    return key


class ChatClient:
    """Chat requests for one stage of a run (use as a context manager)."""

    def __init__(self, settings: LLMSettings, budget: TokenBudget, usage: Usage) -> None:
        self.settings = settings
        self.budget = budget
        self.usage = usage
        self.url = settings.base_url + "/chat/completions"
        key = api_key(settings)
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        self._http = httpx.Client(
            headers=headers, timeout=httpx.Timeout(settings.timeout_s), trust_env=False,
            limits=httpx.Limits(max_connections=settings.concurrency,
                                max_keepalive_connections=settings.concurrency))
        self._lock = threading.Lock()

    def __enter__(self) -> ChatClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.close()

    def _count(self, **deltas: int) -> None:
        with self._lock:
            for name, delta in deltas.items():
                setattr(self.usage, name, getattr(self.usage, name) + delta)

    def _delay(self, retry: int, retry_after: float | None) -> float:
        s = self.settings
        delay = min(s.backoff_max_s, s.backoff_s * 2 ** (retry - 1))
        if retry_after is not None:
            delay = max(delay, min(retry_after, s.backoff_max_s))
        return delay

    def _body(self, messages: Messages) -> dict[str, Any]:
        s = self.settings
        body: dict[str, Any] = {"model": s.model, "messages": messages,
                                "temperature": s.temperature,
                                "max_tokens": s.max_completion_tokens, "stream": False}
        if s.json_mode:
            body["response_format"] = {"type": "json_object"}
        return body

    def complete(self, messages: Messages, validate: Callable[[dict], T | None]) -> T | None:
        """One request with its retries: the validated answer, or None (gave up, or the
        budget refused it)."""
        self._count(requests=1)
        prompt_est = estimate_prompt(messages)
        bound = prompt_est + self.settings.max_completion_tokens
        body = self._body(messages)
        retry_after: float | None = None
        for attempt in range(self.settings.max_retries + 1):
            if attempt:
                time.sleep(self._delay(attempt, retry_after))
                retry_after = None
            if not self.budget.reserve(bound):
                self._count(refused=1)
                return None
            self._count(calls=1)
            try:
                response = self._http.post(self.url, json=body)
            except httpx.TimeoutException:
                # the server may have read the prompt and written up to max_tokens
                self._charge(bound, prompt_est, self.settings.max_completion_tokens, True)
                self._fail("timeout")
                continue
            except httpx.TransportError as exc:
                self._charge(bound, 0, 0, False)
                self._fail(type(exc).__name__)
                continue
            status = response.status_code
            if status != 200:
                read = 0 if status == 429 else prompt_est  # a 429 is refused before reading
                self._charge(bound, read, 0, read > 0)
                self._fail(f"HTTP {status}")
                if status not in RETRY_STATUS:
                    break
                if status == 429:
                    retry_after = _retry_after(response)
                continue
            value = self._answer(response, bound, prompt_est, validate)
            if value is not None:
                return value
            self._fail("malformed answer")
        self._count(gave_up=1)
        return None

    def _answer(self, response: httpx.Response, bound: int, prompt_est: int,
                validate: Callable[[dict], T | None]) -> T | None:
        """Charge a 200's tokens and return its validated answer (None: malformed)."""
        try:
            payload = response.json()
        except ValueError:
            payload = None
        content = None
        if isinstance(payload, dict):
            choices = payload.get("choices")
            if isinstance(choices, list) and choices and isinstance(choices[0], dict):
                message = choices[0].get("message")
                if isinstance(message, dict):
                    content = message.get("content")
        reported = payload.get("usage") if isinstance(payload, dict) else None
        if (isinstance(reported, dict) and isinstance(reported.get("prompt_tokens"), int)
                and isinstance(reported.get("completion_tokens"), int)):
            self._charge(bound, reported["prompt_tokens"], reported["completion_tokens"],
                         False)
        else:
            completion = (estimate_tokens(content) if isinstance(content, str)
                          else self.settings.max_completion_tokens)
            self._charge(bound, prompt_est, completion, True)
        parsed = parse_json_object(content)
        return validate(parsed) if parsed is not None else None

    def _charge(self, bound: int, prompt: int, completion: int, estimated: bool) -> None:
        self.budget.settle(bound, prompt + completion)
        self._count(prompt_tokens=prompt, completion_tokens=completion,
                    estimated=int(estimated))

    def _fail(self, kind: str) -> None:
        self._count(failures=1)
        log.debug("llm: call failed (%s)", kind)

    def map(self, payloads: Sequence[Messages],
            validate: Callable[[dict], T | None] | Sequence[Callable[[dict], T | None]]
            ) -> list[T | None]:
        """``complete`` for every payload, ``concurrency`` at a time, in payload order;
        ``validate`` is one validator for all, or one per payload."""
        if not payloads:
            return []
        checks = list(validate) if isinstance(validate, Sequence) else [validate] * len(
            payloads)
        t0 = time.perf_counter()
        workers = min(self.settings.concurrency, len(payloads))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="chorus-llm") as pool:
            out = list(pool.map(self.complete, payloads, checks))
        self._count_seconds(time.perf_counter() - t0)
        return out

    def _count_seconds(self, seconds: float) -> None:
        with self._lock:
            self.usage.seconds += seconds


def _retry_after(response: httpx.Response) -> float | None:
    """A 429's Retry-After in seconds (the delta form only), or None."""
    value = response.headers.get("retry-after", "")
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if seconds >= 0 else None
