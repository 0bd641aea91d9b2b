"""PASSPORT: any passport number announced as such ("passport number C01X00T47").

Presidio has passport recognizers for a few countries, each with its own shape; a
German, French or Indian passport number after "passport" matches none of the
English-loaded ones and would stay readable. This recognizer takes one token of 6-12
letters and digits, holding at least two digits, right after a passport cue. Where a
country recognizer (US_PASSPORT, UK_PASSPORT) finds the same span, the country type wins
the tie (``tasks.scrub.spans``).
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from tasks.recognizers._common import ChorusPatternRecognizer, after_cue


class PassportAfterCueRecognizer(ChorusPatternRecognizer):
    """Detect passport numbers of any country after a cue. Entity: ``PASSPORT``."""

    ENTITY = "PASSPORT"
    PATTERNS = [
        # "passport number C01X00T47", "Passport: X1234567", "passport no. is 12AB34567".
        # Must not match "passport photos", "passport 2024" (four characters), "passport
        # renewal in 2 weeks".
        Pattern(
            "passport_after_cue",
            r"(?<![\w-])(?=(?:[a-z]*\d){2})"
            + after_cue(r"passport|passports|passport[ \t]*(?:no|number|#)", 16)
            + r"[a-z0-9]{6,12}(?![\w-])",
            0.5,
        ),
    ]

    CONTEXT = ["passport"]
    # The pattern's lookahead needs two digits.
    NEEDS_DIGIT = True
