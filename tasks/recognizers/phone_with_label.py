"""PHONE_NUMBER: grouped digits labelled as a phone number after them or on the line above.

Contact blocks and signatures put the label after the number ("416 60 039 office",
"21 253 109 8211-Office", "(37) 788-063 (mobile)", "555 0142 fax") or on the line
before it ("Phone:\\n467 3395"). ``PhoneAfterCueRecognizer`` only looks back along the
same line; this recognizer covers the other two layouts. 7-15 digits, like it.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import Pattern

from tasks.recognizers._common import ChorusPatternRecognizer

_DIGIT = re.compile(r"\d")
# Grouped digits: optional "+CC" or "(0)" / "(NN)" parts, 1-6 groups of 2-6 digits.
_NUMBER = (
    r"(?<![\w.+-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,6}(?:[ .-]\d{2,6}){0,5}"
    r"(?:[ \t]?(?:x|ext\.?)[ \t]?\d{1,5})?"
)
_LABEL = r"(?:office|mobile|cell|cellphone|fax|home|work|landline|tel|phone|direct|mob)"


class PhoneLabelRecognizer(ChorusPatternRecognizer):
    """Detect phone numbers labelled after them or on the line above.

    Entity: ``PHONE_NUMBER``; 7-15 digits.
    """

    ENTITY = "PHONE_NUMBER"
    PATTERNS = [
        # Number then its label: "416 60 039 office", "21 253 109 8211-Office",
        # "(37) 788-063 (mobile)", "555 0142 fax". Must not match "42 people office",
        # "2024 work" (too few digits), "3 home games".
        Pattern(
            "phone_then_label",
            _NUMBER + r"(?=[ \t]*[-–(,/]?[ \t]*\(?" + _LABEL + r"\b)",
            0.5,
        ),
        # Label line, then the number alone on the next line: "Phone:\n467 3395",
        # "Mobile:\n+44 7700 900123". Must not match "Phone:\n2 lines" (text follows).
        Pattern(
            "label_line_then_phone",
            r"(?<=\b(?:phone|telephone|tel|mobile|cell|fax)[ \t]*(?:number|no\.?)?[ \t]*:?"
            r"[ \t]*\n[ \t>]*)" + _NUMBER + r"(?=[ \t]*$)",
            0.5,
        ),
    ]

    CONTEXT = ["phone", "telephone", "mobile", "cell", "fax", "office"]


    def invalidate_result(self, pattern_text: str) -> bool:
        """Refuse spans with fewer than 7 or more than 15 digits (E.164 maximum)."""
        return not 7 <= len(_DIGIT.findall(pattern_text)) <= 15
