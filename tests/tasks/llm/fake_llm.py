"""A real HTTP server on 127.0.0.1 (port 0, in a thread) that speaks the OpenAI chat
completions protocol with scripted answers, and records every request body it received.

``FakeLLM(respond)``: ``respond(body, n)`` gets the parsed request body and the 0-based
number of the request and returns a ``Reply`` (status, body, delay, headers). ``chat``
builds a normal answer; ``naming_reply`` and ``audit_reply`` are canned answers for the
two kinds of requests Chorus sends.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    status: int = 200
    body: Any = None            # dict (sent as JSON), str or bytes (sent as is)
    delay: float = 0.0          # seconds before answering (timeouts)
    headers: dict[str, str] = field(default_factory=dict)


def chat(content: str, usage: tuple[int, int] | None = (100, 20)) -> dict:
    """A chat completion answer whose first choice says ``content``."""
    body: dict[str, Any] = {"id": "x", "object": "chat.completion",
                            "choices": [{"index": 0, "finish_reason": "stop",
                                         "message": {"role": "assistant",
                                                     "content": content}}]}
    if usage is not None:
        body["usage"] = {"prompt_tokens": usage[0], "completion_tokens": usage[1],
                         "total_tokens": sum(usage)}
    return body


def user_payload(body: dict) -> dict:
    """The JSON the user message of a Chorus request holds."""
    return json.loads(body["messages"][-1]["content"])


def is_audit(body: dict) -> bool:
    return "privacy auditor" in body["messages"][0]["content"]


MODEL_WORD = "zorblaxian"  # in no text of any test run: the model's own vocabulary


def naming_reply(body: dict) -> Reply:
    """Name = the first key phrase + a model word; description from model words."""
    topic = user_payload(body)["topic"]
    head = (topic.get("key_phrases") or ["general"])[0]
    return Reply(body=chat(json.dumps({"name": f"{head.capitalize()} {MODEL_WORD}",
                                       "description": f"Quendrilic {head}."})))


def audit_reply(body: dict, score: int = 5) -> Reply:
    strings = user_payload(body)["strings"]
    return Reply(body=chat(json.dumps({"scores": [score] * len(strings)})))


def canned(body: dict, _n: int) -> Reply:
    return audit_reply(body) if is_audit(body) else naming_reply(body)


class FakeLLM:
    """The server; use as a context manager. ``url`` is the base URL (``.../v1``)."""

    def __init__(self, respond: Callable[[dict, int], Reply] = canned) -> None:
        self.respond = respond
        self.bodies: list[dict] = []
        self.raw: list[bytes] = []
        self.headers: list[dict[str, str]] = []
        self.arrivals: list[float] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with fake._lock:
                    n = len(fake.bodies)
                    fake.raw.append(raw)
                    fake.bodies.append(json.loads(raw))
                    fake.headers.append(dict(self.headers))
                    fake.arrivals.append(time.perf_counter())
                    fake.in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
                try:
                    reply = fake.respond(fake.bodies[n], n)
                    if reply.delay:
                        time.sleep(reply.delay)
                    data = (reply.body if isinstance(reply.body, bytes)
                            else reply.body.encode() if isinstance(reply.body, str)
                            else json.dumps(reply.body).encode())
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client timed out and went away
                finally:
                    with fake._lock:
                        fake.in_flight -= 1

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeLLM:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def sent_text(self) -> str:
        """Everything received, lower-case: the raw bodies and every message's content
        as the model reads it (the user message's JSON decoded too)."""
        parts = [r.decode("utf-8") for r in self.raw]
        for body in self.bodies:
            for message in body.get("messages", []):
                parts.append(message["content"])
                try:
                    parts.append(json.dumps(json.loads(message["content"]),
                                            ensure_ascii=False))
                except ValueError:
                    pass
        return "\n".join(parts).lower()
