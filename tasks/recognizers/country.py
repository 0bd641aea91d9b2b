"""LOCATION: country names from the ``phonenumbers`` package's region names.

spaCy's small model types a country GPE most of the time, but misses it at a line start,
in upper case or after a street line ("Finland 80896", "NORWAY"). A country narrows a
person down little on its own, but in an address block it completes the location; it
is scrubbed as LOCATION like spaCy's GPE. The English names ship with ``phonenumbers``
(``geodata.locale``, already a Presidio dependency), so no list is kept here.

Matched Title-case ("Finland") or upper-case ("FINLAND"), never lower-case. Names that
are also ordinary words, people's names or US states are left out (see ``_AMBIGUOUS``).
"""

from __future__ import annotations

import regex as re
from phonenumbers.geodata.locale import LOCALE_DATA
from presidio_analyzer import Pattern

from tasks.recognizers._common import ChorusPatternRecognizer

# Names that are also words, given names or US states: "Chad", "Jordan", "Georgia",
# "Turkey", "Guinea", "Jersey", "Man", "Niger", "Mali" (a given name). Kept readable.
_AMBIGUOUS = frozenset({"Chad", "Jordan", "Georgia", "Turkey", "Guinea", "Jersey",
                        "Niger", "Isle of Man", "Christmas Island", "Reunion",
                        "Mali", "Wallis & Futuna"})


def _english_names() -> list[str]:
    names = set()
    for data in LOCALE_DATA.values():
        name = data.get("en", "")
        if name.startswith("*"):
            name = data.get(name[1:], "")
        name = name.strip()
        if name and name not in _AMBIGUOUS and re.fullmatch(r"[\p{L} .'&-]+", name):
            names.add(name)
    # Common short forms people type.
    names.update({"UK", "USA", "U.S.", "U.S.A.", "United States", "Great Britain",
                  "England", "Scotland", "Wales", "Northern Ireland", "Holland",
                  "Czechia", "Czech Republic", "South Korea", "North Korea", "Russia",
                  "Iran", "Vietnam", "Syria", "Laos", "Tanzania", "Bolivia", "Venezuela",
                  "Moldova", "Macedonia", "Greenland", "Cyprus"})
    return sorted(names, key=len, reverse=True)


_NAMES = _english_names()
_ALTERNATION = "|".join(re.escape(n) for n in _NAMES)
_UPPER = "|".join(re.escape(n.upper()) for n in _NAMES if len(n) > 3)


class CountryRecognizer(ChorusPatternRecognizer):
    """Detect country names, Title-case or upper-case. Entity: ``LOCATION``."""

    ENTITY = "LOCATION"
    PATTERNS = [
        # "Finland", "New Zealand", "United Kingdom", "NORWAY", "UK".
        # Must not match "finland" (lower-case), "Chad" or "Jordan" (names), "Turkey".
        Pattern("country_name", r"(?<![\p{L}.])(?-i:" + _ALTERNATION + r")(?![\p{L}])", 0.5),
        Pattern("country_name_upper", r"(?<![\p{L}])(?-i:" + _UPPER + r")(?![\p{L}])", 0.5),
    ]

    CONTEXT: list[str] = []

