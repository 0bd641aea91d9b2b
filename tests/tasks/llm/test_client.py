"""The chat client against a real HTTP server on 127.0.0.1: canned answers, retries with
exponential backoff on 429/5xx/timeouts, malformed answers, the token budget, the key."""

from __future__ import annotations

import json

import pytest

from chorus.core.errors import ConfigError
from chorus.core.settings import LLMSettings
from tasks.llm import ChatClient, TokenBudget, Usage, parse_json_object
from tasks.llm.budget import estimate_prompt
from tests.tasks.llm.fake_llm import FakeLLM, Reply, chat

MESSAGES = [{"role": "system", "content": "Answer in JSON."},
            {"role": "user", "content": "{\"topic\": \"sleep\"}"}]
GOOD = chat(json.dumps({"name": "Sleep", "description": "About sleep."}), usage=(50, 10))


def accept(answer: dict) -> dict | None:
    return answer if isinstance(answer.get("name"), str) else None


def settings(url: str, **kw) -> LLMSettings:
    base = {"enabled": True, "base_url": url, "model": "test-model", "backoff_s": 0.05,
            "backoff_max_s": 1.0, "timeout_s": 5.0, "max_retries": 3}
    return LLMSettings(**{**base, **kw})


def run(respond, budget: int = 100_000, **kw):
    """One request; (answer, usage, server)."""
    usage = Usage()
    with FakeLLM(respond) as server, \
            ChatClient(settings(server.url, **kw), TokenBudget(budget), usage) as client:
        answer = client.complete(MESSAGES, accept)
    return answer, usage, server


def script(*replies: Reply):
    """Answer the n-th request with replies[n] (the last one from then on)."""
    return lambda _body, n: replies[min(n, len(replies) - 1)]


def test_a_canned_answer_is_parsed_and_its_usage_counted():
    answer, usage, server = run(script(Reply(body=GOOD)))
    assert answer == {"name": "Sleep", "description": "About sleep."}
    assert (usage.calls, usage.failures, usage.prompt_tokens, usage.completion_tokens,
            usage.estimated) == (1, 0, 50, 10, 0)
    body = server.bodies[0]
    assert body["model"] == "test-model" and body["messages"] == MESSAGES
    assert body["response_format"] == {"type": "json_object"} and body["temperature"] == 0.0
    assert "authorization" not in {h.lower() for h in server.headers[0]}


@pytest.mark.parametrize("statuses", [[429], [500], [503, 502], [500, 429, 504]])
def test_429_and_5xx_are_retried_with_exponential_backoff(statuses):
    replies = [Reply(status=s, body={"error": "busy"}) for s in statuses] + [Reply(body=GOOD)]
    answer, usage, server = run(script(*replies))
    assert answer is not None
    assert usage.calls == len(statuses) + 1 and usage.failures == len(statuses)
    gaps = [b - a for a, b in zip(server.arrivals, server.arrivals[1:], strict=False)]
    for retry, gap in enumerate(gaps, start=1):
        assert gap >= 0.05 * 2 ** (retry - 1) * 0.95, (retry, gap)


def test_retry_after_of_a_429_is_honoured():
    answer, _, server = run(script(Reply(status=429, headers={"Retry-After": "0.4"}),
                                   Reply(body=GOOD)), backoff_s=0.01)
    assert answer is not None and server.arrivals[1] - server.arrivals[0] >= 0.38


def test_retries_give_up_after_max_retries():
    answer, usage, server = run(script(Reply(status=500)), max_retries=2)
    assert answer is None and len(server.bodies) == 3
    assert (usage.calls, usage.failures, usage.gave_up) == (3, 3, 1)


@pytest.mark.parametrize("status", [400, 401, 404])
def test_a_client_error_is_not_retried(status):
    answer, usage, server = run(script(Reply(status=status)))
    assert answer is None and len(server.bodies) == 1 and usage.gave_up == 1


def test_a_timeout_is_a_failure_and_is_retried():
    answer, usage, _ = run(script(Reply(body=GOOD, delay=1.5), Reply(body=GOOD)),
                           timeout_s=0.3)
    assert answer is not None and usage.calls == 2 and usage.failures == 1
    # the timed-out call is charged its conservative bound (prompt estimate + max_tokens)
    assert usage.prompt_tokens == estimate_prompt(MESSAGES) + 50
    assert usage.completion_tokens == 300 + 10


