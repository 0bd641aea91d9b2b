"""UK_PASSPORT: a UK passport number after a passport cue ("passport GB1234567").

Presidio's ``UkPassportRecognizer`` (off for English) scores two letters and seven
digits at 0.1, raised only by a context word. Here the cue is part of the pattern: two
letters and seven digits after "passport", in any case, and nine digits after an explicit
"UK"/"British"/"HM" passport cue (plain "passport 123456789" stays Presidio's
US_PASSPORT).
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from tasks.recognizers._common import ChorusPatternRecognizer, after_cue


class UkPassportRecognizer(ChorusPatternRecognizer):
    """Detect UK passport numbers after a passport cue. Entity: ``UK_PASSPORT``."""

    ENTITY = "UK_PASSPORT"
    PATTERNS = [
        # "UK passport GB1234567", "passport no: ab 1234567". Must not match
        # "passport GB12345" (too short) or "GB1234567" without a cue.
        Pattern(
            "uk_passport_letters",
            r"(?<![\w-])(?=[a-z]{2}[ \t]?\d)"
            + after_cue(r"passport|passport[ \t]*(?:no|number|#)") + r"[a-z]{2}"
            r"[ \t]?\d{7}(?![\w-])",
            0.6,
        ),
        # "my British passport number is 123456789", "UK passport: 987654321".
        # Must not match "passport 123456789" (no UK cue: US_PASSPORT).
        Pattern(
            "uk_passport_digits",
            r"(?<![\w-])(?=\d{9})"
            + after_cue(r"(?:uk|british|hm|gb)[ \t]+passport") + r"\d{9}(?![\w-])",
            0.65,
        ),
    ]

    CONTEXT = ["passport", "british", "uk"]
    # Both patterns hold \d{7} or \d{9}.
    NEEDS_DIGIT = True
