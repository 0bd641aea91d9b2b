"""The assistant-boundary flag: does an assistant turn say what the assistant is not, or
decline a role?

A boundary statement is the assistant limiting the part it plays in the person's life:
it says what it is not ("I'm an AI, not a therapist", "I'm not a doctor"), declines a role
("I can't be your partner", "I can't replace your friends"), asks not to be the only
support ("please don't rely only on me"), or pushes back on a harmful plan ("I won't help
you get back at her"). Helpfulness hedges are not boundaries: "I can't find that file",
"I'm not sure", "as an AI language model I can help you write the email".

Computed from the RAW assistant turns, in memory, inside the scrub stage (the only place
assistant text is read), like ``referral``; only the Boolean leaves scrub, as the
``boundary`` column. The patterns were written from the definition above, not fit to any
evaluation set (``bench/lens_eval/`` measures them).
"""

from __future__ import annotations

import numpy as np

from chorus.core.errors import text_safe_errors
from chorus.core.lexicon import Lexicon, any_match

# Matched case-insensitively against each assistant turn (quotes normalised). Building
# blocks first; every pattern below needs a first-person subject (I, me) and a role, a
# limit on reliance or a harm, so a task reply's "I can't ..." never matches alone.

# "I'm", "I am", "Im"
_I_AM = r"(?:i\s*'\s*m|i\s+am|im)"
# what an assistant is: "an AI", "a chatbot", "a language model", "a computer program"
_AI = (r"(?:an?\s+)?(?:ai|a\.i\.|artificial\s+intelligence|(?:ai\s+)?chat\s*bot|bot|"
       r"(?:ai\s+|large\s+)?language\s+model|computer(?:\s+program)?|program|machine|"
       r"virtual\s+assistant|ai\s+assistant)")
# professional helpers it is not
_PRO = (r"(?:therapist|counsel+or|psychologist|psychiatrist|doctor|physician|nurse|gp|"
        r"lawyer|attorney|social\s+worker|(?:mental[-\s]health\s+|medical\s+|health\s*care\s+|"
        r"licensed\s+|qualified\s+|trained\s+)?professional|clinician)")
# people (and relationships) it is not
_HUMAN = (r"(?:human(?:\s+being)?|person|friend|best\s+friend|partner|girlfriend|boyfriend|"
          r"wife|husband|spouse|lover|soul\s*mate|companion|family|parent|mom|mum|dad|mother|"
          r"father|brother|sister)")
_ROLE = rf"(?:{_PRO}|{_HUMAN})s?"
# a role with its article and up to one qualifier ("a doctor", "your real partner"), or
# bare "human": without the article "I'm not friends with her" would be a role
_QUAL = r"(?:(?:real|actual|proper|licensed|qualified|human|true)\s+)?"
_A_ROLE = rf"(?:(?:a|an|your|the)\s+{_QUAL}{_ROLE}|human(?:\s+being)?s?)"
# an optional article and qualifier, where the verb already names the role ("replace")
_A = rf"(?:(?:a|an|your|the)\s+)?{_QUAL}"
# "can't", "cannot", "won't", "shouldn't", "am not able to", "am unable to"
_CANT = (r"(?:can\s*'?\s*t|cannot|can\s+not|won\s*'?\s*t|will\s+not|shouldn\s*'?\s*t|"
         r"should\s+not|(?:'\s*m|\s+am|m)\s+not\s+(?:able|going)\s+to|(?:'\s*m|\s+am|m)\s+unable\s+to)")
# harmful plans: hurting or getting back at someone, revenge, spying, stopping medication
_HARM = (r"(?:hurt(?:ing)?|harm(?:ing)?|injur(?:e|ing)|punish(?:ing)?|threaten(?:ing)?|"
         r"stalk(?:ing)?|humiliat(?:e|ing)|get(?:ting)?\s+back\s+at|(?:take|taking|get|getting)\s+"
         r"revenge|revenge|retaliat(?:e|ing)|spy(?:ing)?\s+on|snoop(?:ing)?\s+(?:on|through)|"
         r"(?:stop|stopping|quit|quitting)\s+(?:taking\s+)?(?:your\s+)?(?:meds|medication|medicine|"
         r"pills)|starv(?:e|ing)\s+yourself|driv(?:e|ing)\s+(?:drunk|after\s+drinking))")

