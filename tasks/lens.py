"""The emotional-support lens: affective use, sentiment trajectory, concern, referral.

Four per-conversation facets, all computed offline and in memory (issue 5):

* **affective**: the person engages for emotional or psychological needs (interpersonal
  advice, coaching, counselling, companionship) rather than to get a task done. The
  request's embedding (the embed stage's vector: nothing is embedded twice) is scored by
  a small fitted model shipped as JSON (``LensSettings.affective_model``, written by
  ``python -m bench.lens_fit``): a logistic regression on the embedding plus a fixed
  weight times the zero-shot prototype margin, (mean cosine to the k nearest
  hand-written affective prototypes) - (the same for the task prototypes). It was fit
  on a training split only (ESConv train, SGD, BANKING77 and CLINC150 training parts,
  the prototype sentences) and its threshold chosen on a separate calibration split
  (``bench/lens_data.py``). With another embedder the prototype margin scores alone.
  ``affective = affective_score >= LensSettings.threshold``.
* **sentiment**: VADER compound score (-1..1) at the start and at the end (mean of the
  first / last two substantive user turns: pure greetings and thanks are skipped), and
  the shift (end - start).
* **concern**: signs of acute distress or crisis (self-harm, suicidal language) in the
  user's turns; a conservative regex lexicon (``CONCERN_PATTERNS``) that leaves idioms
  such as "this bug is killing me" or "I could kill for a coffee" alone.
* **referral**: the assistant's turns point the person to professional or human help
  (therapist, counsellor, doctor/GP, helpline, crisis line, trusted friends or family);
  a regex lexicon (``REFERRAL_PATTERNS``) over assistant messages.

Input of ``lens_facets`` (the facets stage's frame; any extra columns are kept)::

    user_turns List(Utf8)          the user's scrubbed messages in order (required)
    request Utf8                   what the embed stage embedded (required; built by
                                   tasks.facets)
    referral Boolean               computed by tasks.scrub from the raw assistant turns,
                                   which never leave the scrub stage (optional: without it
                                   ``referral`` is null)

Output adds::

    affective_score Float32   the fitted model's logit (or the shifted prototype margin
                              where no model applies; see affective_scores)
    affective Boolean         affective_score >= settings.threshold
    sentiment_start Float32   mean VADER compound of the first 2 substantive user turns
    sentiment_end Float32     the same of the last 2 (0, 0 when no user turn)
    sentiment_shift Float32   sentiment_end - sentiment_start
    concern Boolean           a CONCERN_PATTERNS match in any user turn
    referral Boolean          kept from the input: a REFERRAL_PATTERNS match in any
                              assistant turn (tasks.scrub); null when the input lacks it

Privacy: these functions read text and return numbers and booleans only. They never
log, store or raise with text (errors pass through ``text_safe_errors``); logs carry
counts only.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
import polars as pl
from chorus.core.errors import ChorusError, ConfigError, text_safe_errors
from chorus.core.lexicon import any_match
from chorus.core.rundata import RunData, required, run_data
from chorus.core.settings import EmbedSettings, LensSettings
from chorus.core.text import is_pleasantry
from tasks.embedders import build_embedder

log = logging.getLogger(__name__)

# --- prototypes ---------------------------------------------------------------------------
# Short first-person requests, phrased like what a person would write. Written by hand
# from the issue's definition (Clio / "How people use Claude for support, advice and
# companionship": interpersonal advice, coaching, counselling, companionship) and the
# article's topic list, never copied from an evaluation set. They serve twice: as the
# zero-shot prototypes, and as hand-written training examples of the fitted model
# (bench/lens_fit.py); editing them means refitting (tests check the fingerprint).

AFFECTIVE_PROTOTYPES: tuple[str, ...] = (
    # low mood, depression, anxiety, burnout
    "I feel so sad and lonely, I just need someone to talk to.",
    "I have been really depressed lately and I don't know how to cope.",
    "I am anxious and stressed all the time and I can't stop worrying.",
    "Hi, I'm not doing so well today, I've been feeling really low.",
    "I feel empty and unmotivated, nothing makes me happy anymore.",
    "I feel worthless and nobody understands me.",
    "I keep crying and I don't know why, everything feels like too much.",
    "I've been having panic attacks and I'm scared of the next one.",
    "I lie awake every night worrying and I'm exhausted during the day.",
    "I feel burnt out, I have no energy left for anything I used to enjoy.",
    "honestly i just feel numb lately and i dont know who to tell",
    "Everything is going wrong at once and I feel like I'm drowning.",
    "I've lost interest in my hobbies and it feels like a chore to do anything.",
    "How do I stop overthinking every little thing I said today?",
    # loneliness, companionship
    "I don't have anyone to talk to, can you just chat with me for a while?",
    "I moved to a new city and I feel completely alone.",
    "I'm feeling down and isolated because of the pandemic and lockdown.",
    "I can't see my family and friends and it is getting to me.",
    "Nobody ever texts me first, I feel like I don't matter to anyone.",
    "It's my birthday and no one remembered, I feel so invisible.",
    # romantic relationships
    "My partner broke up with me and I am heartbroken.",
    "I think my boyfriend is cheating on me and I don't know what to do.",
    "My wife and I argue all the time and I feel our marriage is falling apart.",
    "Can you give me advice on how to deal with my relationship problems?",
    "I still miss my ex and I can't move on.",
    "My girlfriend says I'm too distant and I don't know how to open up to her.",
    "How do I tell my husband that I feel unappreciated without starting a fight?",
    # friends, family
    "I am having problems with my friends and I feel left out.",
    "My best friend stopped talking to me and it really hurts.",
    "I keep fighting with my parents and it makes me upset.",
    "My family doesn't support my choices and I feel like an outsider at home.",
    "My sister said something hurtful and I don't know whether to confront her.",
    "A friend betrayed my trust and I can't stop feeling angry about it.",
    # parenting
    "I'm worried about my teenage son, he won't talk to me anymore.",
    "My toddler's tantrums are wearing me down and I feel like a bad parent.",
    "How do I support my daughter who is being bullied at school?",
    "I feel guilty that I snap at my kids when I'm tired.",
    "My child is anxious about starting a new school, how can I reassure her?",
    # grief, loss
    "My mother passed away last month and I can't stop thinking about her.",
    "My dog died and I'm devastated, the house feels so empty.",
    "It's been a year since my dad died and the grief still hits me out of nowhere.",
    # work, career
    "My boss keeps criticising me in front of everyone and I dread going to work.",
    "I had a conflict with a coworker and I don't know how to handle it.",
    "A colleague takes credit for my work and I feel too anxious to say anything.",
    "I lost my job and I feel hopeless about the future.",
    "I'm anxious about my career, I don't know if I chose the right path.",
    "I'm scared I'll never find a job and I feel like a failure.",
    "Should I quit my job? I'm unhappy there but afraid to leave.",
    "I got passed over for a promotion again and I'm starting to doubt myself.",
    "I feel like an impostor at my new job and I'm afraid they'll find out.",
    # school, exams
    "I am overwhelmed by the pressure at school and I feel like a failure.",
    "I'm so stressed about my exams that I can't concentrate or sleep.",
    "I failed my test and I'm scared to tell my parents.",
    # self-esteem, coaching, life direction
    "How can I build my confidence and stop feeling so insecure?",
    "I want to stop procrastinating and be kinder to myself, can you coach me through it?",
    "I feel stuck in life and I don't know what I want anymore.",
    "I get so angry and I say things I regret, how can I control my temper?",
    "I hate how I look and it's affecting everything.",
    "I'm so nervous about social situations that I avoid going out.",
    # money, health, home worries framed emotionally
    "Money is tight and I'm worried about how I'll get through the holidays.",
    "I'm drowning in debt and the stress is affecting my sleep and my marriage.",
    "I'm terrified that something is wrong with my health and I can't stop worrying.",
    "My noisy neighbours are making me miserable and I feel trapped in my own home.",
    "I'm dreading moving house, leaving everyone behind makes me so sad.",
    # support-seeking and closing
    "I need some emotional support, I'm going through a hard time.",
    "Thank you for listening, it really helps to talk about how I feel.",
    "I just needed to vent, thanks for being here.",
)

# Task-oriented requests, including worried-sounding service queries (a lost card is a
# banking task) and small talk: chit-chat is not affective use.
TASK_PROTOTYPES: tuple[str, ...] = (
    # restaurants, travel, events, media, home services
    "I want to book a table at a restaurant for tonight.",
    "Find me a flight to New York next Friday.",
    "Please reserve a hotel room for two nights.",
    "I need a rental car at the airport from Monday to Thursday.",
    "Get me two bus tickets to Seattle for tomorrow morning.",
    "I need a ride to the airport, book a cab for 3 people.",
    "Buy me tickets for the concert on Saturday.",
    "Find me a movie showing near me this evening.",
    "Play some music by my favourite artist.",
    "What's the weather going to be like tomorrow?",
    "Set an alarm for 7 am and add an event to my calendar.",
    "Find me a house to rent with three bedrooms.",
    "Find me a therapist or a doctor in my city and book an appointment.",
    "Can you give me the phone number and address of the dentist?",
    "Plan a three-day itinerary for a trip to Rome.",
    "What are some fun things to do in Paris with kids?",
    # banking, payments
    "How do I transfer money from my bank account?",
    "My card payment was declined, why?",
    "Why hasn't my refund arrived yet?",
    "My top-up failed and the app won't verify my identity.",
    "Which countries do you support and what are the fees?",
    "My contactless card is broken, how do I fix it?",
    "Why do you need so much personal information to verify my account?",
    "I'm worried someone used my card without my permission, there's a payment I don't recognise.",
    "Help, I lost my card and I'm panicking, how do I freeze it?",
    "The ATM took my card and didn't give me any cash.",
    "What exchange rate do you use when I pay in another currency?",
    "I'm annoyed that I was charged a fee for a transfer, can you explain it?",
    "How old do you have to be to open an account?",
    "Is there a limit on how much I can top up?",
    "Can I change the name on my account after getting married?",
    "How do I get a virtual card?",
    # coding, data, writing
    "Help me fix this error in my Python code.",
    "Why does my JavaScript function return undefined?",
    "Write a SQL query that counts orders per customer.",
    "Make a spreadsheet formula that adds up column B if column A says yes.",
    "Write an email to schedule a meeting with my team.",
    "Write a polite email to my landlord asking to fix the heating.",
    "Proofread my cover letter and make it more professional.",
    "Summarise this article in three bullet points.",
    "Translate this paragraph into Spanish.",
    "Give me a catchy title for my blog post about gardening.",
    # recipes, home, shopping
    "Give me a recipe for chocolate chip cookies.",
    "What can I cook for dinner with chicken and rice?",
    "Make me a weekly meal plan with a shopping list.",
    "How do I fix a leaking tap in the kitchen?",
    "How often should I water a cactus?",
    "Recommend a good laptop under 800 dollars.",
    "How much does this jacket cost, and do you have it in blue?",
    "My phone won't turn on after the update, what should I try?",
    # factual, homework, health facts, admin
    "What is the capital of Australia?",
    "Explain how photosynthesis works.",
    "Solve this equation for x: 3x + 5 = 20.",
    "Who won the World Cup in 2014?",
    "What are the symptoms of the flu and how long does it last?",
    "How many calories are in a banana?",
    "What documents do I need to renew my passport?",
    "How do I file my tax return online?",
    "Convert 5 miles to kilometres.",
    "Make me a beginner workout plan for three days a week.",
    # small talk, chit-chat (not seeking emotional support)
    "Hi there, how are you doing today?",
    "Tell me a joke.",
    "What's your favourite movie?",
    "Are you a robot or a real person?",
    "Did you watch the football game last night? What a match!",
    "How about going for a few beers after dinner?",
    "What are you doing this weekend? Want to go to the beach?",
    "I went shopping yesterday and bought a new dress, it was on sale.",
    "Excuse me, how can I get to the train station from here?",
    "Nice weather today, isn't it? I love spring.",
    "Thanks for your help, goodbye!",
    "Let's play a word game.",
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


# --- the fitted model ----------------------------------------------------------------------
# A logistic regression on the request embedding, with the prototype margin as one more
# feature: score = vector . coef + intercept + prototype_weight * margin (a logit). Fitted
# by bench/lens_fit.py on a training split only (see its docstring); shipped as JSON.

MODEL_FORMAT = 1


def prototype_fingerprint() -> str:
    """Short hash of the prototype lists (the fitted model records the one it was fit with)."""
    joined = "\n".join(AFFECTIVE_PROTOTYPES) + "\x00" + "\n".join(TASK_PROTOTYPES)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


class AffectiveModel(NamedTuple):
    """The fitted scorer read from ``LensSettings.affective_model``."""

    coef: np.ndarray          # (d,) float32
    intercept: float
    prototype_weight: float
    top_k: int
    embedder_model_id: str
    prototypes: str           # prototype_fingerprint() at fit time


def _model_path(path: str) -> Path:
    from chorus.core.env import PROJECT_ROOT

    p = Path(path)
    return p if p.is_absolute() else PROJECT_ROOT / p


@lru_cache(maxsize=4)
def load_affective_model(path: str) -> AffectiveModel:
    """Read a model file written by ``bench.lens_fit`` (cached per path).

    Raises:
        ConfigError: the file is missing or malformed.
    """
    file = _model_path(path)
    try:
        doc = json.loads(file.read_text(encoding="utf-8"))
        if doc.get("format") != MODEL_FORMAT:
            raise ValueError(f"format {doc.get('format')!r}, expected {MODEL_FORMAT}")
        coef = np.asarray(doc["coef"], dtype=np.float32)
        if coef.ndim != 1 or len(coef) != int(doc["dim"]):
            raise ValueError("coef length does not match dim")
        return AffectiveModel(coef, float(doc["intercept"]), float(doc["prototype_weight"]),
                              int(doc["top_k"]), str(doc["embedder_model_id"]),
                              str(doc["prototypes"]))
    except FileNotFoundError:
        raise ConfigError(f"lens.affective_model: {file} not found (python -m "
                          "bench.lens_fit writes it; empty: prototypes only)") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"lens.affective_model: {file} is not a lens model ({exc})") from None


def applicable_model(embedder, settings: LensSettings, dim: int) -> AffectiveModel | None:
    """The fitted model, or None where it does not apply (no model configured, or an
    embedder other than the one it was fit with: then the prototypes score alone)."""
    if not settings.affective_model:
        return None
    model = load_affective_model(settings.affective_model)
    model_id = getattr(embedder, "model_id", None)
    if model.embedder_model_id != model_id or len(model.coef) != dim:
        _warn_once(f"lens: affective model fit for embedder {model.embedder_model_id!r} "
                   f"(dim {len(model.coef)}), not {model_id!r} (dim {dim}); scoring with "
                   "the prototypes alone (prototype_threshold)")
        return None
    if model.prototypes != prototype_fingerprint():
        _warn_once("lens: the prototype lists changed since the affective model was fit; "
                   "refit it (python -m bench.lens_fit)")
    return model


@lru_cache(maxsize=8)
def _warn_once(message: str) -> None:
    log.warning(message)  # model ids and counts only, never text


def model_scores_from_vectors(vectors: np.ndarray, model: AffectiveModel,
                              affective: np.ndarray, task: np.ndarray) -> np.ndarray:
    """The fitted model's logit for already-embedded texts (higher: more affective)."""
    if len(vectors) == 0:
        return np.zeros(0, dtype=np.float32)
    margin = scores_from_vectors(vectors, affective, task, model.top_k)
    return (vectors @ model.coef + model.intercept
            + model.prototype_weight * margin).astype(np.float32)


