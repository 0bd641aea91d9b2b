"""Regex building blocks shared by Chorus's custom recognizers.

Presidio compiles patterns with the third-party ``regex`` module, which allows
variable-length lookbehind, scoped flags such as ``(?-i:...)`` and Unicode classes
(``\\p{Lu}``). The custom recognizers rely on all three.
"""

from __future__ import annotations

import re as stdlib_re
from collections.abc import Callable

import regex as re
from presidio_analyzer import (
    EntityRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerRegistry,
    RecognizerResult,
)
from presidio_analyzer.nlp_engine import NlpArtifacts

# Flags the custom recognizers compile with. IGNORECASE is on (cue words such as
# "my manager" may be typed in any case); every part that must be Title-case is wrapped
# in ``(?-i:...)`` so it stays case-sensitive even under IGNORECASE.
REGEX_FLAGS = re.DOTALL | re.MULTILINE | re.IGNORECASE

# Title-case words that follow a cue ("I'm ...", "Hi ...", "..., City") without being a
# name or a place: adverbs, adjectives and -ing verbs people capitalise, function words,
# greetings' addressees, assistant names, weekdays, demonyms and religions (topical
# information the clustering needs, and not identifying on its own). Months are left
# out on purpose: April, May, June and August are also first names.
STOPWORDS: tuple[str, ...] = (
    # function words
    "A", "An", "The", "And", "Or", "But", "So", "If", "In", "On", "At", "To", "From",
    "With", "For", "Of", "About", "Into", "As", "By", "It", "Its", "This", "That",
    "These", "Those", "My", "Your", "Our", "His", "Her", "Their", "He", "She", "They",
    "We", "You", "I", "Me", "Not", "No", "Yes", "Now", "Then", "Here", "There", "Also",
    "Just", "Only", "Still", "Very", "Really", "Quite", "Pretty", "Too", "Even", "Well",
    "Please", "Thanks", "Thank", "Hi", "Hello", "Hey", "Dear", "Re", "Ps",
    # courtesy titles: the name is the word after them
    "Mr", "Mrs", "Ms", "Mx", "Miss", "Dr", "Prof", "Sir", "Dame", "Madam", "Lord", "Lady",
    # states people announce with "I'm ..." / "I am ..."
    "Sorry", "Fine", "Good", "Great", "Okay", "Ok", "Happy", "Glad", "Sure", "New",
    "Back", "Done", "Ready", "Able", "Unable", "Afraid", "Worried", "Excited", "Aware",
    "Unsure", "Curious", "Confused", "Stuck", "Tired", "Sick", "Busy", "Interested",
    "Stressed", "Concerned", "Always", "Never", "Currently", "Actually", "Basically",
    "Kind", "Sort", "Totally", "Literally", "Honestly", "Probably", "Definitely",
    "Almost", "Finally", "Already", "Trying", "Going", "Looking", "Working", "Writing",
    "Having", "Getting", "Doing", "Feeling", "Thinking", "Planning", "Learning",
    "Using", "Building", "Making", "Running", "Struggling", "Considering", "Reading",
    "Studying", "Preparing", "Applying", "Moving", "Wondering", "Hoping", "Starting",
    "Taking", "Trying", "Creating", "Developing", "Designing", "Testing", "Teaching",
    "Asking", "Wanting", "Needing", "Pregnant", "Single", "Married", "Divorced",
    "Retired", "Unemployed", "Male", "Female", "Gay", "Straight", "Trans",
    # addressees and sign-offs that are not names
    "Team", "All", "Everyone", "Everybody", "Folks", "Guys", "Friends", "World", "Sir",
    "Madam", "Hiring", "Recruiter", "Manager", "Customer", "Support", "Admin",
    "Claude", "Assistant", "Bot", "Chatbot", "ChatGPT", "Gemini", "Copilot",
    "Best", "Regards", "Kind", "Warm", "Cheers", "Sincerely", "Yours", "Love",
    # weekdays (names like "April" or "June" are kept as names: see above)
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    "Today", "Tomorrow", "Yesterday", "Tonight", "Later", "Soon",
    # demonyms and religions: topical, not identifying on their own
    "American", "British", "English", "Scottish", "Welsh", "Irish", "Canadian",
    "Australian", "Indian", "Pakistani", "Chinese", "Japanese", "Korean", "French",
    "German", "Spanish", "Italian", "Portuguese", "Dutch", "Polish", "Russian",
    "Ukrainian", "Mexican", "Brazilian", "African", "Nigerian", "Asian", "European",
    "Latino", "Latina", "Black", "White", "Muslim", "Jewish", "Christian", "Catholic",
    "Hindu", "Buddhist", "Sikh", "Atheist", "Agnostic", "Vegan", "Vegetarian",
)

# ``(?!Sorry\b|Not\b|...)``: refuses a candidate word that is a stopword (case-sensitive:
# only the Title-case spelling is refused, which is the only one a name pattern accepts).
_ALTERNATION = "|".join(sorted(set(STOPWORDS), key=len, reverse=True))
NOT_STOPWORD = r"(?-i:(?!(?:" + _ALTERNATION + r")\b))"

