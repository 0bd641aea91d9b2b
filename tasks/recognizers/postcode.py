"""POSTAL_CODE: UK postcodes and US ZIP codes outside a full street address.

A postcode narrows a person down to a few dozen households (UK) or a town (US), and
people type one on its own ("I'm in SW1A 1AA", "zip is 62704"). Neither Presidio nor
spaCy recognises them. A postcode inside a full street address is covered by the
StreetAddressRecognizer's span; the overlap is merged into one placeholder.

UK postcodes are taken in any case ("london nw1 6xe": chat is often lower-case); in
lower case the space between the outward and inward code is required.

A bare five-digit number is never taken for a ZIP: it needs a state code in front or a
"zip"/"postcode" cue.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from tasks.recognizers._common import ChorusPatternRecognizer

_US_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|"
    "NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR"
)
# Other countries' codes after a cue: "3520", "394 13", "53-320", "1234 AB", "3610-114".
_INTL_POSTCODE = r"(?:(?:\d{2,6}[ -]\d{2,4}|\d{3,6})(?:[ \t]?(?-i:[A-Z]{2}))?)"
_UK_POSTCODE = r"(?:[a-z]{1,2}\d[a-z\d]?[ \t]*\d[a-z]{2}|gir[ \t]*0aa)"


class PostcodeRecognizer(ChorusPatternRecognizer):
    """Detect UK postcodes and US ZIP codes (with a state code or a cue word).

    Entity: ``POSTAL_CODE``.
    """

    ENTITY = "POSTAL_CODE"
    PATTERNS = [
        # Upper-case UK postcode anywhere: "SW1A 1AA", "NW1 6XE", "M1 1AE", "EC1A1BB".
        # Must not match "COVID 19", "RTX 4090", "A4 paper", "MP3".
        Pattern(
            "uk_postcode",
            r"\b(?-i:[A-Z]{1,2}\d[A-Z\d]?[ \t]*\d[A-Z]{2}|GIR[ \t]*0AA)\b",
            0.5,
        ),
        # A UK postcode in lower or mixed case, outward and inward code split by a space:
        # "london nw1 6xe", "sw1a 1aa", "Nw1 6Xe". The space is required and an ordinal
        # inward code is refused, so "b2 3rd" or "mp3 2nd" stay.
        Pattern(
            "uk_postcode_any_case",
            r"\b[a-z]{1,2}\d[a-z\d]?[ \t]+\d(?!(?:st|nd|rd|th)\b)[a-z]{2}\b",
            0.45,
        ),
        # A postal code after a place name that follows a preposition, before the end of
        # the clause: "support Factset in Bjert 6091 in its mission", "in Quinta de São
        # Tiago 3610-114.", "in ÖVERTURINGEN 840 24,". Only the code is the span. Must
        # not match "in Windows 2000", "in Office 2016 and" (years), "in Python 3.12".
        Pattern(
            "postal_code_after_place",
            r"(?<![\w-])(?=\d)(?<=\b(?:in|at|from|to|near)[ \t]+(?-i:\p{Lu})[\p{L}'’-]*"
            r"(?:[ \t]+(?:\p{L}[\p{L}'’-]*)){0,3}[ \t]+)"
            r"(?!(?:19|20)\d\d\b)(?:\d{4,5}|\d{3}[ \t]\d{2}|\d{2}-\d{3}|\d{4}-\d{3})"
            r"(?=[ \t]*(?:[,;.!?)]|$|\n|[ \t]in\b|[ \t]and\b))",
            0.45,
        ),
        # US state code then ZIP: "IL 62704", "NY, 10001", "DC 20500-0003".
        # Must not match "IN 2024" (four digits) or "in 62704" (lower-case).
        Pattern(
            "us_state_zip",
            r"\b(?-i:" + _US_STATES + r")[ \t]*,?[ \t]+\d{5}(?:-\d{4})?\b",
            0.6,
        ),
        # ZIP or postcode after a cue, any case: "zip is 62704", "postcode: sw1a 1aa",
        # "zip code 10001-1234", "ZIP: 3520", "postal code 394 13", "zip: 1234 AB".
        # Only the code is the span.
        Pattern(
            "postal_code_after_cue",
            r"(?<=\b(?:zip|zipcode|zip[ \t]+code|postcode|post[ \t]+code|postal[ \t]+"
            r"code)[ \t]*(?:is|:|=|-)?[ \t]*)(?:\d{5}(?:-\d{4})?|" + _UK_POSTCODE + r"|"
            + _INTL_POSTCODE + r")\b",
            0.6,
        ),
    ]

    CONTEXT = ["zip", "postcode", "postal", "address"]
    # Every pattern's code holds a \d ("GIR 0AA" too; after a place, (?=\d)).
    NEEDS_DIGIT = True