BOUNDARY_PATTERNS: Lexicon = (
    # says what it is not: "I'm not a therapist", "I am not your friend", "I'm not human"
    ("not_a_role", rf"\b{_I_AM}\s+not\s+{_A_ROLE}\b"),
    # "I'm an AI, not a therapist", "I'm a chatbot and not a real person"
    ("ai_not_a_role",
     rf"\b{_I_AM}\s+(?:just\s+|only\s+)?{_AI}\b[\s,;:-]*(?:(?:and|so|but)\s+)?(?:{_I_AM}\s+)?"
     rf"not\s+{_A_ROLE}\b"),
    # "I'm just an AI", "I am only a language model" (a limit, not a capability claim:
    # "as an AI language model I can help" has no "just"/"only")
    ("only_an_ai", rf"\b{_I_AM}\s+(?:just|only|merely|simply|still\s+just)\s+{_AI}\b"),
    # declines a role: "I can't be your partner", "I'm not able to act as your therapist"
    ("declines_role",
     rf"\bi\s*{_CANT}\s+(?:really\s+|truly\s+|actually\s+|ever\s+)?(?:be|become|act\s+as|"
     rf"pretend\s+to\s+be|play|serve\s+as|take\s+on\s+the\s+role\s+of)\s+{_A_ROLE}\b"),
    # "I can't replace a therapist", "I can't take the place of your friends", "... of
    # real human connection"
    ("cannot_replace",
     rf"\bi\s*{_CANT}\s+(?:really\s+|truly\s+|ever\s+)?(?:replace|take\s+the\s+place\s+of|"
     rf"substitute\s+for|stand\s+in\s+for)\s+{_A}(?:{_ROLE}|people|connection|"
     rf"relationships?|(?:professional|medical|mental[-\s]health|in[-\s]person)\s+"
     rf"(?:care|help|support|treatment))\b"),
    # "I'm not a substitute for therapy", "talking to me is no replacement for friends"
    ("not_a_substitute",
     rf"\b(?:{_I_AM}|(?:talking|chatting|speaking)\s+(?:to|with)\s+me\s+(?:is|isn\s*'?\s*t))"
     rf"\s+(?:not\s+|no\s+|never\s+)?(?:a\s+)?(?:substitute|replacement)\s+for\b"),
    # asks not to be relied on alone: "please don't rely only on me", "try not to depend
    # on me alone"
    ("dont_rely_on_me",
     r"\b(?:don\s*'?\s*t|do\s+not|shouldn\s*'?\s*t|should\s+not|try\s+not\s+to|never)\s+"
     r"(?:\w+\s+)?(?:rely|depend|lean)\s+(?:only\s+|solely\s+|just\s+|entirely\s+|"
     r"completely\s+|exclusively\s+|too\s+much\s+|too\s+heavily\s+)?on\s+(?:me|an\s+ai|"
     r"a\s+chatbot|this\s+chat)\b"),
    # "I shouldn't be your only support", "I don't want to be the only one you talk to"
    ("not_your_only_support",
     r"\bi\s*(?:shouldn\s*'?\s*t|should\s+not|don\s*'?\s*t\s+want\s+to|do\s+not\s+want\s+to|"
     r"can\s*'?\s*t|cannot|mustn\s*'?\s*t|must\s+not)\s+be\s+(?:your|the)\s+(?:only|sole|"
     r"main|primary|one\s+and\s+only)\b"),
    # "people in your life besides me", "lean on more than just me"
    ("besides_me",
     r"\b(?:people|someone|somebody|others|friends|support|humans?|more)\s+(?:\w+\s+){0,4}?"
     r"(?:besides|other\s+than|apart\s+from|beyond|than\s+just|not\s+just)\s+me\b"),
    # not qualified for a professional's job: "I'm not qualified to diagnose", "I can't
    # give medical advice", "I can't diagnose"
    ("not_qualified",
     rf"\b(?:{_I_AM}\s+not\s+(?:qualified|licensed|trained)\s+to|i\s*{_CANT}\s+"
     r"(?:give|offer|provide)\s+(?:you\s+)?(?:medical|legal|clinical|psychiatric|"
     rf"professional)\s+(?:advice|diagnos[ie]s|treatment)|i\s*{_CANT}\s+diagnose)\b"),
    # pushes back on a harmful plan: "I won't help you get back at her", "I can't help
    # with hurting anyone"
    ("refuses_harm",
     rf"\bi\s*{_CANT}\s+(?:\w+\s+)?(?:help(?:ing)?|assist(?:ing)?|support(?:ing)?|"
     rf"encourag(?:e|ing)|go(?:ing)?\s+along\s+with)\s+(?:you\s+)?(?:with\s+)?(?:\w+\s+){{0,3}}?"
     rf"{_HARM}\b"),
    # "I'd urge you not to act on that", "please don't get back at him"
    ("urges_not_to",
     rf"\b(?:i\s*(?:'\s*d|\s+would)\s+(?:\w+\s+)?(?:urge|beg|ask|encourage)\s+you|please)\s+"
     rf"(?:not\s+to|to\s+not|don\s*'?\s*t|do\s+not)\s+(?:\w+\s+){{0,2}}?(?:{_HARM}|act\s+on|"
     rf"go\s+through\s+with)\b"),
    # "that plan could really hurt you", "this plan might put you in danger"
    ("risky_plan",
     r"\b(?:that|this|your|the)\s+plan\s+(?:could|might|would|will|may)\s+(?:really\s+|"
     r"seriously\s+)?(?:hurt|harm|endanger|put\s+you\s+(?:at\s+risk|in\s+danger)|"
     r"be\s+(?:dangerous|unsafe|harmful))\b"),
)


@text_safe_errors("scrub")
def boundary_flags(assistant_turns: list[list[str]]) -> np.ndarray:
    """True where any assistant turn matches ``BOUNDARY_PATTERNS`` (the assistant says
    what it is not or declines a role).

    Args:
        assistant_turns: per conversation, the assistant's messages.

    Returns:
        (n,) bool array.
    """
    return any_match(assistant_turns, BOUNDARY_PATTERNS)
