"""Predefined recognizers that cannot match a text without a digit, answered at once.

Presidio's ``PhoneRecognizer`` runs ``phonenumbers.PhoneNumberMatcher`` once per region
(eight by default) over every text; the matcher's candidate pattern starts with a ``\\d``
run (``phonenumbermatcher._PATTERN``), so a text without a decimal digit has no
candidate. ``DigitGatedPhoneRecognizer`` returns ``[]`` for such a text and is otherwise
the same recognizer (same regions, leniency, context and name). ``gate_predefined``
swaps it in for the registry's ``PhoneRecognizer``, in place. Chorus's own recognizers
declare the same property with ``ChorusPatternRecognizer.NEEDS_DIGIT``.
"""

from __future__ import annotations

from presidio_analyzer import RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import PhoneRecognizer

from tasks.recognizers._common import has_digit, swap_recognizers


class DigitGatedPhoneRecognizer(PhoneRecognizer):
    """``PhoneRecognizer`` that answers ``[]`` for a text without a digit."""

    @classmethod
    def like(cls, other: PhoneRecognizer) -> DigitGatedPhoneRecognizer:
        """A gated copy of ``other``: same regions, leniency, context, entity and name."""
        return cls(
            context=list(other.context),
            supported_language=other.supported_language,
            supported_entity=other.supported_entities[0],
            supported_regions=other.supported_regions,
            leniency=other.leniency,
            name=other.name,  # type: ignore[has-type]
        )

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """As ``PhoneRecognizer.analyze``; ``[]`` at once for a text without a digit."""
        if not has_digit(text):
            return []
        return super().analyze(text, entities, nlp_artifacts)  # type: ignore[arg-type]


def gate_predefined(registry: RecognizerRegistry) -> int:
    """Replace every plain ``PhoneRecognizer`` of ``registry`` by its gated copy, at the
    same position; returns how many were replaced."""
    return swap_recognizers(registry, PhoneRecognizer,
                            DigitGatedPhoneRecognizer.like)  # type: ignore[arg-type]
