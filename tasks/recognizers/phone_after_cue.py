"""PHONE_NUMBER: any grouped number of 7-15 digits announced as a phone number.

``PhoneFormatRecognizer`` matches North American, "+CC" and UK shapes; numbers from
elsewhere are grouped every which way ("60-56-85-91", "699 956 915", "(99) 645-791",
"9472 7916", "+1-903-140-4508x769") and ``phonenumbers`` rejects many of them without a
region. On Presidio's synthetic PII set a third of labelled phone numbers stayed
readable. This recognizer takes such shapes only after a phone cue ("phone", "call me
on", "mobile:", "fax", "answering at", ...), so dates, versions and amounts are left
alone.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import Pattern

from tasks.recognizers._common import ChorusPatternRecognizer

_DIGIT = re.compile(r"\d")


class PhoneAfterCueRecognizer(ChorusPatternRecognizer):
    """Detect digit groups after a phone cue. Entity: ``PHONE_NUMBER``; 7-15 digits."""

    ENTITY = "PHONE_NUMBER"
    PATTERNS = [
        # Within 15 non-digit characters after a phone cue: an optional "+" or "(NN)"
        # prefix, then 1-6 groups of 2-6 digits split by one space, dot or dash, and an
        # optional extension ("x769", "ext. 12"): "Phone: 60-56-85-91", "messages to
        # 699 956 915", "Phone: (99) 645-791", "call me on 9472 7916", "Desk:
        # +1-903-140-4508x769", "answering at 99 668472".
        # Must not match "call me at 5", "phone 2019" (too few digits), "version 1.2.3",
        # an ISO date "call me on 2024-05-01".
        Pattern(
            "grouped_after_cue",
            r"(?<=\b(?:phone|tel|telephone|cell|mobile|call|fax|desk|office|whatsapp"
            r"|answering|messages|number|reach)\b[^\n\d]{0,15})"
            r"(?<![\w.])(?!\d{4}-\d\d-\d\d\b)"
            r"(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,6}(?:[ .-]\d{2,6}){0,5}"
            r"(?:\s?(?:x|ext\.?)\s?\d{1,5})?(?![\w-]|\.\d)",
            0.5,
        ),
    ]

    CONTEXT = ["phone", "telephone", "cell", "mobile", "call", "fax", "number", "reach"]


    def invalidate_result(self, pattern_text: str) -> bool:
        """Refuse spans with fewer than 7 or more than 15 digits (E.164 maximum)."""
        return not 7 <= len(_DIGIT.findall(pattern_text)) <= 15
