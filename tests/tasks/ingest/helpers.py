"""Shared helpers of the ingest tests: a valid record, lines, files."""

from __future__ import annotations

import json
from pathlib import Path

SECRET = "zq-secret-canary-7731"
CREATED = "2026-10-01T10:00:00Z"


def good(i: int, user: str = "u1") -> dict:
    """A valid record whose user turn carries ``SECRET``."""
    return {"conversation_id": f"c{i}", "user_id": user, "created_at": CREATED,
            "messages": [{"role": "user", "content": f"hello {SECRET} {i}"},
                         {"role": "assistant", "content": "hi"}]}


def line(record: object) -> bytes:
    """One JSONL line; ensure_ascii writes a lone surrogate as the escape \\ud800."""
    return json.dumps(record, ensure_ascii=True).encode()


def write_lines(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path
