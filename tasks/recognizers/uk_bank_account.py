"""UK_BANK_NUMBER: a UK sort code, and the account number next to it.

Neither Presidio nor spaCy knows sort codes ("12-34-56"); Presidio's US_BANK_NUMBER
takes 8-17 digits after an "account" word, so a UK account number would be typed as a
US one. This recognizer takes a sort code after a "sort code" cue, and an eight-digit
account number when a sort code cue stands within 60 characters before it (or the account
comes first and the sort code follows on the same line); the identifier wins the tie
against US_BANK_NUMBER and PHONE_NUMBER (``tasks.scrub.spans``).
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from tasks.recognizers._common import ChorusPatternRecognizer, after_cue

_SORT_CODE = r"\d{2}([ \t-]?)\d{2}\1\d{2}"
_SORT_CUE = r"sort[ \t-]?code|sortcode"


class UkBankAccountRecognizer(ChorusPatternRecognizer):
    """Detect UK sort codes and account numbers. Entity: ``UK_BANK_NUMBER``."""

    ENTITY = "UK_BANK_NUMBER"
    PATTERNS = [
        # "sort code 12-34-56", "sort-code: 123456", "Sort code is 12 34 56".
        # Must not match "sort code 1234" or "sorted 12-34-56".
        Pattern(
            "sort_code_after_cue",
            r"(?<![\w-])(?=\d{2})" + after_cue(_SORT_CUE) + _SORT_CODE + r"(?![\w-])",
            0.7,
        ),
        # An 8-digit account number with a sort code cue earlier on the line:
        # "sort code 12-34-56, account 12345678", "sort code 123456 acc no 87654321".
        Pattern(
            "account_after_sort_code",
            r"(?<![\w-])(?=\d{8})(?<=\b(?:" + _SORT_CUE + r")\b[^\n]{0,60}"
            r"\b(?:account|acct|acc|a/c)\b"
            r"[^\n\d]{0,15})(?<![\w-])\d{8}(?![\w-])",
            0.7,
        ),
        # The account first: "account 12345678, sort code 12-34-56".
        Pattern(
            "account_before_sort_code",
            r"(?<![\w-])(?=\d{8})(?<=\b(?:account|acct|acc|a/c)\b[^\n\d]{0,15})\d{8}(?![\w-])"
            r"(?=[^\n]{0,30}\b(?:" + _SORT_CUE + r")\b)",
            0.7,
        ),
    ]

    CONTEXT = ["sort", "account", "bank"]
