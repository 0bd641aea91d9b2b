"""The concern facet: signs of acute distress or crisis in the user's turns.

A conservative regex lexicon, ``CONCERN_PATTERNS`` ((name, pattern) pairs), matched by
``chorus.core.lexicon.any_match``. It leaves idioms such as "this bug is killing me" or
"I could kill for a coffee" alone. Input and output are text in, booleans out: nothing
here logs, stores or raises with text.
"""

from __future__ import annotations

import numpy as np

from chorus.core.errors import text_safe_errors
from chorus.core.lexicon import any_match

# Each pattern is matched case-insensitively against each user turn. Every one names the
# speaker's own life or body (myself, my life, I want to die ...): violent idioms aimed at
# things ("this bug is killing me", "I could kill for a coffee", "my feet are killing me")
# do not match. Jokes with an explicit laughing/embarrassment marker are excluded.

# A negation right before the phrase ("I'm not suicidal", "I don't want to die").
_NOT_NEGATED = r"(?<!not\s)(?<!n't\s)(?<!dont\s)(?<!never\s)(?<!not\sa\s)"
_NOT_JOKING = r"(?!\s+(?:laughing|of\s+(?:laughter|embarrassment|boredom|shame)))"

CONCERN_PATTERNS: tuple[tuple[str, str], ...] = (
    # "kill myself", "killing myself", "hurt myself", "harm myself", "cut myself"
    # (not "killed myself laughing"; not "kill time"; not "cut myself a slice of cake",
    # where "myself" is the beneficiary of an object that follows)
    ("self_harm_verb",
     r"\b(?:kill(?:ing|ed)?|hurt(?:ing)?|harm(?:ing|ed)?|cut(?:ting)?|starv(?:e|ing))\s+"
     r"my\s*self\b(?!\s+(?:a|an|some|another)\b)" + _NOT_JOKING),
    # "self-harm", "self harming", "self-injury"
    ("self_harm_noun", r"\bself[-\s]?(?:harm(?:ing)?|injur(?:y|ing)|mutilat\w*)\b"),
    # "suicide", "suicidal", "commit suicide" (not "I'm not suicidal", not "Suicide
    # Squad", "suicide doors", nor a service: "suicide hotline", "suicide prevention")
    ("suicide",
     _NOT_NEGATED + r"\bsuicid(?:e|al)\b(?!\s+(?:squad|doors?|king|hot\s*line|help\s*line|"
     r"line|prevention|awareness))"),
    # "end my life", "end it all", "take my own life", "ending my life"
    ("end_life", r"\b(?:end(?:ing)?|take|taking)\s+(?:my\s+(?:own\s+)?life|it\s+all)\b"),
    # "I want to die", "I wish I was dead", "I'd be better off dead" (not "want to die
    # laughing" or "of embarrassment"; not "dying to see")
    ("want_to_die",
     _NOT_NEGATED + r"\b(?:want(?:ed)?|wanna|wish|going)\s+(?:to\s+)?die\b" + _NOT_JOKING),
    ("wish_dead", r"\b(?:wish\s+i\s+(?:was|were)\s+dead|better\s+off\s+dead)\b"),
    # "I don't want to live anymore", "no reason to live", "not worth living" (not "I
    # don't want to live in this city / with my parents"; but "in this world" is kept)
    ("no_will_to_live",
     (r"\b(?:(?:do\s*n[o']?t|not|no\s+longer)\s+want\s+to\s+(?:live|be\s+alive|exist|"
      r"wake\s+up)(?!\s+(?:in(?!\s+this\s+world)|with|near|there|here|at|on|under|by|alone|"
      r"together))|"
      r"no\s+reason\s+to\s+live|(?:life\s+is\s+)?not\s+worth\s+living|"
      r"can'?t\s+go\s+on\s+(?:any\s*more|living))\b")),
    # "overdose on pills", "took an overdose", "swallow all my pills"
    ("overdose",
     (r"\b(?:(?:take|took|taking)\s+an\s+overdose|overdos(?:e|ed|ing)\s+on\s+"
      r"(?:pills|tablets|my\s+med\w*|sleeping)|swallow(?:ed)?\s+(?:all\s+)?(?:my\s+)?pills)\b")),
)


@text_safe_errors("lens")
def concern_flags(user_turns: list[list[str]]) -> np.ndarray:
    """True where any user turn matches ``CONCERN_PATTERNS`` (acute distress or crisis).

    Args:
        user_turns: per conversation, the user's messages.

    Returns:
        (n,) bool array.
    """
    return any_match(user_turns, CONCERN_PATTERNS)
