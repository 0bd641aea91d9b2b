"""Text helpers shared by stages: what counts as a pleasantry turn, quote normalisation."""

from __future__ import annotations

import re

# A turn made only of greetings, thanks, goodbyes, "how are you" small talk and one-word
# acknowledgements ("hi there", "hello, how are you?", "I'm good, you?", "thank you so
# much!", "ok bye") names no topic and says little about how the person feels. The one
# definition of such a turn: build_request skips them at the start of a conversation, and
# the lens's sentiment trajectory (tasks.lens) skips them anywhere. A turn with any other
# word is never a pleasantry.
PLEASANTRY = re.compile(
    r"^\W*(?:(?:h+i+|he+y+|hel+o+|hiya|good\s+(?:morning|evening|afternoon|night)|thanks?|"
    r"thank\s+you|thx|ty|bye|goodbye|ok(?:ay)?|yes|yeah|yep|no|nope|sure|you\s+too|"
    r"same\s+to\s+you|have\s+a\s+(?:good|great|nice)\s+(?:day|night|one)|"
    r"(?:i'?m|i\s*am)\s+(?:doing\s+)?(?:good|fine|ok(?:ay)?|well|great|alright)|"
    r"doing\s+(?:good|fine|ok(?:ay)?|well|great|alright)|"
    r"how\s+are\s+(?:you|we)(?:\s+doing)?(?:\s+today)?|how\s+about\s+you|and\s+you|"
    r"nice\s+to\s+meet\s+you|(?:are\s+)?you\s+there|(?:is\s+)?any(?:one|body)\s+there|"
    r"there|so\s+much|very\s+much|a\s+lot|again|take\s+care|you'?re\s+welcome|welcome|"
    r"cheers)\b\W*)+$",
    re.IGNORECASE)


def normalise_quotes(text: str) -> str:
    """Typographic single quotes as ASCII ("I\u2019m" -> "I'm"), for the lexicons."""
    return text.replace("\u2019", "'").replace("\u2018", "'")


def is_pleasantry(turn: str) -> bool:
    """True when ``turn`` is only greetings/thanks/small talk (``PLEASANTRY``); False for
    an empty turn and for any turn with other content."""
    return bool(PLEASANTRY.match(normalise_quotes(turn)))
