"""PERSON: speaker names in a pasted dialogue ("Ubul: What a wife.\\nNicole: Remember me").

People paste chats, scripts and transcripts and ask about them; each line then starts
with a speaker's name and a colon. spaCy rarely types a lone name before a colon as a
person. A line label is taken as a speaker when the text has at least two labelled
lines and one of the labels is a listed first name (``FirstNameRecognizer``'s list, any
case) or a PERSON spaCy found: then every label of the text that is one Title-case or
lower-case word, and not a role or field word ("User", "Bot", "Input", "Note", "Q"),
becomes a PERSON span. "Input: x\\nOutput: y" or a YAML file holds no listed name and
stays.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from tasks.recognizers._common import NAME_WORD, REGEX_FLAGS, STOPWORDS
from tasks.recognizers.first_name import _NAMES

# A label at the start of a line (quote markers and spaces allowed before it), a colon,
# then something on the same line: "Ubul: What a wife.", "> tracy:\"i'm ...\"".
_LABEL = re.compile(
    r"^[ \t>]*(" + NAME_WORD + r"|(?-i:\p{Ll}[\p{Ll}'’-]{1,19}))[ \t]*:[ \t]*(?=\S)",
    REGEX_FLAGS & ~re.IGNORECASE,
)

# Labels that name a role, a field or a section, not a person (compared lower-cased).
ROLE_LABELS: frozenset[str] = frozenset(
    """
    user assistant bot ai system human agent customer client support operator admin
    me you him her them us we interviewer interviewee host guest caller teacher student
    doctor patient nurse mom mum dad mother father parent child kid boss manager
    q a question answer input output result results error warning note notes tip
    example examples step steps edit update summary title subject description date time
    to from cc bcc re name email phone address location age gender status type id
    version goal goals task tasks context problem solution reason pros cons ps
    todo fixme usage expected actual code response request prompt reply message text
    source link url file path line column value key
    """.split()
) | frozenset(w.lower() for w in STOPWORDS)


class SpeakerLabelRecognizer(EntityRecognizer):
    """Detect speaker names that start the lines of a pasted dialogue. Entity: ``PERSON``."""

    SCORE = 0.5
    MIN_LINES = 2

    def __init__(self, supported_language: str = "en", name: str | None = None) -> None:
        # Presidio annotates ``name: str = None`` but handles None (the class name).
        super().__init__(supported_entities=["PERSON"], supported_language=supported_language,
                         name=name)  # type: ignore[arg-type]
        self._names = frozenset(n.lower() for n in _NAMES)

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str],
                nlp_artifacts: NlpArtifacts | None = None) -> list[RecognizerResult]:
        """One span per speaker label, when the labels read as a dialogue."""
        if "PERSON" not in entities:
            return []
        labels = [m for m in _LABEL.finditer(text)
                  if m.group(1).lower() not in ROLE_LABELS]
        if len(labels) < self.MIN_LINES:
            return []
        ner_people = [(e.start_char, e.end_char) for e in (
            nlp_artifacts.entities if nlp_artifacts is not None else []
        ) if e.label_ == "PERSON"]
        anchored = any(
            m.group(1).lower() in self._names
            or any(s < m.end(1) and m.start(1) < e for s, e in ner_people)
            for m in labels
        )
        if not anchored:
            return []
        return [RecognizerResult("PERSON", m.start(1), m.end(1), self.SCORE) for m in labels]
