"""The emotional-support lens: affective use, sentiment trajectory, concern, referral.

Four per-conversation facets, all computed offline and in memory (issue 5):

* **affective**: the person engages for emotional or psychological needs (interpersonal
  advice, coaching, counselling, companionship) rather than to get a task done. Zero-shot:
  the request is embedded with the local embedder and compared with short written
  prototype descriptions of each class; ``affective_score`` = (mean cosine to the k
  nearest affective prototypes) - (the same for the task prototypes), and
  ``affective = affective_score >= LensSettings.threshold``. Nothing is trained; only the
  threshold was chosen on a calibration split (see ``LensSettings.threshold``).
* **sentiment**: VADER compound score (-1..1) of the first and of the last user turn, and
  the shift (end - start).
* **concern**: signs of acute distress or crisis (self-harm, suicidal language) in the
  user's turns; a conservative regex lexicon (``CONCERN_PATTERNS``) that leaves idioms
  such as "this bug is killing me" or "I could kill for a coffee" alone.
* **referral**: the assistant's turns point the person to professional or human help
  (therapist, counsellor, doctor/GP, helpline, crisis line, trusted friends or family);
  a regex lexicon (``REFERRAL_PATTERNS``) over assistant messages.

Input of ``lens_facets`` (scrubbed text; any extra columns are kept)::

    user_turns List(Utf8)          the user's messages in order (required)
    assistant_turns List(Utf8)     the assistant's messages in order (optional: without
                                   it ``referral`` is null)
    request Utf8                   what is embedded (optional: built from user_turns as
                                   in tasks.facets when absent)

Output adds::

    affective_score Float32   top-k mean cosine to the affective prototypes minus the
                              same to the task prototypes (k = settings.top_k)
    affective Boolean         affective_score >= settings.threshold
    sentiment_start Float32   VADER compound of the first non-empty user turn (0 if none)
    sentiment_end Float32     VADER compound of the last non-empty user turn (0 if none)
    sentiment_shift Float32   sentiment_end - sentiment_start
    concern Boolean           a CONCERN_PATTERNS match in any user turn
    referral Boolean          a REFERRAL_PATTERNS match in any assistant turn (null when
                              the frame has no assistant_turns)

Privacy: these functions read text and return numbers and booleans only. They never
log, store or raise with text (errors pass through ``text_safe_errors``); logs carry
counts only.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import numpy as np
import polars as pl
from pydantic import BaseModel, ConfigDict, Field

from chorus.errors import text_safe_errors

log = logging.getLogger(__name__)

# --- prototypes ---------------------------------------------------------------------------
# Short first-person descriptions, phrased like what a person would write. Written by hand
# from the issue's definition (Clio / "How people use Claude for support, advice and
# companionship"), never copied from an evaluation set.

AFFECTIVE_PROTOTYPES: tuple[str, ...] = (
    "I feel so sad and lonely, I just need someone to talk to.",
    "I have been really depressed lately and I don't know how to cope.",
    "I am anxious and stressed all the time and I can't stop worrying.",
    "My partner broke up with me and I am heartbroken.",
    "I am having problems with my friends and I feel left out.",
    "I lost my job and I feel hopeless about the future.",
    "I am overwhelmed by the pressure at school and I feel like a failure.",
    "I keep fighting with my parents and it makes me upset.",
    "Can you give me advice on how to deal with my relationship problems?",
    "I need some emotional support, I'm going through a hard time.",
    "I feel worthless and nobody understands me.",
    "How can I build my confidence and stop feeling so insecure?",
    "I'm feeling down and isolated because of the pandemic and lockdown.",
    "I can't see my family and friends and it is getting to me.",
    "Money is tight and I'm worried about how I'll get through the holidays.",
    "Hi, I'm not doing so well today, I've been feeling really low.",
)

TASK_PROTOTYPES: tuple[str, ...] = (
    "I want to book a table at a restaurant for tonight.",
    "Find me a flight to New York next Friday.",
    "Please reserve a hotel room for two nights.",
    "What's the weather going to be like tomorrow?",
    "How do I transfer money from my bank account?",
    "My card payment was declined, why?",
    "Why hasn't my refund arrived yet?",
    "Play some music by my favourite artist.",
    "Find me a movie showing near me this evening.",
    "Help me fix this error in my Python code.",
    "Write an email to schedule a meeting with my team.",
    "I need a ride to the airport, book a cab.",
    "Find me a therapist or a doctor in my city and book an appointment.",
    "Can you give me the phone number and address of the dentist?",
    "My top-up failed and the app won't verify my identity.",
    "Which countries do you support and what are the fees?",
    "Buy me tickets for the concert on Saturday.",
    "Set an alarm and add an event to my calendar.",
    "My contactless card is broken, how do I fix it?",
    "Why do you need so much personal information to verify my account?",
)


# --- concern lexicon ----------------------------------------------------------------------
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


# --- referral lexicon ---------------------------------------------------------------------
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

REFERRAL_PATTERNS: tuple[tuple[str, str], ...] = (
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


class LensSettings(BaseModel):
    """How the emotional-support lens scores conversations."""

    model_config = ConfigDict(extra="forbid")

    threshold: float = Field(
        0.001, ge=-2.0, le=2.0,
        description="A conversation is affective when affective_score >= threshold. "
                    "Calibrated on ESConv valid + BANKING77 train + SGD first half "
                    "(python -m bench.lens_eval --calibrate: the value that minimises the "
                    "worst share error at 3/10/30%); never on the evaluation split.",
    )
    calibration_tpr: float = Field(
        0.990, ge=0.0, le=1.0,
        description="Share of affective conversations flagged at the default threshold on "
                    "the calibration split (for adjusted_share).",
    )
    calibration_fpr: float = Field(
        0.0022, ge=0.0, le=1.0,
        description="Share of task conversations flagged at the default threshold on the "
                    "calibration split (for adjusted_share).",
    )
    top_k: int = Field(
        2, ge=1,
        description="Per class, the mean cosine of a text to its k most similar prototypes "
                    "(1: the max); chosen on the calibration split (k = 1, 2, 3, 5 tried).",
    )
    max_user_turns: int = Field(
        4, ge=1, description="User turns joined into the embedded text when the frame "
                             "has no request column (as tasks.facets does).",
    )
    max_request_chars: int = Field(
        600, ge=32, description="Characters kept of that text (as tasks.facets does).",
    )


# --- affective ----------------------------------------------------------------------------

@lru_cache(maxsize=4)
def _prototype_vectors(embedder_id: str, embedder) -> tuple[np.ndarray, np.ndarray]:
    # keyed by model id; the embedder object is only used on a miss
    return embedder.embed(list(AFFECTIVE_PROTOTYPES)), embedder.embed(list(TASK_PROTOTYPES))


def prototype_vectors(embedder) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors of (AFFECTIVE_PROTOTYPES, TASK_PROTOTYPES), cached per model id."""
    return _prototype_vectors(getattr(embedder, "model_id", repr(embedder)), embedder)


