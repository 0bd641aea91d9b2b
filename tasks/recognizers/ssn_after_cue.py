"""US_SSN: a Social Security number in the SSN shape or announced as one.

Presidio's ``UsSsnRecognizer`` scores undashed numbers very weakly and invalidates the
numbers it knows as samples ("123-45-6789", "078-05-1120"); people paste those as often
as real ones, and an invalid-but-real-looking number still reads as an SSN. After an SSN
cue any 3-2-4 digits go, whatever their grouping; without a cue the dashed 3-2-4 shape
alone is enough, which nothing else in chat text has (phone numbers group 3-3-4).
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from tasks.recognizers._common import ChorusPatternRecognizer, after_cue

_CUES = r"ssn|ssns|social[ \t]+security(?:[ \t]+(?:number|no|num|#))?|social"


class SsnAfterCueRecognizer(ChorusPatternRecognizer):
    """Detect US Social Security numbers. Entity: ``US_SSN``."""

    ENTITY = "US_SSN"
    PATTERNS = [
        # After a cue, any grouping: "My SSN is 123-45-6789", "ssn 078 05 1120",
        # "social security number: 219099999". Must not match "SSN 1234" or "ssn
        # 12345678901" (too many digits).
        Pattern(
            "ssn_after_cue",
            r"(?<![\w-])(?=\d{3})" + after_cue(_CUES) + r"\d{3}([ \t.-]?)\d{2}\1\d{4}(?![\w-])",
            0.7,
        ),
        # The dashed shape anywhere: "123-45-6789". Must not match "123-456-7890"
        # (a phone number) or "2024-05-01" (a date).
        Pattern("ssn_dashed", r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])", 0.5),
    ]

    CONTEXT = ["ssn", "social", "security"]
