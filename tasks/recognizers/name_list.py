"""PERSON: every name in a list "X, Y and Z" once one member is a known first name.

"They invited Priya, Okonkwo and Dunmore", "founders: Hale, Tom and Varga": spaCy's
small model often tags only some members of such a list, and surnames on their own
carry no cue. A list of single Title-case words joined by commas and a final "and"/"&"
in which at least one word is a listed first name (``FirstNameRecognizer``'s list) is
taken as a list of people, and each member becomes its own span, so "and" and the
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


class NameListRecognizer(EntityRecognizer):
    """Detect lists of names "X, Y and Z" containing a common first name.

    Entity: ``PERSON``.
    """

    # "Anna, Okafor and Lind", "Tom, Rui, Ines & Kai": two or more items before a final
    # "and"/"&" item; the first separator must be a comma.
    # Must not match "Python, Java and Go" (no first name), "Monday, Tuesday and
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
                if not any(w in self._names for w in words):
                    continue
                for m in items:
                    results.append(RecognizerResult(
                        "PERSON", match.start() + m.start(), match.start() + m.end(),
                        self.SCORE))
        return results
