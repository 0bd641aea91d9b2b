"""UK_NHS: a ten-digit NHS number announced as such ("NHS number 943 476 5919").

Presidio's predefined ``NhsRecognizer`` takes any ten digits whose mod-11 checksum holds;
one ten-digit phone number in eleven passes it, and would then be counted as an NHS
number. Chorus replaces it (``tasks.recognizers.analyzer.REPLACED_PREDEFINED``) with this
recognizer, which needs an NHS cue shortly before the number and then takes any 3-3-4
digits, checksum or not (a mistyped NHS number still points at one patient). Ten digits
without the cue stay a PHONE_NUMBER, which scrubs them as well; where both fire on the
same span the identifier wins the tie (``tasks.scrub.spans.merge_spans``).
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from tasks.recognizers._common import ChorusPatternRecognizer, after_cue

_CUES = r"nhs|national[ \t]+health[ \t]+service|health[ \t]+service"


class UkNhsRecognizer(ChorusPatternRecognizer):
    """Detect NHS numbers after an NHS cue. Entity: ``UK_NHS``."""

    ENTITY = "UK_NHS"
    PATTERNS = [
        # "NHS number 943 476 5919", "my nhs no. is 9434765919", "NHS: 943-476-5919".
        # Must not match "call 943 476 5919" (no cue), "NHS 111" or "NHS since 2019".
        Pattern(
            "nhs_after_cue",
            r"(?<![\w-])(?=\d{3})" + after_cue(_CUES, 25)
            + r"\d{3}[ \t-]?\d{3}[ \t-]?\d{4}(?![\w-])",
            0.7,
        ),
    ]

    CONTEXT = ["nhs", "health"]