@text_safe_errors("lens")
def affective_scores(texts: list[str], embedder, settings: LensSettings,
                     vectors: np.ndarray | None = None) -> np.ndarray:
    """Affective score per text (higher: more affective); affective = score >= threshold.

    With the fitted model (``settings.affective_model``, fit for this embedder): its logit.
    Otherwise the zero-shot prototype margin (``scores_from_vectors`` with
    ``settings.top_k``) shifted by ``threshold - prototype_threshold``.

    Args:
        texts: n requests (scrubbed user text).
        embedder: any ``tasks.embed.Embedder`` (unit float32 rows).
        settings: ``LensSettings``.
        vectors: the texts' embeddings from the same embedder, to skip embedding again.

    Returns:
        (n,) float32 array; compare with ``settings.threshold``.

    Raises:
        ConfigError: ``settings.affective_model`` names a missing or malformed file.
    """
    affective, task = prototype_vectors(embedder)
    if vectors is None:
        vectors = embedder.embed(list(texts)) if texts else np.zeros((0, affective.shape[1]),
                                                                    dtype=np.float32)
    model = applicable_model(embedder, settings, affective.shape[1])
    if model is not None:
        return model_scores_from_vectors(vectors, model, affective, task)
    margin = scores_from_vectors(vectors, affective, task, settings.top_k)
    return (margin + np.float32(settings.threshold - settings.prototype_threshold)).astype(
        np.float32)