# One Title-case name word: "Tom", "O'Brien", "Mary-Jane", "Hauta-aho", "McDonald",
# "José". A
# possessive stays outside ("Tom's" -> "Tom").
NAME_WORD = r"(?-i:(?:\p{Lu}['’])?\p{Lu}\p{Ll}+(?:\p{Lu}\p{Ll}+)?(?:-\p{L}\p{Ll}+)*)"

# One to three name words on one line (a middle initial "J." is allowed inside), ending
# at a word boundary ("ChatGPT" never yields "Chat"). Only the first word is checked
# against STOPWORDS: a surname that happens to be one ("Jack White", "Anna Best") must
# stay inside the span, and masking a capitalised word after a name costs little.
NAME = (
    NOT_STOPWORD + NAME_WORD
    + r"(?:[ \t]+(?:(?-i:\p{Lu}\.)[ \t]+)?" + NAME_WORD + r"){0,2}\b"
)

# Two or three name words: a first name and a surname at least ("Giulia Jones").
FULL_NAME = (
    NOT_STOPWORD + NAME_WORD
    + r"(?:[ \t]+(?:(?-i:\p{Lu}\.)[ \t]+)?" + NAME_WORD + r"){1,2}\b"
)

# Courtesy titles, optionally with a dot: "Mr", "Mrs.", "Dr", "Prof.".
HONORIFIC = r"(?:mr|mrs|ms|mx|miss|dr|prof|sir|dame)\.?"


# Any decimal digit, as the ``regex`` module and Python's ``re`` (phonenumbers) read
# ``\d``; both are searched so a text either calls a digit counts as having one.
_DIGIT_REGEX = re.compile(r"\d")
_DIGIT_RE = stdlib_re.compile(r"\d")


def swap_recognizers(registry: RecognizerRegistry, cls: type[EntityRecognizer],
                     replace: Callable[[EntityRecognizer], EntityRecognizer | None]) -> int:
    """Replace, at its position, every recognizer of ``registry`` whose type is exactly
    ``cls`` by ``replace(recognizer)`` (None keeps it); returns how many were replaced."""
    recognizers = registry.recognizers
    if not isinstance(recognizers, list):  # Presidio keeps a list; types an Iterable
        raise TypeError("RecognizerRegistry.recognizers is not a list")
    replaced = 0
    for i, recognizer in enumerate(recognizers):
        if type(recognizer) is cls and (new := replace(recognizer)) is not None:
            recognizers[i] = new
            replaced += 1
    return replaced


def has_digit(text: str) -> bool:
    r"""Whether ``text`` holds a decimal digit (``\d`` of ``regex`` or of ``re``)."""
    return _DIGIT_REGEX.search(text) is not None or _DIGIT_RE.search(text) is not None


class ChorusPatternRecognizer(PatternRecognizer):
    r"""A PatternRecognizer built from class constants.

    Subclasses set ``ENTITY`` (the Presidio entity type), ``PATTERNS`` (each with a
    comment saying what it must match) and ``CONTEXT`` (words that raise the score);
    all share Chorus's regex flags. ``NEEDS_DIGIT = True`` says every one of
    ``PATTERNS`` needs a ``\d`` in the text to match (in its span or in a lookaround), so
    a text without a digit is answered ``[]`` without running them (not applied when the
    caller passes its own ``patterns``). The arguments mirror PatternRecognizer's, so
    Presidio's registry and tests can still override them.
    """

    ENTITY: str = ""
    PATTERNS: list[Pattern] = []
    CONTEXT: list[str] = []
    NEEDS_DIGIT: bool = False

    def __init__(self, patterns: list[Pattern] | None = None,
                 context: list[str] | None = None, supported_language: str = "en",
                 supported_entity: str | None = None, name: str | None = None) -> None:
        super().__init__(
            supported_entity=supported_entity or self.ENTITY,
            # Presidio annotates ``name: str = None`` but handles None (the class name).
            name=name,  # type: ignore[arg-type]
            supported_language=supported_language,
            patterns=patterns if patterns is not None else [
                Pattern(p.name, p.regex, p.score) for p in self.PATTERNS
            ],
            context=context if context is not None else list(self.CONTEXT),
            global_regex_flags=REGEX_FLAGS,
        )
        self.needs_digit = self.NEEDS_DIGIT and patterns is None

    def analyze(self, text: str, entities: list[str],
                nlp_artifacts: NlpArtifacts | None = None,
                regex_flags: int | None = None) -> list[RecognizerResult]:
        """As ``PatternRecognizer.analyze``; ``[]`` at once when a needed digit is absent."""
        if self.needs_digit and not has_digit(text):
            return []
        return super().analyze(text, entities, nlp_artifacts, regex_flags)


def after_cue(cues: str, gap: int = 20) -> str:
    """A lookbehind: one of ``cues`` (a regex alternation, whole words) followed by at
    most ``gap`` characters that are neither a digit nor a newline ("passport number
    is ", "NHS no.: "). Only what comes after it becomes the span."""
    return r"(?<=\b(?:" + cues + r")\b[^\n\d]{0," + str(gap) + r"})"
