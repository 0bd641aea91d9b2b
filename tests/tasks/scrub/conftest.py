"""Shared helpers of the scrub tests: input frames, settings, analyzers, fixtures.

Pattern-only analyzers (``nlp="none"``) keep most tests fast; ``spacy_analyzer`` loads the
real spaCy model (for tests marked slow).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import NlpEngineProvider

from chorus.core.settings import ScrubSettings
from tasks.scrub import build_analyzer

UTC = dt.UTC
MESSAGES = pl.List(pl.Struct({"role": pl.Utf8, "content": pl.Utf8}))
INPUT_SCHEMA = {
    "conversation_id": pl.Utf8,
    "user_id": pl.Utf8,
    "created_at": pl.Datetime("us", "UTC"),
    "messages": MESSAGES,
}

# Four conversations: a system turn, assistant turns (one with a canary), a conversation
# without user turns, a null content and a role in other case.
CONVERSATIONS = [
    (
        "c1",
        "u1",
        [
            ("system", "You are a helpful assistant."),
            ("user", "my manager Tom Becker wants this by Friday"),
            ("assistant", "ASSISTANT-ONLY-CANARY Sure, Tom Becker can have it."),
            ("user", "ok, email it to tom.becker@example.com please"),
            ("assistant", "Done."),
        ],
    ),
    ("c2", "u1", [("user", "call me on (415) 555-0134 or jo@example.org")]),
    ("c3", "u2", [("assistant", "Hello! How can I help?")]),
    ("c4", "u3", [("user", None), ("User", "first para\n\nsecond para 10.1.2.3")]),
]

SECRET = "Zebulon Quartermaine lives at 77 Secret Lane"


def make_frame(conversations: list[tuple[str, str, list[tuple[str, str | None]]]]) -> pl.DataFrame:
    """Build an input frame from (conversation_id, user_id, [(role, content), ...])."""
    return pl.DataFrame(
        [
            {
                "conversation_id": cid,
                "user_id": uid,
                "created_at": dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
                "messages": [{"role": r, "content": c} for r, c in msgs],
            }
            for cid, uid, msgs in conversations
        ],
        schema=INPUT_SCHEMA,
    )


def analyzer_with(*recognizers) -> AnalyzerEngine:
    """An English analyzer with only ``recognizers`` and no NLP model (Presidio's no_op)."""
    registry = RecognizerRegistry(supported_languages=["en"])
    for recognizer in recognizers:
        registry.add_recognizer(recognizer)
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=NlpEngineProvider(
            nlp_configuration={
                "nlp_engine_name": "no_op",
                "models": [{"lang_code": "en", "model_name": "no_op"}],
            }
        ).create_engine(),
    )


def counts_by_type(pii_counts: pl.DataFrame) -> dict[str, tuple[int, int, int]]:
    """``{entity_type: (n_entities, n_conversations, n_users)}`` for types found."""
    return {
        row["entity_type"]: (row["n_entities"], row["n_conversations"], row["n_users"])
        for row in pii_counts.iter_rows(named=True)
        if row["n_entities"]
    }


def write_yaml(tmp_path: Path, content: str) -> Path:
    """Write a recognizers config into ``tmp_path``; returns its path."""
    path = tmp_path / "recognizers.yaml"
    path.write_text(content, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def settings() -> ScrubSettings:
    return ScrubSettings(progress=False)


@pytest.fixture(scope="module")
def pattern_analyzer(settings: ScrubSettings) -> AnalyzerEngine:
    return build_analyzer(settings, nlp="none")


@pytest.fixture(scope="module")
def spacy_analyzer(settings: ScrubSettings) -> AnalyzerEngine:
    return build_analyzer(settings)
