"""CREDIT_CARD: a long card number announced as such, whether or not its checksum holds.

Presidio's CreditCardRecognizer accepts only numbers that pass the Luhn check and start
like a known issuer. People mistype card numbers, paste partial or made-up ones, and a
wrong digit does not make the rest less identifying: on Presidio's synthetic PII set 22%
of labelled card numbers stayed readable ("my card 4131034282458809939"). This
recognizer takes 12-19 digits when a card cue ("card", "cc", "visa", ...) comes shortly
before them, so bare long numbers (order ids, tracking numbers) are left alone.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import Pattern

from tasks.recognizers._common import ChorusPatternRecognizer

_DIGIT = re.compile(r"\d")


class CardAfterCueRecognizer(ChorusPatternRecognizer):
    """Detect 12-19 digit numbers right after a card cue. Entity: ``CREDIT_CARD``."""

    ENTITY = "CREDIT_CARD"
    PATTERNS = [
        # Digits (optionally in groups split by one space or dash) within 20 non-digit
        # characters after a card cue: "my card 4131034282458809939", "card number
        # 630427373398", "credit card number is 675984103431", "cc 503802053770",
        # "card # 2297051310616322", "visa 4111 1111 1111 1112".
        # Must not match "card 2023", "order 123456789012" (no cue), "card ending 1234".
        Pattern(
            "card_after_cue",
            r"(?<=\b(?:card|cards|cc|visa|mastercard|amex|debit|credit)\b[^\n\d]{0,20})"
            r"(?<![\d-])\d(?:[ -]?\d){11,18}(?![\d-])",
            0.6,
        ),
    ]

    CONTEXT = ["card", "credit", "debit", "cc", "visa", "mastercard", "amex"]


    def invalidate_result(self, pattern_text: str) -> bool:
        """Refuse spans with fewer than 12 or more than 19 digits."""
        return not 12 <= len(_DIGIT.findall(pattern_text)) <= 19
