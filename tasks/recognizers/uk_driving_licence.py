"""UK_DRIVING_LICENCE: a DVLA driving licence number ("MORGA753116SM9IJ").

Presidio ships ``UkDrivingLicenceRecognizer`` but leaves it off for English; its pattern
is upper-case and unspaced. The DVLA shape is specific (five surname letters padded with
9, a decade digit, month (plus 50 for women), day, year digit, two initials, a check
digit and two letters), so it is taken anywhere, in any case, with optional spaces
between the groups. spaCy types the bare number PERSON; at equal length the identifier
wins the tie (``tasks.scrub.spans``).
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from tasks.recognizers._common import ChorusPatternRecognizer


class UkDrivingLicenceRecognizer(ChorusPatternRecognizer):
    """Detect UK (DVLA) driving licence numbers. Entity: ``UK_DRIVING_LICENCE``."""

    ENTITY = "UK_DRIVING_LICENCE"
    PATTERNS = [
        # "MORGA753116SM9IJ", "morga 753116 sm9ij", "SMITH 961234 AB1CD".
        # Must not match "MORGA753116" (no tail) or "MORGA713116SM9IJ" (month 13).
        Pattern(
            "uk_driving_licence",
            r"\b[a-z9]{5}[ \t]?\d(?:0[1-9]|1[0-2]|5[1-9]|6[0-2])(?:0[1-9]|[12]\d|3[01])\d"
            r"[ \t]?[a-z9]{2}[a-z0-9][a-z]{2}\b",
            0.6,
        ),
    ]

    CONTEXT = ["driving", "licence", "license", "dvla"]
