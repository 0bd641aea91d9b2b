"""Emotional self-disclosure: the person says how they feel, in so many words.

One feature of the fitted affective scorer (``tasks.lens.model``): the number of distinct
``DISCLOSURE_PATTERNS`` a request matches, capped at ``DISCLOSURE_CAP``. The request's
embedding averages over everything in it, so a long practical request ("the portal keeps
crashing, they want six months of bank statements") buries the one sentence that says
the person is frightened; a lexicon hit does not get diluted. Its weight is learned with
the rest of the model on the training split (ESConv seekers against SGD, BANKING77 and
CLINC150 users), never set by hand.

Written from the definition (first-person statements of a feeling, venting, rumination),
then read once against the requests of demo seeds 1-3 the lens missed (never seed 7, the
reported demo, or seed 0, the held-out demo check); that reading added the feelings
reported after talking ("I'm feeling more positive", "I feel calmer": a person saying how
they feel is disclosing too) and "I don't really know who else to ask".

Text in, numbers out: nothing here logs, stores or raises with text.
"""

from __future__ import annotations

import hashlib

import numpy as np

from chorus.core.errors import text_safe_errors
from chorus.core.lexicon import Lexicon, match_counts

DISCLOSURE_CAP = 3

# Feeling words a person uses about themselves ("I'm so X", "I've been X", "I feel X").
_FEELINGS = (
    r"anxious|scared|terrified|afraid|frightened|worried|stressed|overwhelmed|exhausted|"
    r"hopeless|helpless|lonely|alone|depressed|sad|miserable|heartbroken|devastated|numb|"
    r"ashamed|guilty|embarrassed|angry|furious|hurt|awful|terrible|panick(?:ing|y)|"
    r"desperate|drained|burn(?:ed|t) out|isolated|worthless|upset|nervous|frustrated|"
    r"on edge|empty|useless|trapped|insecure|jealous|resentful|defeated|"
    r"paraly[sz]ed|freak(?:ed|ing) out|dreading|uneasy|restless|unhappy|"
    r"disappointed|betrayed|rejected|abandoned|invisible|unloved|unwanted|homesick|"
    r"grieving|crushed|shattered|gutted"
)
# Feelings after talking, only with "feel" ("I feel calmer", "I'm feeling more positive"):
# "I got better results" or "I'm better at Python" is not a feeling.
_FELT_AFTER = r"calmer|better|lighter|hopeful|relieved|positive|confident|low|down|lost"
# Words that may stand between "I feel" and the feeling: "I'm so, so tired", "I've been
# feeling really low", "I still feel a bit lost".
_DEGREE = (r"(?:(?:so|really|very|a bit|a little|kind of|completely|totally|just|too|more|"
           r"even more|still|quite|pretty|incredibly|constantly|always|increasingly|getting|"
           r"feeling)\s+)*")

DISCLOSURE_PATTERNS: Lexicon = (
    # "I'm so anxious", "I've been stressed", "I was terrified", "I still feel awful"
    ("first_person_feeling",
     r"\bi(?:'m| am|'ve been| have been| feel| felt| still feel| (?:just|really|do) feel"
     r"| keep feeling| started feeling| was)\s+" + _DEGREE + r"(?:" + _FEELINGS + r")\b"),
    # "I feel a bit better", "I'm feeling more positive", "I've been feeling low"
    ("feel_after",
     r"\b(?:i|i'm|i am|i've been|i have been)\s+(?:still\s+|just\s+|really\s+)?"
     r"(?:feel|felt|feeling)\s+" + _DEGREE + r"(?:" + _FELT_AFTER + r")\b"),
    # "I'm scared that ...", "I'm terrified of ...", "I'm worried about ..."
    ("afraid_of",
     r"\bi(?:'m| am) (?:so |really )?(?:scared|afraid|terrified|worried|frightened) "
     r"(?:that|of|about|to)\b"),
    # "it feels hopeless", "everything feels like too much", "this felt pointless"
    ("it_feels",
     r"\b(?:it|this|everything|life|that)\s+(?:still\s+|just\s+|all\s+)?(?:feels|felt)\s+"
     r"(?:like\s+)?(?:so\s+|really\s+|completely\s+)?(?:hopeless|impossible|overwhelming|awful|"
     r"unbearable|too much|pointless|meaningless|scary|lonely|heavy|unfair)"),
    # "the forms are overwhelming", "it's exhausting", "this is heartbreaking"
    ("overwhelming",
     r"\b(?:is|are|was|were|feels?|it's|it is)\s+(?:so\s+|really\s+|completely\s+|just\s+)?"
     r"(?:overwhelming|unbearable|too much for me|exhausting|heartbreaking|terrifying)\b"),
    # venting and being heard: "thanks for listening", "get this off my chest",
    # "I don't know who else to ask", "sorry if this is a lot"
    ("venting",
     r"thanks? (?:you )?(?:so much )?for listening|off my chest|(?:needed|need|wanted) to "
     r"(?:vent|talk to someone|tell someone)|talking (?:this|it) through|sorry (?:if|for) "
     r"(?:this is a lot|rambling|venting|dumping)|(?:nobody|no one|anyone) (?:else )?to talk "
     r"to|(?:don't|do not|dont) (?:really )?know who else to (?:ask|talk to|turn to)"),
    # rumination and not coping: "I can't stop worrying", "it keeps me up at night",
    # "it's been on my mind", "I can't cope", "my mind starts racing"
    ("rumination",
     r"\bcan(?:'t|not) stop (?:thinking|worrying|crying|overthinking)|\bkeeps? me (?:up|awake)"
     r" at night|on my mind|\bcan(?:'t|not) (?:cope|face|handle|bear|deal with)|\bmy mind "
     r"(?:starts|keeps) racing|\bcan(?:'t|not) (?:sleep|eat) because"),
    # the person's own feelings named as such: "my anxiety", "my mental health"
    ("emotion_noun",
     r"\bmy (?:anxiety|stress|panic attacks?|grief|loneliness|depression|self-esteem|"
     r"confidence|mental health|feelings|emotions|fear|worries)\b"),
    # "I keep crying", "I was in tears"
    ("crying", r"\b(?:cry|crying|cried|in tears|tearful|sobbing)\b"),
)


def disclosure_fingerprint() -> str:
    """sha256 (16 hex) of the pattern names and texts and the cap (the fitted model
    records it; a mismatch means the model should be refit)."""
    blob = "\x00".join(f"{n}\x01{p}" for n, p in DISCLOSURE_PATTERNS) + f"\x00{DISCLOSURE_CAP}"
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


@text_safe_errors("lens")
def disclosure_counts(texts: list[str]) -> np.ndarray:
    """(n,) float32: distinct ``DISCLOSURE_PATTERNS`` matched by each text, at most
    ``DISCLOSURE_CAP`` (0 for an empty text)."""
    counts = match_counts(texts, DISCLOSURE_PATTERNS)
    return np.minimum(counts, DISCLOSURE_CAP).astype(np.float32)
