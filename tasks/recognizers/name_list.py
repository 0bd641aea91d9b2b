"""PERSON: every name in a list "X, Y and Z" once one member is a known first name.

"They invited Priya, Okonkwo and Dunmore", "founders: Hale, Tom and Varga": spaCy's
small model often tags only some members of such a list, and surnames on their own
carry no cue. A list of single Title-case words joined by commas and a final "and"/"&"
in which at least one word is a listed first name (``FirstNameRecognizer``'s list), or
which right follows a plural noun for people ("our 3 founders: Kónya, Becker and
Vasquez", "my colleagues Okafor, Lind and Varga"; not "the founders chose Python, Java
and Go"), is taken as a list of people, and each member becomes its own span, so "and" and the
commas stay readable. "Python, Java and Go" or "Monday, Tuesday and Friday" contain no
listed first name and stay.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from tasks.recognizers._common import NAME_WORD, REGEX_FLAGS, STOPWORDS
from tasks.recognizers.first_name import _NAMES

_ITEM = r"(?:" + NAME_WORD + r")"

# A plural noun for people right before the list ("founders: ", "my colleagues ",
# "guests were ").
_PEOPLE_CUE = re.compile(
    r"\b(?:founders|co-?founders|partners|authors|co-?authors|members|friends|"
    r"colleagues|co-?workers|teammates|siblings|children|kids|sons|daughters|"
    r"grandchildren|parents|cousins|guests|students|classmates|teachers|players|"
    r"employees|staff|directors|speakers|candidates|applicants|managers|roommates|"
    r"flatmates|housemates|neighbou?rs|bridesmaids|groomsmen|witnesses|suspects|"
    r"names)\b[ \t]*[:,-]?[ \t]*(?:(?:are|were|include|included|including|named|"
    r"called|such[ \t]+as)[ \t]+)?$",
    REGEX_FLAGS,
)


class NameListRecognizer(EntityRecognizer):
    """Detect lists of names "X, Y and Z" containing a common first name.

    Entity: ``PERSON``.
    """

    # "Anna, Okafor and Lind", "Tom, Rui, Ines & Kai": two or more items before a final
    # "and"/"&" item; the first separator must be a comma.
    # Must not match "Python, Java and Go" (no first name, no people cue), "Monday, Tuesday and
    # Friday" (stopwords), "Sarah and Tom" (two items only: FirstNameRecognizer's).
    PATTERNS = [
        r"\b" + _ITEM + r"(?:,[ \t]+" + _ITEM + r")+,?[ \t]+(?:and|&)[ \t]+" + _ITEM + r"\b",
    ]
    SCORE = 0.5

    def __init__(self, supported_language: str = "en", name: str | None = None) -> None:
        # Presidio annotates ``name: str = None`` but handles None (the class name).
        super().__init__(supported_entities=["PERSON"], supported_language=supported_language,
                         name=name)  # type: ignore[arg-type]
        self._patterns = [re.compile(p, REGEX_FLAGS & ~re.IGNORECASE) for p in self.PATTERNS]
        self._names = frozenset(_NAMES)
        self._stop = frozenset(STOPWORDS)
        self._item = re.compile(_ITEM)

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str],
                nlp_artifacts: NlpArtifacts | None = None) -> list[RecognizerResult]:
        """Spans for each member of a name list that holds a listed first name."""
        if "PERSON" not in entities:
            return []
        results = []
        for pattern in self._patterns:
            for match in pattern.finditer(text):
                items = [m for m in self._item.finditer(match.group(0))
                         if m.group(0) not in ("And",)]
                words = [m.group(0) for m in items]
                if any(w in self._stop for w in words):
                    continue
                if not any(w in self._names for w in words) and not _PEOPLE_CUE.search(
                    text[max(0, match.start() - 80):match.start()]
                ):
                    continue
                for m in items:
                    results.append(RecognizerResult(
                        "PERSON", match.start() + m.start(), match.start() + m.end(),
                        self.SCORE))
        return results
