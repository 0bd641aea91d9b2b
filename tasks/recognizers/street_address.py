"""STREET_ADDRESS: US/UK street addresses, from house number to ZIP or postcode.

Presidio has no address recognizer; spaCy types parts of an address as LOCATION/FAC or
PERSON and leaves the house number, street name and ZIP readable about half of the
time. This recognizer takes the whole run as one span: optional flat/unit prefix, house
number, optional direction, one to three street-name words, a street-type word, then
optionally a unit, ", City", a US state + ZIP or a UK postcode.

Street-name words may be Title-case or lower-case (chat is often typed lower-case), but
common function words ("the", "down", "my", "of") are refused, so "walked 3 blocks down
the road" or "top 5 of the year" are not addresses. A street-type word is required, so
"42 people" never matches.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from tasks.recognizers._address_parts import TAIL
from tasks.recognizers._common import NOT_STOPWORD, ChorusPatternRecognizer

_SP = r"[ \t]+"

# Street-type words (any case); their abbreviations may carry a dot ("St.", "Ave.").
# The dot after a full word is a sentence's full stop and stays outside the span.
_SUFFIX = (
    r"(?:(?:street|avenue|road|lane|drive|boulevard|court|place|way|terrace|close|"
    r"crescent|parkway|highway|square|circle|trail|grove|gardens|row|mews|walk|hill|"
    r"alley|plaza|loop|pike|rise|parade|esplanade|embankment|quay|wharf|vale|heights|"
    r"expressway|freeway)\b"
    r"|(?:st|ave|av|rd|ln|dr|blvd|ct|pl|terr|ter|cres|pkwy|hwy|sq|cir|trl|gdns|pde|"
    r"hts|expy|fwy)\b\.?)"
)

# Words that cannot be part of a street name: they mark an ordinary phrase that merely
# ends in a street-type word ("3 blocks down the road").
_NOT_STREET_WORD = (
    r"(?!(?:the|a|an|this|that|these|those|my|your|our|his|her|their|its|of|on|in|at|"
    r"to|from|by|for|with|into|onto|down|up|along|across|over|around|near|and|or|but|"
    r"is|are|was|were|be|been|one|two|three|four|five|six|seven|eight|nine|ten|way|"
    r"minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|miles?|km|blocks?|doors?|"
    r"times?|people|kids|cars|steps|lane|very|so|too|really|quite|pretty|percent|"
    r"per|cent|points?|different|same|front|back|first|last|next|hard|flash|thumb|"
    r"usb|disk|external|internal|network|shared|google|test|tb|gb|mb|ssd|hdd|cd|dvd|"
    r"nested|inner|outer|while|infinite|event|audit|paper)\b)"
)

# House number: "42", "221B", "12-14", "1187".
_NUMBER = r"\d{1,5}[a-z]?(?:[-–/]\d{1,5}[a-z]?)?"
# Optional compass prefix: "N ", "West ", "SW. ".
_DIRECTION = r"(?:(?:n|s|e|w|ne|nw|se|sw|north|south|east|west)\.?" + _SP + r")?"
# A street-name word: letters (with ' or -) or an ordinal ("5th", "42nd").
_WORD = (
    r"(?:" + _NOT_STREET_WORD + r"\p{L}[\p{L}'’-]*\.?|\d{1,3}(?:st|nd|rd|th))"
)
# Optional flat/unit in front, UK style: "Flat 3, ", "Apt 2B ".
_UNIT_PREFIX = (
    r"(?:(?:flat|apt|apartment|unit|suite)\.?[ \t]*\d{1,4}[a-z]?,?" + _SP + r")?"
)
# Optional unit after the street: ", Apt 4B", " Suite 300", " #12", ", Unit B".
_UNIT = (
    r"(?:,?[ \t]*(?:(?:apt|apartment|unit|suite|ste|flat|floor|fl|room|rm)\.?[ \t]*#?"
    r"|#)[ \t]*(?:\d{1,5}[a-z]?|[a-z]\d{0,4})\b)?"
)
# Optional city after a comma, Title-case and not a stopword: ", Springfield",
# ", New York". Case-sensitive so ", and then" is never taken for a city.
_CITY = (
    r"(?:,[ \t]*" + NOT_STOPWORD + r"(?-i:\p{Lu}\p{Ll}+(?:[ \t]+\p{Lu}\p{Ll}+){0,2})\b)?"
)
# US state + ZIP ("IL 62704", "DC 20500-0003") or a bare ZIP after the city.
_US_ZIP = r"(?:(?-i:[A-Z]{2})" + _SP + r")?\d{5}(?:-\d{4})?\b"
# UK postcode, upper-case: "NW1 6XE", "SW1A 1AA", "M1 1AE".
_UK_POSTCODE = r"(?-i:[A-Z]{1,2}\d[A-Z\d]?[ \t]*\d[A-Z]{2})\b"
_POSTAL = r"(?:,?[ \t]*(?:" + _US_ZIP + r"|" + _UK_POSTCODE + r"))?"

_ADDRESS = (
    # an optional building number in front: "3369 24 Clarke Avenue"
    r"\b" + _UNIT_PREFIX + r"(?:\d{1,5}" + _SP + r"(?=\d))?" + _NUMBER + _SP + _DIRECTION
    + r"(?:" + _WORD + _SP + r"){1,3}" + _SUFFIX
    # optional compass suffix: "1600 Pennsylvania Avenue NW"
    + r"(?:[ \t]+(?-i:N|S|E|W|NE|NW|SE|SW)\b)?"
    + _UNIT + _CITY + _POSTAL
    # unit, city, country and postcode lines of a pasted address block
    + TAIL
)


class StreetAddressRecognizer(ChorusPatternRecognizer):
    """Detect a street address with its house number, unit, city and postal code.

    Entity: ``STREET_ADDRESS``.
    """

    ENTITY = "STREET_ADDRESS"
    PATTERNS = [
        # Must match "42 Maple Avenue", "1187 Oak Street, Apt 4B", "12 Baker St",
        # "Flat 3, 12 Baker St, London NW1 6XE", "42 maple ave", "221B Baker Street",
        # "1600 Pennsylvania Avenue NW, Washington, DC 20500", "350 5th Ave, Suite 300".
        # Must not match "42 people", "3 blocks down the road", "2 Dr appointments".
        Pattern("street_address", _ADDRESS, 0.6),
    ]

    CONTEXT = ["address", "live", "lives", "street", "avenue", "road", "apartment",
               "flat", "deliver", "ship", "zip", "postcode"]

