"""Title material that keeps stop words: k-backed n-grams of *all* words of a request.

The key-phrase tokenizer (``chorus.core.tokens.phrases``) drops stop words, and with them
words that name a topic ("top up", "bill", "name", "card not working"). Titles may also
use n-grams of all words (a ``TermCounter`` with ``keep_stop_words``), counted and
k-backed exactly like key phrases. Such an n-gram is title material only when it holds a
stop word (else it is a key phrase already) and a word that is neither a function word
(``FUNCTION``: articles, pronouns, auxiliaries and their contraction stems, prepositions,
greetings and fillers) nor a question word nor a chat stop word
(``chorus.core.tokens.CHAT_STOP_WORDS``: "say", "get", "didn" name no topic), starts
with no function word (a question word may start it) and ends with neither: "top up
failed", "card not working", "what is your name"; not "is your name", "card not" or
"hello". They are never key phrases: the release gate re-counts key
phrases with the stop-word tokenizer, while a name passes when each of its words has k
users.
"""

from __future__ import annotations

from chorus.core import tokens

QUESTION = frozenset("how what when where why who which".split())
FUNCTION = frozenset("""
a an the my your our their his her its me i we you they he she it this that these those
is are was were be been being am do does did have has had can could will would should
may might must to of in on at by for with from into about as and or but if so than then
there here not no any some all just also very again hello hi hey thanks thank please ok
okay yeah sorry really
""".split()) | tokens.CONTRACTION_STEMS


def admissible(phrase: str) -> bool:
    """Whether an all-words n-gram is title material (see the module docstring)."""
    words = phrase.split()
    stop = tokens.stop_words()
    return (any(w in stop for w in words)
            and any(w not in FUNCTION and w not in QUESTION and w not in tokens.CHAT_STOP_WORDS
                    for w in words)
            and words[0] not in FUNCTION and words[-1] not in FUNCTION | QUESTION)
