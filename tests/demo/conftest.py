"""Shared data and helpers of the demo-generator tests: one 2,000-conversation sample."""

from __future__ import annotations

import pytest

from chorus.demo import generate

N, SEED = 2000, 7


@pytest.fixture(scope="package")
def data() -> tuple[list[dict], list[dict]]:
    return generate(N, SEED)


def user_text(conv: dict) -> str:
    return "\n".join(m["content"] for m in conv["messages"] if m["role"] == "user")


def turns(conv: dict, role: str) -> list[str]:
    return [m["content"] for m in conv["messages"] if m["role"] == role]
