"""STREET_ADDRESS: post-office boxes, US military addresses and bare flat/suite numbers.

"P.O. Box 242", "PSC 3294, Box 9168 / APO AA 61487" (the USPS format for military
mail), "Unit 4719 Box 7394" and a flat or suite number on its own ("Apt. 595", "Suite
838") locate a person as well as a street does, and none has a street-type word for
``StreetAddressRecognizer``. The city/country/postcode lines after them are taken too.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from tasks.recognizers._address_parts import SP, TAIL
from tasks.recognizers._common import ChorusPatternRecognizer

_BOX = r"(?:p\.?[ \t]?o\.?[ \t]*box|post[ \t]+office[ \t]+box|pob)" + SP + r"\d{1,6}\b"
_MILITARY = (
    r"(?:(?-i:PSC|CMR|Unit)" + SP + r"\d{3,5},?" + SP + r"box" + SP + r"\d{1,5}\b"
    r"(?:[ \t,]*\n?[ \t>]*(?-i:APO|FPO|DPO)" + SP + r"(?-i:AA|AE|AP)" + SP + r"\d{5}\b)?"
    r"|(?-i:APO|FPO|DPO)" + SP + r"(?-i:AA|AE|AP)" + SP + r"\d{5}\b)"
)


class PostalBoxRecognizer(ChorusPatternRecognizer):
    """Detect P.O. boxes, military addresses and unit numbers. Entity: ``STREET_ADDRESS``."""

    ENTITY = "STREET_ADDRESS"
    PATTERNS = [
        # "P.O. Box 242", "PO Box 17, Springfield", "Post Office Box 9".
        # Must not match "a box of 12", "inbox 3" (needs "P.O."/"PO"/"post office").
        Pattern("po_box", r"\b" + _BOX + TAIL, 0.6),
        # US military mail: "PSC 3294, Box 9168\nAPO AA 61487", "Unit 4719 Box 7394",
        # "CMR 410 Box 12", "FPO AE 09501". Must not match "unit 3 of the course".
        Pattern("military_address", r"\b" + _MILITARY + TAIL, 0.6),
        # A flat/suite number on its own, Title-case keyword with a dot or a "#", or
        # "Apartment"/"Suite": "Apt. 595", "Suite 838", "Apartment 4B", "Flat 12".
        # Must not match "test suite 3", "unit 5 exam", "floor 2 meeting" (lower-case,
        # or "Unit"/"Floor", which name course units and levels).
        Pattern(
            "unit_number",
            r"\b(?-i:Apt\.?|APT\.?|Apartment|Suite|Ste\.|Flat)[ \t]*#?(?:\d{1,5}[a-z]?|"
            r"(?-i:[A-Z])\d{0,4})\b",
            0.5,
        ),
    ]

    CONTEXT = ["address", "box", "mail", "ship", "deliver", "apartment", "suite"]

