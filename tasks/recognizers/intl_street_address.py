"""STREET_ADDRESS: street addresses in non-US shapes, with their unit and city tails.

``StreetAddressRecognizer`` needs an English street-type word after the name ("Oak
Street"). Most of the world writes the house number after the street name and marks the
street type inside the word ("Mellemvej 4", "Kungsgatan 12", "Hauptstraße 7",
"Mannerheimintie 3") or with a word in front ("Rua Augusta 25", "ul. Długa 10", "Via
Roma 5", "12 Rue de Rivoli"). People paste such addresses into chat on one line or as a
multi-line block (street, unit, city, country + postcode); the whole block is one span.

A bare "<number> <words> <number>" line is taken only when an address-like tail follows
(a unit, or a line holding only a place name) or after an address cue ("lives at",
"my address is", "ship it to"), so "3 kids and 2 dogs" or "top 10 songs of 2024" stay.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from tasks.recognizers._address_parts import SP, STRONG_TAIL, TAIL
from tasks.recognizers._common import ChorusPatternRecognizer

# Street-type endings glued to the name word (Nordic, German, Dutch, Finnish,
# Icelandic, Baltic): "Mellemvej", "Kungsgatan", "Skogveien", "Hauptstraße",
# "Kerkstraat", "Mannerheimintie", "Laugavegur", "Søndergade".
_GLUED = (
    r"(?:\p{L}[\p{L}'’-]*(?:vej|vejen|vænget|gade|stræde|allé|alle|plads|torv|gatan|"
    r"gata|gränd|vägen|väg|backe|veien|vegen|vei|veg|vegur|stien|straße|strasse|str\.|"
    r"weg|gasse|platz|damm|ufer|ring|straat|laan|gracht|plein|dreef|kade|singel|"
    r"katu|tie|kuja|polku|raitti|kaari|braut|stræti|straeti|gata|tee|puiestee|iela|"
    r"gatve|ulica|cesta|utca)\b)"
)
# Street-type words written as a separate word before or after the name: "Rua",
# "Rue", "Via", "Calle", "ul.", "Avenida"; "tér", "u.", "út", "gate" after it.
_PREFIX = (
    r"(?:rua|rue|via|viale|vicolo|calle|carrer|camino|avenida|avda\.?|av\.|avenue|"
    r"piazza|piazzale|largo|travessa|praça|praca|plaza|paseo|strada|corso|ul\.|ulica|"
    r"al\.|aleja|boulevard|bd\.|chemin|allée|quai|rambla|ulitsa|prospekt|"
    r"odos|οδός|λ\.|λεωφόρος)"
)
_POSTFIX = r"(?:tér|u\.|út|utca|rkp\.|krt\.|gate|gata|vej|weg|straße|strasse|street)"
# A name word after a prefix street type: letters in any script ("do", "Arenque").
_NAME_WORD = r"\p{L}[\p{L}'’.-]*"
# A Title-case word before a glued street word: "Karl Johans gate", "Nieuwe Kerkstraat".
_TITLE_WORD = r"(?-i:\p{Lu})[\p{L}'’.-]*"
# House number after the name: "82", "19.", "15b", "12-14".
_HOUSE = r"\d{1,5}[a-z]?(?:[-/]\d{1,5}[a-z]?)?\.?(?![\d.,]\d)"
# Optional number in front (faker-style building number, or French "12 Rue ...").
_LEAD = r"(?:\d{1,5}[a-z]?" + SP + r")?"
# Optional trailing street-type abbreviation after the number: "Sludevej 13 St.".
_TRAIL_ABBR = r"(?:" + SP + r"(?:st|str|ave|rd)\.)?"

_GLUED_STREET = (
    r"\b" + _LEAD + r"(?:" + _TITLE_WORD + SP + r"){0,2}" + _GLUED + SP + _HOUSE
    + _TRAIL_ABBR
)
# After a prefix type: Title-case words, with the small connectors of Romance and
# Slavic street names in between ("Rua das Flores", "Rue de la Paix").
_CONNECTOR = r"(?:de|do|da|dos|das|del|della|delle|di|la|le|les|des|du|el|y|e)"
_PREFIX_NAME = (
    r"(?:" + _CONNECTOR + SP + r"){0,2}" + _TITLE_WORD
    + r"(?:" + SP + r"(?:" + _TITLE_WORD + r"|" + _CONNECTOR + r")){0,4}"
)
_PREFIX_STREET = (
    r"(?<![\p{L}])(?:\d{1,5}[a-z]?" + SP + r"(?:\d{1,5}[a-z]?" + SP + r")?" + _PREFIX
    + SP + _PREFIX_NAME + r"(?:" + SP + _HOUSE + r")?"
    + r"|" + _PREFIX + SP + _PREFIX_NAME + SP + _HOUSE + r")" + _TRAIL_ABBR
)
_POSTFIX_STREET = (
    r"\b" + _LEAD + r"(?:(?-i:\p{Lu})" + _NAME_WORD + SP + r"){1,3}" + _POSTFIX + SP
    + _HOUSE + _TRAIL_ABBR
)
# "<number> <one to four words> <number>" (the words Title/UPPER-case or any case).
_BARE_STREET = (
    r"\b\d{1,5}[a-z]?" + SP + r"(?:\d{1,5}" + SP + r")?(?:" + _NAME_WORD + SP + r"){1,4}"
    + _HOUSE
)
_CUE = (
    r"(?<=\b(?:lives?|living|lived|located|situated|moved|move|address(?:es)?|"
    r"deliver(?:ed)?|ship(?:ped)?|send|sent|mail(?:ed)?|return(?:ed)?|office|"
    r"house|home|flat|apartment)\b[^\n\d]{0,25}?(?:at|to|in|on|is|:)[ \t]+)"
)


class IntlStreetAddressRecognizer(ChorusPatternRecognizer):
    """Detect non-US street addresses with unit, city, country and postcode tails.

    Entity: ``STREET_ADDRESS``.
    """

    ENTITY = "STREET_ADDRESS"
    PATTERNS = [
        # Glued street-type word and house number: "Mellemvej 32", "28245 Puruntie 82
        # Apt. 595", "Kungsgatan 12\nStockholm\nSweden 11122", "Hauptstraße 7b".
        # Must not match "Python 3", "Windows 11", "vejen" without a number.
        Pattern("glued_street_number", _GLUED_STREET + TAIL, 0.6),
        # Street-type word in front: "Rua Augusta 25", "12 Rue de Rivoli", "ul. Długa
        # 10 Apt. 3", "Via Roma 5, Milano". Must not match "via email", "via Zoom".
        Pattern("prefix_street", _PREFIX_STREET + TAIL, 0.6),
        # Separate street-type word after the name: "Erzsébet tér 19.", "Kálmán Imre u.
        # 12.", "Karl Johans gate 5". Must not match "the gate 5" (lower-case name).
        Pattern("postfix_street", _POSTFIX_STREET + TAIL, 0.6),
        # Bare "<number> <words> <number>" followed by a unit or a place line: "20789
        # Allika 46\n Suite 501", "971 Kesk 53\nTartu". Must not match "3 kids and 2
        # dogs", "top 10 songs of 2024", "42 people in 3 rooms".
        Pattern("bare_street_with_tail", _BARE_STREET + STRONG_TAIL + TAIL, 0.55),
        # Bare "<number> <words> <number>" right after an address cue: "lives at 172
        # Maneezi 75, Tartu", "my address is 12 Kesk 5". Must not match "I live with 2
        # cats" (no number after the words).
        Pattern("bare_street_after_cue", _CUE + _BARE_STREET + TAIL, 0.6),
        # A unit then a street: "Apt. 675 62314 Mellemvej 32" is covered by the first
        # pattern; a unit alone is PostalBoxRecognizer's.
    ]

    CONTEXT = ["address", "live", "lives", "street", "apartment", "flat", "deliver",
               "ship", "zip", "postcode"]
    # Every pattern holds a house number (_HOUSE or a leading \d).
    NEEDS_DIGIT = True