def scores_from_vectors(vectors: np.ndarray, affective: np.ndarray, task: np.ndarray,
                        top_k: int = 1) -> np.ndarray:
    """Affective score of already-embedded texts.

    Args:
        vectors: (n, d) unit float32 rows (e.g. the embed stage's output).
        affective: (a, d) unit prototype vectors of the affective class.
        task: (t, d) unit prototype vectors of the task class.
        top_k: per class, average the k highest cosines (1: the max; k >= the number of
            prototypes: the mean over all).

    Returns:
        (n,) float32: top-k mean cosine to affective minus top-k mean cosine to task.
    """
    if len(vectors) == 0:
        return np.zeros(0, dtype=np.float32)

    def top(sims: np.ndarray) -> np.ndarray:
        k = min(top_k, sims.shape[1])
        return np.sort(sims, axis=1)[:, -k:].mean(axis=1)

    return (top(vectors @ affective.T) - top(vectors @ task.T)).astype(np.float32)


@text_safe_errors("lens")
def affective_scores(texts: list[str], embedder, settings: LensSettings,
                     vectors: np.ndarray | None = None) -> np.ndarray:
    """Zero-shot affective score per text (higher: more affective).

    Args:
        texts: n requests (scrubbed user text).
        embedder: any ``tasks.embed.Embedder`` (unit float32 rows).
        settings: ``LensSettings`` (``top_k``).
        vectors: the texts' embeddings from the same embedder, to skip embedding again.

    Returns:
        (n,) float32 array; compare with ``settings.threshold``.
    """
    affective, task = prototype_vectors(embedder)
    if vectors is None:
        vectors = embedder.embed(list(texts)) if texts else np.zeros((0, affective.shape[1]),
                                                                    dtype=np.float32)
    return scores_from_vectors(vectors, affective, task, settings.top_k)


def adjusted_share(flags: np.ndarray, settings: LensSettings) -> float:
    """Affective share corrected for the facet's known error rates ("adjusted classify
    and count"): (observed - fpr) / (tpr - fpr), clipped to [0, 1].

    Args:
        flags: (n,) bool, the ``affective`` column.
        settings: ``LensSettings`` (``calibration_tpr``, ``calibration_fpr``; they hold
            for the default threshold only).

    Returns:
        The corrected share (the raw share when tpr <= fpr or n == 0).
    """
    observed = float(np.mean(flags)) if len(flags) else 0.0
    tpr, fpr = settings.calibration_tpr, settings.calibration_fpr
    if tpr <= fpr or not len(flags):
        return observed
    return float(min(1.0, max(0.0, (observed - fpr) / (tpr - fpr))))


