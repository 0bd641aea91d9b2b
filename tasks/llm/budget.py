"""A run's token budget and its accounting (counts only, thread-safe).

Before a request is sent, ``TokenBudget.reserve`` sets aside a conservative upper bound
of what it can cost (its prompt estimate plus ``max_tokens``); a request whose bound does
not fit in what is left is not sent, and from then on the budget is exhausted for the
run. After the answer, ``settle`` replaces the reservation by what the request cost (the
server's ``usage``, or an estimate). So the run never starts a request that could exceed
the budget by its estimate.
"""

from __future__ import annotations

import math
import threading
from dataclasses import asdict, dataclass

# Conservative: English text runs ~4 characters per token in common tokenizers; JSON and
# unusual words fewer. Three bytes per token overestimates almost always.
BYTES_PER_TOKEN = 3
MESSAGE_OVERHEAD = 8  # role markers and separators per chat message


def estimate_tokens(text: str) -> int:
    """A conservative (high) token count of ``text``."""
    return math.ceil(len(text.encode()) / BYTES_PER_TOKEN)


def estimate_prompt(messages: list[dict[str, str]]) -> int:
    """A conservative token count of a chat prompt."""
    return sum(estimate_tokens(m["content"]) + MESSAGE_OVERHEAD for m in messages)


@dataclass
class Usage:
    """What the LLM cost in one stage (or a run): counts only.

    Attributes:
        calls: HTTP requests sent (every attempt).
        requests: logical requests (a name, a rating batch), each one or more calls.
        prompt_tokens, completion_tokens: from the answers' ``usage``, or estimates.
        estimated: calls whose tokens were estimated (no ``usage`` in the answer).
        failures: failed calls: 429, 5xx or other status, timeout, transport error,
            malformed answer (each counted, then retried or given up).
        gave_up: requests that got no valid answer after their retries.
        refused: requests not sent because the budget could not cover them.
        seconds: wall time of the stage's LLM work.
    """

    calls: int = 0
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    estimated: int = 0
    failures: int = 0
    gave_up: int = 0
    refused: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, int | float]:
        return asdict(self)


class TokenBudget:
    """Tokens a run may still spend; shared by the concurrent requests of a stage."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.spent = 0
        self.reserved = 0
        self.exhausted = False
        self._lock = threading.Lock()

    def reserve(self, tokens: int) -> bool:
        """Set ``tokens`` aside; False (and the budget exhausted) when they do not fit."""
        with self._lock:
            if self.exhausted or self.spent + self.reserved + tokens > self.limit:
                self.exhausted = True
                return False
            self.reserved += tokens
            return True

    def settle(self, reserved: int, spent: int) -> None:
        """Release a reservation of ``reserved`` tokens and charge ``spent``."""
        with self._lock:
            self.reserved -= reserved
            self.spent += spent

    @property
    def left(self) -> int:
        with self._lock:
            return max(0, self.limit - self.spent - self.reserved)
