"""The PII analyzer over LLM-written strings: any finding refuses the string.

Stricter than the release audit (which lets an NER guess on k-backed words pass as a
warning): an LLM string with any finding simply falls back to the offline one, so a
hallucinated name or place never reaches the audit, where it would block the run.
"""

from __future__ import annotations

from collections.abc import Callable

from chorus.core.settings import ScrubSettings
from tasks.recognizers.analyzer import build_analyzer, effective_entities

PiiCheck = Callable[[list[str]], list[bool]]


def pii_check(scrub: ScrubSettings, nlp: str = "spacy") -> PiiCheck:
    """strings -> whether the scrubber's analyzer (its entities, threshold and allow
    list) finds anything in each. ``nlp="none"``: patterns only (fast tests)."""
    analyzer = build_analyzer(scrub, nlp="none" if nlp == "none" else "spacy")
    entities = effective_entities(analyzer, scrub.entities)

    def check(strings: list[str]) -> list[bool]:
        if not strings:
            return []
        from presidio_analyzer import BatchAnalyzerEngine

        results = BatchAnalyzerEngine(analyzer).analyze_iterator(
            strings, language="en", entities=entities,
            score_threshold=scrub.score_threshold, allow_list=scrub.allow_list or None)
        return [bool(found) for found in results]

    return check
