"""Regex pieces shared by the address recognizers (units, boxes, place-line tails).

Kept apart from ``street_address.py`` so the international and box recognizers can
reuse the same unit and city/postcode tails. All pieces compile under ``REGEX_FLAGS``
(IGNORECASE on); Title-case-only parts are wrapped in ``(?-i:...)``.
"""

from __future__ import annotations

from tasks.recognizers._common import NOT_STOPWORD

SP = r"[ \t]+"

# A unit after or before a street: "Apt. 595", "Suite 838", "Flat 3B", "Unit 12", "#4".
UNIT = (
    r"(?:(?:apt|apartment|suite|ste|flat|unit|fl|floor|room|rm)\.?[ \t]*#?"
    r"(?:\d{1,5}[a-z]?|[a-z]\d{0,4})\b)"
)

# A postal code as written after a city or country: "62704", "SW1A 1AA", "53-320",
# "394 13", "1234 AB", "3610-114".
POSTCODE = (
    r"(?:\d{3,5}(?:[ -]\d{2,4})?(?:[ \t]?(?-i:[A-Z]{2}))?\b"
    r"|(?-i:[A-Z]{1,2}\d[A-Z\d]?[ \t]*\d[A-Z]{2})\b)"
)

# A place line or segment (city, region, country): one to four Title-case or UPPER-case
# words, optionally a parenthesised qualifier, a two-letter state and a postcode:
# "Springfield", "OULU", "New Zealand 34694", "Colorado Springs, CO 70079".
_PLACE_WORD = r"(?-i:\p{Lu}[\p{L}'’.-]*)"
PLACE = (
    r"(?:(?-i:New|NEW)[ \t]+)?" + NOT_STOPWORD
    + _PLACE_WORD + r"(?:[ \t]+" + _PLACE_WORD + r"){0,3}"
    r"(?:[ \t]*\([\p{L} ]{2,20}\))?"
    r"(?:,?[ \t]+(?-i:[A-Z]{2})\b)?(?:,?[ \t]+" + POSTCODE + r")?"
)

# What may follow a street line: up to five segments, each after ", " on the same line
# or on a new line (one blank line and quote markers "> " allowed), each a unit, a place
# or a postcode.
_SEP = r"(?:,[ \t]*|[ \t]*\n(?:[ \t>]*\n)?[ \t>]*(?:,[ \t]*)?|[ \t]+(?=" + UNIT + r"))"
# A place segment must end its line or its comma-separated part ("\nCan you help" is
# not a city line).
_END = r"(?=[ \t]*(?:$|[,.;!?)]))"
TAIL = r"(?:" + _SEP + r"(?:" + UNIT + r"|" + PLACE + _END + r"|" + POSTCODE + r"))*"
# Tail that must start with a unit or a line break: evidence that a bare
# "<number> <words> <number>" is an address line and not a sentence.
STRONG_TAIL = (
    r"(?=[ \t]*,?[ \t]*" + UNIT + r"|[ \t]*\n[ \t>]*(?:" + UNIT + r"|" + PLACE + r")[ \t]*$)"
)
