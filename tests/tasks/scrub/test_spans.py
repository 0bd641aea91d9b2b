"""``tasks.scrub.spans``: merging analyzer results, clipping and writing spans."""

from __future__ import annotations

import pytest
from presidio_analyzer import RecognizerResult

from tasks.scrub import Span, merge_spans
from tasks.scrub.spans import apply_spans, clip_spans


def rr(entity: str, start: int, end: int, score: float = 0.5) -> RecognizerResult:
    return RecognizerResult(entity, start, end, score)


def test_merge_spans_covers_union_of_overlaps() -> None:
    text = "x" * 40
    merged = merge_spans([rr("URL", 5, 15, 0.5), rr("EMAIL_ADDRESS", 0, 12, 1.0)], text)
    assert merged == [Span(0, 15, "EMAIL_ADDRESS", 1.0)]


def test_merge_spans_chained_overlaps_and_type_by_longest_member() -> None:
    text = "x" * 40
    merged = merge_spans(
        [rr("PERSON", 10, 18, 0.85), rr("STREET_ADDRESS", 5, 30, 0.6), rr("URL", 28, 35)],
        text,
    )
    assert merged == [Span(5, 35, "STREET_ADDRESS", 0.85)]


def test_merge_spans_location_loses_ties() -> None:
    merged = merge_spans([rr("LOCATION", 0, 12, 0.85), rr("PERSON", 0, 12, 0.6)], "x" * 12)
    assert merged == [Span(0, 12, "PERSON", 0.85)]


@pytest.mark.parametrize("results, expected", [
    # an SSN after its cue also matches the phone recognizers: the identifier wins,
    # whatever the scores ("ssn 078 05 1120", "social security number 219-09-9999")
    ([("PHONE_NUMBER", 0.85), ("US_SSN", 0.4)], "US_SSN"),
    ([("US_SSN", 0.5), ("PHONE_NUMBER", 1.0)], "US_SSN"),
    # an NHS number after its cue is UK_NHS, not a phone number; without the cue only
    # PHONE_NUMBER fires (tasks.recognizers.uk_nhs), so nothing to break
    ([("PHONE_NUMBER", 1.0), ("UK_NHS", 0.7)], "UK_NHS"),
    # a DVLA number spaCy types PERSON
    ([("PERSON", 0.85), ("UK_DRIVING_LICENCE", 0.6)], "UK_DRIVING_LICENCE"),
    # a country's passport type beats the generic one; the generic beats a phone
    ([("PASSPORT", 0.85), ("US_PASSPORT", 0.4)], "US_PASSPORT"),
    ([("PASSPORT", 0.85), ("UK_PASSPORT", 0.6)], "UK_PASSPORT"),
    ([("PHONE_NUMBER", 0.85), ("PASSPORT", 0.5)], "PASSPORT"),
    # a UK account number beside a sort code is not a US bank number
    ([("US_BANK_NUMBER", 0.4), ("UK_BANK_NUMBER", 0.7)], "UK_BANK_NUMBER"),
    # equal priority: the higher score, as before
    ([("PERSON", 0.6), ("PHONE_NUMBER", 0.85)], "PHONE_NUMBER"),
])
def test_merge_spans_identifier_types_win_ties(results, expected) -> None:
    merged = merge_spans([rr(e, 0, 11, score) for e, score in results], "x" * 11)
    assert [s.entity_type for s in merged] == [expected]


def test_merge_spans_longer_span_still_decides_before_priority() -> None:
    merged = merge_spans([rr("PHONE_NUMBER", 0, 15, 0.4), rr("US_SSN", 4, 15, 1.0)], "x" * 15)
    assert merged == [Span(0, 15, "PHONE_NUMBER", 1.0)]


def test_merge_spans_joins_same_type_across_spaces_only() -> None:
    text = "Tom Becker\nAnna and Bob"
    merged = merge_spans(
        [rr("PERSON", 0, 3), rr("PERSON", 4, 10), rr("PERSON", 11, 15), rr("PERSON", 20, 23)],
        text,
    )
    assert [(s.start, s.end) for s in merged] == [(0, 10), (11, 15), (20, 23)]


def test_merge_spans_keeps_adjacent_different_types_apart() -> None:
    merged = merge_spans([rr("PERSON", 0, 3), rr("URL", 3, 8)], "Tomx.com")
    assert [(s.entity_type, s.start, s.end) for s in merged] == [
        ("PERSON", 0, 3),
        ("URL", 3, 8),
    ]


def test_clip_spans_keeps_the_parts_inside_and_rebases_them() -> None:
    spans = [Span(0, 4, "A", 0.5), Span(6, 12, "B", 0.7), Span(14, 16, "C", 0.9)]
    assert clip_spans(spans, 8, 14) == [Span(0, 4, "B", 0.7)]
    assert clip_spans(spans, 4, 6) == []


def test_apply_spans_writes_placeholders_in_text_order() -> None:
    text = "ann at 10.0.0.1 and bob"
    spans = [Span(0, 3, "PERSON", 0.8), Span(7, 15, "IP_ADDRESS", 0.9),
             Span(20, 23, "PERSON", 0.8)]
    assert apply_spans(text, spans) == (
        "<PERSON> at <IP_ADDRESS> and <PERSON>", ["PERSON", "IP_ADDRESS", "PERSON"]
    )
    assert apply_spans(text, []) == (text, [])
