"""PHONE_NUMBER by shape: the formats Presidio's phonenumbers-based recognizer skips.

Presidio's PhoneRecognizer only accepts numbers that ``phonenumbers`` validates for a
region: a US number with an unassigned area code ("(556) 680-1788") or a plausible
"+1 462 956 5262" is left readable (12% of planted phone numbers leaked in Chorus's
synthetic benchmark). People still type such numbers - mistyped, fictional or
foreign - and they still identify someone, so this recognizer matches the shapes.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import Pattern

from tasks.recognizers._common import ChorusPatternRecognizer

_DIGIT = re.compile(r"\d")


class PhoneFormatRecognizer(ChorusPatternRecognizer):
    """Detect phone-number shapes (NANP, international "+CC", UK national, local).

    Entity: ``PHONE_NUMBER``. Spans must hold 7 to 15 digits.
    """

    ENTITY = "PHONE_NUMBER"
    PATTERNS = [
        # North American shape, any area code: "(556) 680-1788", "462-956-5262",
        # "558.573.2319", "+1 462 956 5262", "1-800-555-0199".
        # Must not match "2019-2020", "10.0.19041", "3.14.159".
        Pattern(
            "nanp_shape",
            r"(?<![\w+.-])(?:\+?1[ .-]?)?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}"
            r"(?![\w-]|\.\d)",
            0.5,
        ),
        # International with a leading "+": "+44 20 7946 0958", "+49 30 1234567",
        # "+91 98765 43210", "+33 (0)1 23 45 67 89". 8-15 digits in all.
        Pattern(
            "international_plus",
            r"(?<![\w+])\+\d{1,3}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]?\d{1,5}){2,5}(?![\w-]|\.\d)",
            0.5,
        ),
        # UK national with a trunk 0: "07700 900123", "020 7946 0958", "0161-496-0000".
        Pattern(
            "uk_national",
            r"(?<![\w+.-])0\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}(?![\w-]|\.\d)",
            0.4,
        ),
        # Seven-digit local number after a phone cue: "call 555-0134", "ext is 555 0134".
        Pattern(
            "local_after_cue",
            r"(?<=\b(?:call|phone|tel|cell|mobile|text|number|ring)\b[^\n\d]{0,15})"
            r"\d{3}[-. ]\d{4}(?![\w-]|\.\d)",
            0.4,
        ),
    ]

    CONTEXT = ["phone", "number", "telephone", "cell", "mobile", "call", "text", "reach"]


    def invalidate_result(self, pattern_text: str) -> bool:
        """Refuse spans with fewer than 7 or more than 15 digits (E.164 maximum)."""
        n_digits = len(_DIGIT.findall(pattern_text))
        return not 7 <= n_digits <= 15
