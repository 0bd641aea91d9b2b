"""PERSON: "First M. Last" - two Title-case words around a single middle initial.

A first name, a one-letter middle initial and a surname ("Ravi K. Menon", "Anna J
Kowalski") is a shape ordinary words rarely take, so it marks a name even with no cue
and when the first name is on no list (spaCy's small model misses many foreign names).
The initial may lack its dot. "I" and "A" are refused as initials ("Then I Said",
"Plan A Works"), as are labels that take a letter ("Vitamin D", "Type B", "Grade A").
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from tasks.recognizers._common import NAME_WORD, NOT_STOPWORD, ChorusPatternRecognizer

# Words that take a one-letter label after them: "Vitamin D Deficiency", "Plan B".
_LABEL_WORDS = (
    r"(?-i:(?!(?:Vitamin|Plan|Type|Grade|Part|Section|Class|Group|Level|Option|Model|"
    r"Hepatitis|Formula|Series|Phase|Block|Building|Wing|Row|Gate|Terminal|Platform|"
    r"Room|Apartment|Appendix|Exhibit|Figure|Table|Chapter|Unit|Category|Size|Blood|"
    r"Tier|Round|Team|Side|Track|Version|Division|League|Zone|Sector|Floor|Question)\b))"
)


class PersonInitialRecognizer(ChorusPatternRecognizer):
    """Detect "First M. Last" names. Entity: ``PERSON``."""

    ENTITY = "PERSON"
    PATTERNS = [
        # "Ravi K. Menon", "Anna J Kowalski", "Mary-Jane T. O'Brien".
        # Must not match "Vitamin D Deficiency", "Then I Said", "Plan B Works",
        # "ravi k menon" (lower-case).
        Pattern(
            "first_initial_last",
            r"\b" + NOT_STOPWORD + _LABEL_WORDS + NAME_WORD
            + r"[ \t]+(?-i:[B-HJ-Z])\.?[ \t]+" + NAME_WORD + r"\b",
            0.55,
        ),
    ]

    CONTEXT = ["name", "by", "with"]

