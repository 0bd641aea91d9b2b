"""Detected spans: resolving analyzer results into disjoint spans, and writing them out.

A ``Span`` is a half-open character range typed with an entity type. ``merge_spans``
turns Presidio's (possibly overlapping) results into disjoint spans covering their union;
``clip_spans`` cuts them to one turn of a joined document; ``apply_spans`` replaces each
with ``<ENTITY_TYPE>`` through Presidio's anonymizer (its default replace operator).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from presidio_analyzer import RecognizerResult
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import RecognizerResult as AnonymizerSpan


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` typed with an entity type."""

    start: int
    end: int
    entity_type: str
    score: float


# Tie-break between equally long overlapping spans (higher wins, default 0):
# * a specific identifier (a checksum, a format only it has, or its own cue) beats the
#   generic shapes that match the same digits: "SSN 078 05 1120" is a US_SSN, not a
#   PHONE_NUMBER; "NHS number 943 476 5919" a UK_NHS; "driving licence MORGA753116SM9IJ"
#   a UK_DRIVING_LICENCE, not spaCy's PERSON;
# * a generic identifier (any passport after "passport", any bank number after
#   "account", US driver licences' loose shapes) beats phone numbers and NER but yields
#   to the specific ones (a UK passport number is UK_PASSPORT, not PASSPORT);
# * NER's LOCATION yields to a pattern recognizer's type (a name after "my name is" is a
#   PERSON even if spaCy says GPE).
SPECIFIC_IDENTIFIERS: frozenset[str] = frozenset({
    "US_SSN", "US_ITIN", "US_PASSPORT", "UK_NINO", "UK_NHS", "UK_PASSPORT",
    "UK_DRIVING_LICENCE", "UK_BANK_NUMBER", "IBAN_CODE", "CREDIT_CARD", "CRYPTO",
    "MEDICAL_LICENSE",
})
GENERIC_IDENTIFIERS: frozenset[str] = frozenset({
    "PASSPORT", "US_BANK_NUMBER", "US_DRIVER_LICENSE",
})
_TIE_PRIORITY: dict[str, int] = {
    **dict.fromkeys(SPECIFIC_IDENTIFIERS, 2), **dict.fromkeys(GENERIC_IDENTIFIERS, 1),
    "LOCATION": -1,
}


def merge_spans(results: Sequence[RecognizerResult], text: str) -> list[Span]:
    """Resolve analyzer results into disjoint spans that cover their union.

    Overlapping results become one span covering all of them (no character any
    recognizer flagged stays readable), typed by the member covering most characters
    (ties: ``_TIE_PRIORITY`` - specific identifiers such as US_SSN beat generic ones such
    as PASSPORT, which beat the rest, e.g. PHONE_NUMBER; LOCATION loses, since spaCy types
    many names LOCATION, e.g. "My name is Xiomara Quispe" - then higher score, then type
    name). Then neighbouring spans of the same type
    separated only by spaces or tabs are joined ("Tom" + "Becker" -> one ``<PERSON>``).

    Args:
        results: Analyzer results for ``text``.
        text: The analyzed text (read for the gaps between spans only).

    Returns:
        Disjoint spans sorted by start.
    """
    ordered = sorted(
        (r for r in results if r.end > r.start), key=lambda r: (r.start, -r.end)
    )
    merged: list[Span] = []
    group: list[RecognizerResult] = []
    group_end = -1

    def close(members: list[RecognizerResult]) -> None:
        best = max(
            members,
            key=lambda r: (
                r.end - r.start, _TIE_PRIORITY.get(r.entity_type, 0), r.score, r.entity_type
            ),
        )
        merged.append(
            Span(members[0].start, max(m.end for m in members), best.entity_type,
                 max(m.score for m in members))
        )

    for result in ordered:
        if group and result.start < group_end:
            group.append(result)
            group_end = max(group_end, result.end)
            continue
        if group:
            close(group)
        group, group_end = [result], result.end
    if group:
        close(group)

    joined: list[Span] = []
    for span in merged:
        if joined:
            last = joined[-1]
            gap = text[last.end:span.start]
            if span.entity_type == last.entity_type and gap and not gap.strip(" \t"):
                joined[-1] = Span(last.start, span.end, last.entity_type,
                                  max(last.score, span.score))
                continue
        joined.append(span)
    return joined


def clip_spans(spans: Sequence[Span], start: int, end: int) -> list[Span]:
    """The parts of ``spans`` inside ``[start, end)``, re-based to ``start``."""
    clipped = []
    for s in spans:
        lo, hi = max(s.start, start), min(s.end, end)
        if lo < hi:
            clipped.append(Span(lo - start, hi - start, s.entity_type, s.score))
    return clipped


_ANONYMIZER: AnonymizerEngine | None = None


def _anonymizer() -> AnonymizerEngine:
    """The process's one ``AnonymizerEngine`` (built on first use)."""
    global _ANONYMIZER
    if _ANONYMIZER is None:
        _ANONYMIZER = AnonymizerEngine()
    return _ANONYMIZER


def apply_spans(text: str, spans: Sequence[Span]) -> tuple[str, list[str]]:
    """Replace each span with ``<ENTITY_TYPE>`` (Presidio's default replace operator).

    Args:
        text: The text the spans index.
        spans: Disjoint spans (from ``merge_spans`` or ``clip_spans``).

    Returns:
        The new text, and the entity types replaced, in text order.
    """
    if not spans:
        return text, []
    result = _anonymizer().anonymize(
        text=text,
        analyzer_results=[
            AnonymizerSpan(s.entity_type, s.start, s.end, s.score) for s in spans
        ],
        merge_entities_with_spaces=False,  # merge_spans already did it
    )
    items = sorted(result.items, key=lambda item: item.start)
    return result.text, [item.entity_type for item in items]
