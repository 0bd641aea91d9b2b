"""PERSON names announced by a chat cue: "my name is ...", "my manager ...", "Dear ...".

spaCy's small English model misses or mistypes names in chat text (a name it types
ORGANIZATION is dropped, because ORGANIZATION is not scrubbed). People introduce names
with a handful of set phrases, so a cue followed by Title-case words is strong evidence.
Every cue sits inside a lookbehind: only the name itself becomes the span ("my manager
Tom Becker" -> "Tom Becker"), the cue stays readable for clustering.

Cues are case-insensitive; the name is case-sensitive Title-case (``(?-i:...)``) and its
first word must not be a stopword, so "I'm Sorry", "I'm Not sure" and "my manager said"
never match. Lower-case names are matched only after the strongest cues ("my name is
priya", "her maiden name is nyberg", "everyone calls me višeslav"), one word that is not
a function word; after weaker ones ("my friend john") they are not: that would mask every
verb after "my friend". spaCy's NER is the safety net for those.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from tasks.recognizers._common import FULL_NAME, HONORIFIC, NAME, ChorusPatternRecognizer

_SP = r"[ \t]+"
_OPT_HONORIFIC = r"(?:" + HONORIFIC + _SP + r")?"

# Relationship nouns after a possessive: "my wife", "our manager", "her ex-husband".
_RELATION = (
    r"(?:wife|husband|partner|spouse|fianc[eé]e?|son|daughter|child|kid|baby|"
    r"mum|mom|mommy|mother|dad|daddy|father|parent|sister|brother|sibling|twin|"
    r"cousin|aunt|auntie|uncle|niece|nephew|grandma|grandpa|grandmother|grandfather|"
    r"granny|nan|friend|bestie|boss|manager|supervisor|colleague|coworker|co-worker|"
    r"teammate|employee|assistant|teacher|tutor|professor|student|classmate|doctor|"
    r"therapist|counsellor|counselor|nurse|dentist|lawyer|attorney|coach|neighbour|"
    r"neighbor|landlord|landlady|tenant|roommate|flatmate|housemate|girlfriend|"
    r"boyfriend|ex|client|customer|mentor|mentee|stepson|stepdaughter|stepmom|"
    r"stepmum|stepdad|in-law|mother-in-law|father-in-law|sister-in-law|brother-in-law)"
)
_RELATION_PREFIX = (
    r"(?:(?:ex|late|future|new|old|best|little|big|older|younger|elder|eldest|"
    r"youngest|oldest|step|former|current|line|direct|dear)[- \t]*)?"
)


# "maiden name is", "last name:", "surname was", "full name =".
_NAME_FIELD = (
    r"(?:(?:maiden|first|last|middle|given|full|family|legal|birth|nick)" + _SP
    + r"name|surname|forename|nickname)(?:" + _SP + r"(?:is|was)|[ \t]*[:=])"
)
# Lower-case words that follow "my name is" / "call me" without being a name.
_NOT_LOWER_WORD = (
    r"(?!(?:not|a|an|the|is|was|on|in|at|of|and|or|but|so|too|also|just|very|quite|"
    r"really|actually|spelled|spelt|pronounced|written|hard|long|short|weird|unusual|"
    r"common|irrelevant|unimportant|private|confidential|back|later|crazy|lazy|names|"
    r"whatever|anything|something|nothing|old|mine|yours|same|different|that|this|"
    r"it|what|when|if|because|unknown|none|blank|missing|redacted|withheld|tbd)\b)"
)


class PersonContextRecognizer(ChorusPatternRecognizer):
    """Detect a Title-case name right after a self-introduction or relationship cue.

    Entity: ``PERSON``. Scores stay below spaCy's 0.85 so that, where both fire, the
    NER span and type win ties; every pattern scores above the default 0.4 threshold.
    """

    ENTITY = "PERSON"
    PATTERNS = [
        # Self-introductions: "my name is Sarah Connor", "my name's Tom", "Name: Priya
        # Patel", "I'm Dave", "I am Anna Schmidt", "im Jo", "call me Liz". The name only.
        Pattern(
            "person_self_intro",
            r"(?<=\b(?:my" + _SP + r"name" + _SP + r"is|my" + _SP + r"name['’]s|name"
            r"[ \t]*:|i['’]?m|i" + _SP + r"am|call" + _SP + r"me|known" + _SP + r"as)"
            + _SP + _OPT_HONORIFIC + r")" + NAME,
            0.6,
        ),
        # A name field in prose: "her maiden name is Møller", "my last name is
        # LeBatelier", "surname: Okafor", "first name was Tomás". The name only.
        Pattern(
            "person_name_field",
            r"(?<=\b" + _NAME_FIELD + _SP + r")" + NAME,
            0.6,
        ),
        # Lower-case after the strongest cues only: "my name is borna", "her maiden
        # name is nyberg", "everyone calls me višeslav". One word, never a function word
        # ("my name is not important", "people call me back").
        Pattern(
            "person_strong_cue_lower",
            r"(?<=\b(?:my" + _SP + r"name" + _SP + r"is|" + _NAME_FIELD + r"|(?:people|"
            r"everyone|everybody|they|friends)" + _SP + r"(?:call|calls)" + _SP + r"me)"
            + _SP + r")" + _NOT_LOWER_WORD + r"(?-i:\p{Ll}[\p{Ll}'’-]+)\b",
            0.5,
        ),
        # "calls me Ján", "everyone calls me Tom", "they called me Anna".
        Pattern(
            "person_calls_me",
            r"(?<=\b(?:calls|called)" + _SP + r"me" + _SP + r")" + NAME,
            0.5,
        ),
        # Quote attribution: '"... direction," says Hauta-aho', "jealous! said Erle".
        # The verb must follow the end of the quoted words ("it said Python" stays).
        Pattern(
            "person_quote_attribution",
            r"(?<=[!?.,\"”’'][ \t]*(?:says|said|asks|asked|replied|replies|added|adds|"
            r"wrote|writes|whispered|shouted|explained|explains)" + _SP + r")" + NAME,
            0.5,
        ),
        # A name as the subject of a verb about where someone lives or works: "Timotea
        # lives on Via dei Fiorentini", "Nikolaj spent a year at Datamarket", "Anna works
        # at the bank". Must not match "Monday works for me" (a stopword); "Python works
        # at scale" is matched and then kept by the scrub allow list.
        Pattern(
            "person_lives_works",
            NAME + r"(?=" + _SP + r"(?:lives|lived|works|worked|spent[ \t]+a[ \t]+year|"
            r"grew[ \t]+up|moved)" + _SP + r"(?:on|at|in|for|to|as)\b)",
            0.5,
        ),
        # The name that opens a pasted address: "Billing address: Tintin Forsberg\n
        # 03262 2437 Main St". Must be alone on its line.
        Pattern(
            "person_address_block",
            r"(?<=\b(?:billing|shipping|mailing|delivery|postal|home)" + _SP
            + r"address[ \t]*:[ \t]*)" + NAME + r"(?=[ \t]*\n)",
            0.5,
        ),
        # "this is" introduces a name only after a greeting ("Hi, this is Mark") or
        # when "from"/"here"/"speaking" follows ("This is Mark from accounts");
        # "This is Python code" must not match.
        Pattern(
            "person_this_is_greeting",
            r"(?<=\b(?:hi|hello|hey|morning|afternoon|evening)[,!.]?[ \t]*this" + _SP
            + r"is" + _SP + _OPT_HONORIFIC + r")" + NAME,
            0.6,
        ),
        Pattern(
            "person_this_is_from",
            r"(?<=\bthis" + _SP + r"is" + _SP + _OPT_HONORIFIC + r")" + NAME
            + r"(?=,?[ \t]+(?:from|here|speaking|calling|at)\b)",
            0.5,
        ),
        # Relationship word, optional comma and title, then the name: "my manager Tom
        # Becker", "my ex-wife, Jane", "her doctor Dr. Gupta", "our new boss Anna".
        Pattern(
            "person_relationship",
            r"(?<=\b(?:my|our|his|her|their|your)" + _SP + _RELATION_PREFIX + _RELATION
            + r"s?,?" + _SP + _OPT_HONORIFIC + r")" + NAME,
            0.6,
        ),
        # A courtesy title anywhere, Title-case only: "Dr Smith", "Mrs. O'Neill".
        Pattern(
            "person_honorific",
            r"(?<=\b(?-i:Mr|Mrs|Ms|Mx|Dr|Prof)\.?" + _SP + r")" + NAME,
            0.5,
        ),
        # A full name (two or three Title-case words) as the object of a communication
        # verb: "a reply to Ingrid Rodriguez", "a long chat with Giulia Jones", "tell
        # Xiomara Quispe", "email Tom Becker". Two words are required: "chat with
        # Docker" or "reply to Python" must not match.
        Pattern(
            "person_addressee",
            r"(?<=\b(?:reply|replies|replying|respond|write|wrote|email|emailed|mail|"
            r"message|messaged|text|texted|talk|talked|talking|speak|spoke|chat|"
            r"chatted|meet|met|meeting|call|called|ask|asked|tell|told|remind|thank|"
            r"invite|invited|introduce|forward|cc|contact|contacted|ping|pinged|heard|"
            r"letter|note|apology|complaint)(?:[ \t]+(?:back|again|up))?"
            r"(?:[ \t]+(?:to|with|from|for))?" + _SP + _OPT_HONORIFIC + r")"
            + FULL_NAME,
            0.45,
        ),
        # "a guy named Bob", "someone named Ana Lucia". ("called" is not a cue: "an app
        # called Notion" would lose the product name the clustering needs.)
        Pattern(
            "person_named",
            r"(?<=\bnamed" + _SP + r")" + NAME,
            0.5,
        ),
        # Letter openings at the start of a line: "Dear Mr Patel,", "Hi Sarah,",
        # "Hello Ms. Green". Addressees such as "Team" or "All" are stopwords.
        Pattern(
            "person_salutation",
            r"(?<=^[ \t]*(?:dear|hi|hello|hey|good" + _SP + r"morning|good" + _SP
            + r"afternoon)[ \t,]+" + _OPT_HONORIFIC + r")" + NAME,
            0.5,
        ),
        # Sign-offs: the name on the line after "Best regards," / "Thanks," / "Cheers".
        Pattern(
            "person_signoff",
            r"(?<=\b(?:regards|thanks|thank" + _SP + r"you|cheers|sincerely|best|"
            r"warmly|love|yours)[,!.]?[ \t]*\n[ \t]*(?:-[ \t]*)?)" + NAME,
            0.5,
        ),
    ]

    CONTEXT = ["name", "called", "introduce", "meet", "contact"]

