"""``tasks.scrub.documents``: turns joined into documents and mapped back by offset."""

from __future__ import annotations

from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer

from chorus.core.settings import ScrubSettings
from tasks.scrub import TURN_SEPARATOR, scrub_conversations
from tasks.scrub.documents import Doc, plan_docs
from tests.tasks.scrub.conftest import (
    CONVERSATIONS,
    analyzer_with,
    counts_by_type,
    make_frame,
)


def test_plan_docs_joins_turns_and_splits_long_conversations() -> None:
    texts, plan, n_split = plan_docs([["ab", "cde"], [], ["xxxxxx", "yyyyyy"]], 10)
    assert texts == [f"ab{TURN_SEPARATOR}cde", "xxxxxx", "yyyyyy"]
    assert plan == [Doc(0, 0, [(0, 2), (4, 7)]), Doc(2, 0, [(0, 6)]), Doc(2, 1, [(0, 6)])]
    assert n_split == 1


def test_turns_split_back_even_with_separator_inside_turns(
    pattern_analyzer: AnalyzerEngine, settings: ScrubSettings
) -> None:
    turns = ["a\n\nb\n\nc", "", "ip 10.0.0.1\n\n", "\n\nend"]
    frame = make_frame([("c", "u", [("user", t) for t in turns])])
    scrubbed, _ = scrub_conversations(frame, pattern_analyzer, settings)
    assert scrubbed["user_turns"].to_list() == [
        ["a\n\nb\n\nc", "", "ip <IP_ADDRESS>\n\n", "\n\nend"]
    ]


def test_span_across_turn_boundary_is_scrubbed_in_both_turns(settings: ScrubSettings) -> None:
    analyzer = analyzer_with(
        PatternRecognizer("CROSS", patterns=[Pattern("x", r"secret\s+stuff", 0.9)])
    )
    frame = make_frame([("c", "u", [("user", "the secret"), ("user", "stuff here")])])
    scrubbed, pii_counts = scrub_conversations(
        frame, analyzer, ScrubSettings(progress=False, entities=["CROSS"])
    )
    assert scrubbed["user_turns"].to_list() == [["the <CROSS>", "<CROSS> here"]]
    assert counts_by_type(pii_counts) == {"CROSS": (2, 1, 1)}


def test_long_conversations_are_scrubbed_turn_by_turn(
    pattern_analyzer: AnalyzerEngine, settings: ScrubSettings
) -> None:
    frame = make_frame(CONVERSATIONS)
    joined, joined_counts = scrub_conversations(frame, pattern_analyzer, settings)
    per_turn, per_turn_counts = scrub_conversations(
        frame, pattern_analyzer, ScrubSettings(progress=False, max_doc_chars=10)
    )
    assert per_turn.equals(joined)
    assert per_turn_counts.equals(joined_counts)
