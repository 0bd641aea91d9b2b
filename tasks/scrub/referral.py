"""The assistant-referral flag: does an assistant turn point the person to human help?

Computed from the RAW assistant turns, in memory, inside the scrub stage (the only place
assistant text is read); only the Boolean leaves scrub. The lens reads it as its
``referral`` column.
"""

from __future__ import annotations

import numpy as np

from chorus.core.errors import text_safe_errors
from chorus.core.lexicon import Lexicon, any_match

# Matched case-insensitively against each assistant turn. A referral is a suggestion to
# seek help from a professional or from people the person trusts, so every pattern pairs a
# help-seeking verb (see, talk to, reach out to, contact, call ...) with a helper, or names
# a service that only exists to help (helpline, crisis line, Samaritans, 988).

_PRO = (r"(?:therapist|counsel+or|psychologist|psychiatrist|doctor|physician|gp|nurse|"
        r"mental[-\s]health\s+(?:professional|provider|service|team)|professional|"
        r"specialist|social\s+worker|school\s+counsel+or|teacher|pastor|priest|hr)")
_PEOPLE = (r"(?:friends?|family|famil(?:y|ies)\s+members?|parents?|mom|mum|dad|mother|"
           r"father|sibling|brother|sister|partner|loved\s+ones?|someone\s+(?:you|close)|"
           r"people\s+(?:you|close)|a\s+trusted\s+\w+|anyone\s+you\s+trust|support\s+group)")
_SEEK = (r"(?:see|seeing|talk(?:ing)?\s+(?:to|with)|speak(?:ing)?\s+(?:to|with)|"
         r"reach(?:ing)?\s+out\s+to|contact(?:ing)?|consult(?:ing)?|call(?:ing)?|"
         r"visit(?:ing)?|open(?:ing)?\s+up\s+to|confid(?:e|ing)\s+in|lean(?:ing)?\s+on|"
         r"get(?:ting)?\s+help\s+from|ask(?:ing)?\s+for\s+help\s+from|go(?:ing)?\s+to)")
_DET = r"(?:(?:a|an|the|your|some|one\s+of\s+your|any|close|good|trusted|local|qualified)\s+){0,3}"

REFERRAL_PATTERNS: Lexicon = (
    # "talk to a therapist", "see your doctor", "consult a mental health professional"
    ("professional", rf"\b{_SEEK}\s+{_DET}{_PRO}s?\b"),
    # "talk to your friends", "reach out to family", "confide in someone you trust"
    ("trusted_people", rf"\b{_SEEK}\s+{_DET}{_PEOPLE}\b"),
    # "is there someone you trust ...", "a person who you trust" (no verb needed)
    ("someone_you_trust",
     r"\b(?:someone|somebody|anyone|people|a\s+person)\s+(?:(?:that|who)\s+)?you\s+trust\b"),
    # "consider therapy", "seek counselling", "professional help", "get counseling"
    ("therapy",
     (r"\b(?:(?:try|trying|consider(?:ing)?|seek(?:ing)?|get(?:ting)?|look\s+into|"
      r"start(?:ing)?)\s+(?:some\s+)?(?:therapy|counsel+ing|professional\s+help|"
      r"help\s+from\s+a\s+professional)|professional\s+(?:help|support)|"
      r"(?:therapy|counsel+ing)\s+(?:could|might|may|would|can)\s+help)\b")),
    # a crisis service, named or generic: hotline, helpline, crisis line, Samaritans, 988
    ("helpline",
     (r"\b(?:help\s*lines?|hot\s*lines?|crisis\s+(?:lines?|text\s+line|cent(?:re|er)s?|teams?|"
      r"services?)|"
      r"samaritans|lifeline|988|suicide\s+prevention)\b")),
)


@text_safe_errors("scrub")
def referral_flags(assistant_turns: list[list[str]]) -> np.ndarray:
    """True where any assistant turn matches ``REFERRAL_PATTERNS`` (points to human help).

    Args:
        assistant_turns: per conversation, the assistant's messages.

    Returns:
        (n,) bool array.
    """
    return any_match(assistant_turns, REFERRAL_PATTERNS)
