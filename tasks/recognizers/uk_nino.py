"""UK_NINO: UK National Insurance numbers ("QQ 12 34 56 C", "ab123456c").

Presidio ships ``UkNinoRecognizer`` but leaves it off for English, and its letter rules
refuse prefixes HMRC never issues, such as the "QQ" of HMRC's own example number, which
people copy into chat as often as their own. A National Insurance number passed through
Chorus: "insurance number qq" was published as a phrase. Two patterns: the valid shape
anywhere (two prefix letters by HMRC's rules, six digits, suffix A-D), and after a cue
("national insurance number", "NI no", "NINO") any two letters, six digits and an
optional letter, in any case and grouping.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from tasks.recognizers._common import ChorusPatternRecognizer, after_cue

_CUES = (
    r"national[ \t]+insurance(?:[ \t]+(?:number|no|num))?|insurance[ \t]+(?:number|no)"
    r"|ni[ \t]+(?:number|no|num)|nino"
)


class UkNinoRecognizer(ChorusPatternRecognizer):
    """Detect UK National Insurance numbers. Entity: ``UK_NINO``."""

    ENTITY = "UK_NINO"
    PATTERNS = [
        # The issued shape, any case, grouped in pairs or not: "AB 12 34 56 C",
        # "ce123456d". Must not match "GB 12 34 56 A" (never issued), "AB 12 34 56"
        # (no suffix), "AB1234567" (seven digits).
        Pattern(
            "nino_valid_shape",
            r"\b(?!bg|gb|nk|kn|nt|tn|zz)[a-ceghj-pr-tw-z][a-ceghj-npr-tw-z]"
            r"[ \t]?\d{2}[ \t]?\d{2}[ \t]?\d{2}[ \t]?[a-d]\b",
            0.5,
        ),
        # After a cue, any letters and grouping: "national insurance number is QQ 12 34
        # 56 C", "NI no: qq-123456-c", "nino QQ123456". Must not match "insurance
        # number 12" or "NI number unknown".
        Pattern(
            "nino_after_cue",
            r"(?<![\w-])(?=[a-z]{2}[ \t-]?\d)" + after_cue(_CUES)
            + r"[a-z]{2}(?:[ \t-]?\d{2}){3}(?:[ \t-]?[a-z])?\b",
            0.7,
        ),
    ]

    CONTEXT = ["national insurance", "insurance", "nino", "ni"]
    # Both patterns hold \d{2} groups.
    NEEDS_DIGIT = True
