"""Shared helpers for the recognizer tables, in the style of Presidio's own recognizer tests.

Each ``test_<recognizer file>.py`` builds its recognizer and entity list in module-scoped
fixtures and checks a table ``(text, expected_len, expected_positions)``: how many spans
the recognizer leaves and their ``(start, end)`` offsets; a row ``0, ()`` must stay
untouched, and a comment after a row gives the matched text where it is not the whole
text. Results are taken as the analyzer keeps them: scores at or above the default 0.4
threshold, duplicates removed, in text order.
"""

from __future__ import annotations

from collections.abc import Sequence

from presidio_analyzer import EntityRecognizer, RecognizerResult

from tasks.recognizers._common import ChorusPatternRecognizer

# The analyzer's default score threshold; every custom pattern must clear it on its own.
THRESHOLD = 0.4


def analyze(
    recognizer: EntityRecognizer, text: str, entities: list[str], threshold: float = THRESHOLD
) -> list[RecognizerResult]:
    """The recognizer's results on ``text`` that the analyzer keeps, sorted by start."""
    results = recognizer.analyze(text, entities, None)
    kept = EntityRecognizer.remove_duplicates([r for r in results if r.score >= threshold])
    return sorted(kept, key=lambda r: r.start)


def assert_result(
    result: RecognizerResult,
    expected_entity: str,
    expected_start: int,
    expected_end: int,
    min_score: float = THRESHOLD,
) -> None:
    """Like Presidio's ``assert_result``, with a score floor instead of an exact score."""
    assert result.entity_type == expected_entity
    assert (result.start, result.end) == (expected_start, expected_end)
    assert result.score >= min_score


def assert_results(
    results: Sequence[RecognizerResult],
    text: str,
    expected_entity: str,
    expected_len: int,
    expected_positions: Sequence[tuple[int, int]],
) -> None:
    """One table row: the number of spans, then each span's type, offsets and score."""
    assert len(expected_positions) == expected_len, "table row disagrees with itself"
    assert len(results) == expected_len, [text[r.start:r.end] for r in results]
    for result, (start, end) in zip(results, expected_positions, strict=True):
        assert_result(result, expected_entity, start, end)


def assert_declares_patterns_and_context(
    cls: type[ChorusPatternRecognizer], recognizer: ChorusPatternRecognizer
) -> None:
    """A ChorusPatternRecognizer declares its patterns and context words as class constants,
    each pattern clears the threshold on its own, and instances get their own copies."""
    assert cls.PATTERNS and cls.CONTEXT
    assert recognizer.supported_language == "en"
    assert all(p.score >= THRESHOLD for p in recognizer.patterns)
    assert len(recognizer.patterns) == len(cls.PATTERNS)
    assert all(a is not b for a, b in zip(recognizer.patterns, cls.PATTERNS, strict=True))