# --- sentiment ----------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _compound(text: str) -> float:
    return float(_vader().polarity_scores(text)["compound"])


@text_safe_errors("lens")
def sentiment_trajectory(user_turns: list[list[str]]) -> tuple[np.ndarray, np.ndarray,
                                                               np.ndarray]:
    """VADER compound score of each conversation's first and last user turn.

    Empty turns are skipped; a conversation with no non-empty user turn scores 0, 0, 0.
    With one user turn, start == end and the shift is 0.

    Args:
        user_turns: per conversation, the user's messages in order.

    Returns:
        (start, end, shift) float32 arrays of shape (n,), each in [-1, 1] ([-2, 2] for
        shift = end - start).
    """
    n = len(user_turns)
    start, end = np.zeros(n, dtype=np.float32), np.zeros(n, dtype=np.float32)
    for i, turns in enumerate(user_turns):
        kept = [t for t in (turns or []) if t and t.strip()]
        if not kept:
            continue
        start[i] = _compound(kept[0])
        end[i] = start[i] if len(kept) == 1 else _compound(kept[-1])
    return start, end, (end - start).astype(np.float32)


# --- concern and referral -----------------------------------------------------------------

@lru_cache(maxsize=2)
def _compiled(patterns: tuple[tuple[str, str], ...]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for _, p in patterns), re.IGNORECASE)


def _normalise(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'")


def _any_match(turns_per_item: list[list[str]], patterns) -> np.ndarray:
    rx = _compiled(patterns)
    return np.array([any(rx.search(_normalise(t)) for t in (turns or []) if t)
                     for turns in turns_per_item], dtype=bool)


@text_safe_errors("lens")
def concern_flags(user_turns: list[list[str]]) -> np.ndarray:
    """True where any user turn matches ``CONCERN_PATTERNS`` (acute distress or crisis).

    Args:
        user_turns: per conversation, the user's messages.

    Returns:
        (n,) bool array.
    """
    return _any_match(user_turns, CONCERN_PATTERNS)


@text_safe_errors("lens")
def referral_flags(assistant_turns: list[list[str]]) -> np.ndarray:
    """True where any assistant turn matches ``REFERRAL_PATTERNS`` (points to human help).

    Args:
        assistant_turns: per conversation, the assistant's messages.

    Returns:
        (n,) bool array.
    """
    return _any_match(assistant_turns, REFERRAL_PATTERNS)


def matched_pattern_names(text: str, patterns) -> list[str]:
    """Names of the patterns that match ``text`` (for tests and audits; returns no text)."""
    return [name for name, p in patterns if re.search(p, _normalise(text), re.IGNORECASE)]


# --- frame --------------------------------------------------------------------------------

@text_safe_errors("lens")
def lens_facets(frame: pl.DataFrame, embedder, settings: LensSettings,
                vectors: np.ndarray | None = None) -> pl.DataFrame:
    """Add the lens columns (schema in the module docstring) to ``frame``.

    Args:
        frame: one row per conversation with ``user_turns`` and optionally
            ``assistant_turns`` and ``request``.
        embedder: any ``tasks.embed.Embedder``.
        settings: ``LensSettings``.
        vectors: the embed stage's (n, d) vectors of ``frame["request"]`` from the same
            embedder, to avoid embedding twice.

    Returns:
        ``frame`` with affective_score, affective, sentiment_start, sentiment_end,
        sentiment_shift, concern and referral.
    """
    from tasks.facets import build_request

    user_turns = frame["user_turns"].to_list()
    if "request" in frame.columns:
        texts = frame["request"].to_list()
    else:
        texts = [build_request(t or [], settings.max_user_turns, settings.max_request_chars)
                 for t in user_turns]
    scores = affective_scores(texts, embedder, settings, vectors)
    start, end, shift = sentiment_trajectory(user_turns)
    concern = concern_flags(user_turns)
    if "assistant_turns" in frame.columns:
        referral = pl.Series("referral", referral_flags(frame["assistant_turns"].to_list()),
                             dtype=pl.Boolean)
    else:
        log.warning("lens: no assistant_turns column; referral is null for %d rows",
                    frame.height)
        referral = pl.Series("referral", [None] * frame.height, dtype=pl.Boolean)
    affective = scores >= settings.threshold
    log.info("lens: %d conversations, %d affective, %d concern, %d referral",
             frame.height, int(affective.sum()), int(concern.sum()),
             int(referral.sum() or 0))
    return frame.with_columns(
        pl.Series("affective_score", scores, dtype=pl.Float32),
        pl.Series("affective", affective, dtype=pl.Boolean),
        pl.Series("sentiment_start", start, dtype=pl.Float32),
        pl.Series("sentiment_end", end, dtype=pl.Float32),
        pl.Series("sentiment_shift", shift, dtype=pl.Float32),
        pl.Series("concern", concern, dtype=pl.Boolean),
        referral,
    )