@pytest.mark.parametrize("bad", [
    "the name is Sleep",                          # prose
    '{"name": "Sleep", "description": "x"',       # cut off
    '["Sleep"]',                                  # not an object
    '{"title": "Sleep"}',                         # valid JSON, wrong shape
    'Sure! ```json\n{"name": "Sleep"}\n```',      # prose around a fence
])
def test_a_malformed_answer_is_a_counted_failure_then_retried(bad):
    answer, usage, _ = run(script(Reply(body=chat(bad)), Reply(body=GOOD)))
    assert answer == {"name": "Sleep", "description": "About sleep."}
    assert usage.calls == 2 and usage.failures == 1


@pytest.mark.parametrize("body", ["<html>bad gateway</html>", {"choices": []},
                                  {"choices": [{"message": {"content": None}}]}])
def test_a_malformed_body_is_a_counted_failure(body):
    answer, usage, _ = run(script(Reply(body=body)), max_retries=1)
    assert answer is None and (usage.calls, usage.failures, usage.gave_up) == (2, 2, 1)


@pytest.mark.parametrize("content, parsed", [
    ('{"a": 1}', {"a": 1}),
    ('  \n{"a": 1}\n ', {"a": 1}),
    ('```json\n{"a": 1}\n```', {"a": 1}),
    ('```\n{"a": 1}\n```', {"a": 1}),
    ('{"a": 1} trailing', None),
    ("[1]", None),
    ("", None),
    (None, None),
])
def test_parse_json_object_is_strict(content, parsed):
    assert parse_json_object(content) == parsed


def test_missing_usage_is_estimated_conservatively():
    content = json.dumps({"name": "Sleep", "description": "About sleep."})
    answer, usage, _ = run(script(Reply(body=chat(content, usage=None))))
    assert answer is not None and usage.estimated == 1
    # at most 4 characters per token in common tokenizers: the estimate is above that
    assert usage.prompt_tokens >= sum(len(m["content"]) for m in MESSAGES) / 4
    assert usage.completion_tokens >= len(content) / 4


@pytest.mark.parametrize("spare, sent", [(-1, 0), (0, 1), (1, 1)])
def test_a_request_the_budget_cannot_cover_is_not_sent(spare, sent):
    bound = estimate_prompt(MESSAGES) + 300  # prompt estimate + max_tokens
    answer, usage, server = run(script(Reply(body=GOOD)), budget=bound + spare)
    assert len(server.bodies) == sent and usage.refused == 1 - sent
    assert (answer is None) == (sent == 0)


def test_budget_is_charged_with_usage_and_refuses_later_requests():
    usage, budget = Usage(), TokenBudget(estimate_prompt(MESSAGES) + 300 + 59)
    with FakeLLM(script(Reply(body=GOOD))) as server, \
            ChatClient(settings(server.url), budget, usage) as client:
        first = client.complete(MESSAGES, accept)
        second = client.complete(MESSAGES, accept)  # 60 spent; the bound no longer fits
    assert first is not None and second is None
    assert budget.spent == 60 and budget.exhausted and len(server.bodies) == 1


def test_requests_run_concurrently_up_to_the_limit():
    usage = Usage()
    with FakeLLM(script(Reply(body=GOOD, delay=0.3))) as server, \
            ChatClient(settings(server.url, concurrency=3), TokenBudget(10**6),
                       usage) as client:
        answers = client.map([MESSAGES] * 7, accept)
    assert all(a is not None for a in answers) and server.max_in_flight == 3
    assert 0.6 <= usage.seconds < 2.0  # three waves of 0.3 s, not seven


def test_the_key_comes_from_the_named_environment_variable(monkeypatch):
    monkeypatch.setenv("CHORUS_TEST_LLM_KEY", "secret-value-123")
    _, _, server = run(script(Reply(body=GOOD)), api_key_env="CHORUS_TEST_LLM_KEY")
    assert server.headers[0].get("Authorization") == "Bearer secret-value-123"


def test_a_named_but_unset_key_variable_is_a_config_error(monkeypatch):
    monkeypatch.delenv("CHORUS_TEST_LLM_UNSET", raising=False)
    with pytest.raises(ConfigError, match="CHORUS_TEST_LLM_UNSET"):
        ChatClient(settings("http://127.0.0.1:9/v1", api_key_env="CHORUS_TEST_LLM_UNSET"),
                   TokenBudget(10), Usage())


def test_a_refused_connection_is_a_failure_not_a_crash():
    usage = Usage()
    with FakeLLM() as server:
        url = server.url
    with ChatClient(settings(url, max_retries=1, backoff_s=0.0), TokenBudget(10**6),
                    usage) as client:
        assert client.complete(MESSAGES, accept) is None
    assert (usage.calls, usage.failures, usage.gave_up) == (2, 2, 1)