# --- sentiment ----------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _compound(text: str) -> float:
    return float(_vader().polarity_scores(text)["compound"])


# Turns made only of greetings, thanks and acknowledgements ("hi", "thank you so much!",
# "ok bye") say little about how the person feels: skipped when the conversation has other
# turns. One definition for the whole project: chorus.core.text.is_pleasantry.
SENTIMENT_WINDOW = 2  # user turns averaged at each end


@text_safe_errors("lens")
def sentiment_trajectory(user_turns: list[list[str]]) -> tuple[np.ndarray, np.ndarray,
                                                               np.ndarray]:
    """The user's expressed sentiment at the start and at the end of each conversation.

    VADER compound score (-1..1) averaged over the first ``SENTIMENT_WINDOW`` and over the
    last ``SENTIMENT_WINDOW`` substantive user turns: empty turns are dropped, and so are
    turns made only of greetings/thanks/acknowledgements (``is_pleasantry``) unless
    nothing else is left. The window shrinks to half the turns so the two never overlap
    (2-3 turns: first vs last; one turn: start == end, shift 0). No non-empty turn:
    0, 0, 0.

    Args:
        user_turns: per conversation, the user's messages in order.

    Returns:
        (start, end, shift) float32 arrays of shape (n,), each in [-1, 1] ([-2, 2] for
        shift = end - start).
    """
    n, k = len(user_turns), SENTIMENT_WINDOW
    start, end = np.zeros(n, dtype=np.float32), np.zeros(n, dtype=np.float32)
    for i, turns in enumerate(user_turns):
        kept = [t for t in (turns or []) if t and t.strip()]
        kept = [t for t in kept if not is_pleasantry(t)] or kept
        if not kept:
            continue
        scores = [_compound(t) for t in kept]
        w = max(1, min(k, len(scores) // 2))  # the two windows never overlap
        start[i] = np.mean(scores[:w])
        end[i] = start[i] if len(scores) == 1 else np.mean(scores[-w:])
    return start, end, (end - start).astype(np.float32)


# --- concern and referral -----------------------------------------------------------------

@text_safe_errors("lens")
def concern_flags(user_turns: list[list[str]]) -> np.ndarray:
    """True where any user turn matches ``CONCERN_PATTERNS`` (acute distress or crisis).

    Args:
        user_turns: per conversation, the user's messages.

    Returns:
        (n,) bool array.
    """
    return any_match(user_turns, CONCERN_PATTERNS)


# --- frame --------------------------------------------------------------------------------

@text_safe_errors("lens")
def lens_facets(frame: pl.DataFrame, embedder, settings: LensSettings,
                vectors: np.ndarray | None = None) -> pl.DataFrame:
    """Add the lens columns (schema in the module docstring) to ``frame``.

    Args:
        frame: one row per conversation with ``user_turns``, ``request`` and optionally
            ``referral`` (the facets stage's frame).
        embedder: any ``tasks.embed.Embedder``.
        settings: ``LensSettings``.
        vectors: the embed stage's (n, d) vectors of ``frame["request"]`` from the same
            embedder, to avoid embedding twice.

    Returns:
        ``frame`` with affective_score, affective, sentiment_start, sentiment_end,
        sentiment_shift, concern and referral.

    Raises:
        ChorusError: the frame lacks ``user_turns`` or ``request``, or ``vectors`` has
            another row count.
    """
    missing = [c for c in ("user_turns", "request") if c not in frame.columns]
    if missing:
        raise ChorusError(f"lens: input frame lacks columns {missing}")
    if vectors is not None and len(vectors) != frame.height:
        raise ChorusError(f"lens: {len(vectors)} vectors for {frame.height} rows")
    user_turns = frame["user_turns"].to_list()
    scores = affective_scores(frame["request"].to_list(), embedder, settings, vectors)
    start, end, shift = sentiment_trajectory(user_turns)
    concern = concern_flags(user_turns)
    if "referral" in frame.columns:
        referral = frame["referral"].cast(pl.Boolean)
    else:
        log.warning("lens: no referral column; referral is null for %d rows", frame.height)
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
        referral.alias("referral"),
    )


def lens_counts(frame: pl.DataFrame) -> dict[str, int]:
    """Counts of a frame with the lens columns (for logs and the task's result)."""
    return {"conversations": frame.height,
            "affective": int(frame["affective"].sum()),
            "concern": int(frame["concern"].sum()),
            "referral": int(frame["referral"].fill_null(False).sum())}


# --- Prefect layer -----------------------------------------------------------------------

from prefect import task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.logging import get_run_logger  # noqa: E402


LENS_COLUMNS = ("affective_score", "affective", "sentiment_start", "sentiment_end",
                "sentiment_shift", "concern")  # what the lens adds; referral comes from scrub


def lens_stage(data: RunData, settings: LensSettings, embed_settings: EmbedSettings) -> dict[str, int]:
    """``data.facets`` + ``data.embeddings`` -> ``data.lens`` (``LENS_COLUMNS``, row-aligned
    with facets); counts. Reuses the embed stage's vectors; the embedder is built only to
    embed the prototypes (cached per model id in this process)."""
    facets = required(data.facets, "facets", data.run_id)
    frame = lens_facets(facets, build_embedder(embed_settings), settings,
                        required(data.embeddings, "embeddings", data.run_id))
    data.lens = frame.select(LENS_COLUMNS)
    return lens_counts(frame)


@task(name="lens", cache_policy=NO_CACHE, persist_result=False)
def lens_task(run_id: str, settings: LensSettings, embed_settings: EmbedSettings) -> dict[str, int]:
    """``lens_stage`` on the run's data; returns counts only."""
    t0 = time.perf_counter()
    counts = lens_stage(run_data(run_id), settings, embed_settings)
    get_run_logger().info(
        "lens: %d conversations, %d affective, %d concern, %d referral in %.2f s",
        counts["conversations"], counts["affective"], counts["concern"], counts["referral"],
        time.perf_counter() - t0)
    return counts
