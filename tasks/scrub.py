"""Scrub stage: replace personal data in user turns with ``<ENTITY_TYPE>`` placeholders.

The first stage that touches conversation text. It keeps only the user turns (assistant
turns are counted and read once for the lens's ``referral`` flag, never passed on: see
``scrub_conversations``), finds PII with Presidio (spaCy NER plus pattern
recognizers plus Chorus's own recognizers listed in ``configs/recognizers.yaml``) and
replaces every detected span with its type, e.g. ``<PERSON>``. Downstream stages see
scrubbed user text only; the stage also returns per-type counts (aggregates only).

Entity types scrubbed by default, and why:

* ``PERSON`` - names; spaCy NER plus ``PersonContextRecognizer`` (names after chat
  cues: "my manager Tom Becker", "I'm Dave", "Dear Mr Patel", "a reply to Ingrid
  Rodriguez") and ``FirstNameRecognizer`` (listed common first names and the surname
  after them): spaCy types many chat names ORG, which is not scrubbed.
* ``EMAIL_ADDRESS``, ``PHONE_NUMBER``, ``CREDIT_CARD``, ``IP_ADDRESS``, ``URL`` -
  direct identifiers with reliable pattern recognizers (emails are often also typed
  URL; both are scrubbed and the overlap becomes one placeholder). URLs are scrubbed
  whole: a path or query often carries a user name or a document id.
  ``PhoneFormatRecognizer`` adds phone shapes ``phonenumbers`` rejects as invalid
  ("(556) 680-1788"), which were 12% of planted phone numbers.
  ``PersonInitialRecognizer`` ("First M. Last") and ``NameListRecognizer`` (every
  member of "X, Y and Z" once one is a known first name) were added from the
  evaluation on Presidio's synthetic set; ``PhoneWithLabelRecognizer``,
  ``PhoneAfterCueRecognizer`` and ``CardAfterCueRecognizer`` catch numbers announced
  by a label or cue.
* ``STREET_ADDRESS`` (custom) - Presidio has none and spaCy leaves house numbers,
  street names and ZIPs readable about half of the time. ``StreetAddressRecognizer``
  (US/UK), ``IntlStreetAddressRecognizer`` (European shapes) and
  ``PostalBoxRecognizer`` (P.O. boxes, military, flat numbers) share the address tail
  of ``_address_parts`` (city / country / postcode lines of a pasted address).
  ``CountryRecognizer`` exists but is disabled in ``configs/recognizers.yaml``: it
  emits LOCATION without spaCy, which the pattern-only mode does not expect yet.
* ``POSTAL_CODE`` (custom) - a UK postcode names a few dozen households.
* ``LOCATION`` - spaCy GPE/LOC/FAC: quasi-identifying (a town plus a job title can
  single a person out). It costs some topic detail ("a trip to <LOCATION>"), accepted.
* ``US_SSN``, ``IBAN_CODE``, ``CRYPTO`` - national id, bank account and wallet address:
  cheap patterns with checksums or strict formats, rarely a false positive.
* ``US_PASSPORT``, ``US_DRIVER_LICENSE``, ``US_ITIN``, ``US_BANK_NUMBER``,
  ``MEDICAL_LICENSE`` - cheap patterns that score below the threshold unless a cue word
  ("passport", "license", "account") is near, so they only fire when the number is
  announced as such.

Excluded: ``DATE_TIME`` (mostly "Monday", "tomorrow", version numbers; a bare date
rarely identifies anyone and dates carry topic meaning), ``ORGANIZATION`` (spaCy's ORG
fires on "SSH", "Python", "Excel": it would wipe out the topics; it is also in
Presidio's ``labels_to_ignore``), ``NRP`` (nationality/religion/politics: sensitive but
not identifying, and topical), ``UK_NHS`` (its checksum accepts one in eleven ten-digit
phone numbers, which PHONE_NUMBER covers anyway), ``MAC_ADDRESS``/``UUID`` (machine ids
in pasted logs, not people), and the other country-specific ids (AU/IN/SG/ES/IT/PL/...:
not loaded for English by Presidio's default registry).

Measured on 2 cores (no GPU, load average ~1 from other work), en_core_web_sm, 2,000
synthetic conversations of 3 user turns of ~25-40 words with one planted identifier per
turn (names, emails, US/UK phones, US/UK addresses, cards, IPs, URLs), batch 64:

* parser disabled (default): 81 conversations/s, 243 user messages/s; with the parser
  71 conversations/s, 215 messages/s (+13% without it, identical output). Disabling
  tagger/attribute_ruler/lemmatizer too gives 95 conversations/s but empties the lemmas
  Presidio's context words need ("passport", "phone"), so they stay on. One document
  per conversation is ~7% faster than one per message (75 conversations/s). Time
  splits ~2/3 spaCy, ~1/3 Presidio recognizers (phonenumbers and context scoring).
* planted values removed verbatim: 100% (6,000/6,000) with names from common-name
  lists; 99.0% with 30 rare held-out first names (PERSON 97.4%: names spaCy types ORG
  with no cue nearby, e.g. "Cosima Quispe from accounts says"). Presidio's predefined
  recognizers alone: 91.4% (PERSON 97.8%, 85% with the rare names; PHONE 88.8%;
  STREET_ADDRESS 71% verbatim, 34% of address tokens), at 87 conversations/s.
  Placeholders written ~= values planted (little over-masking), but
  the templates were written alongside the recognizers: expect lower recall on real
  chat, notably lower-case names ("my friend john"), which only spaCy can catch.
* spaCy's small model still masks some topic words (PERSON "Learning Spanish",
  "Convert 350 F"; LOCATION "Strict Mode"); ``allow_list`` keeps the common technology
  names ("Docker", "React", "C++" were masked without it).

The analyzer is built offline from the installed spaCy package named by
``ScrubSettings.spacy_model`` and is cached per process: a plain ``AnalyzerEngine()``
would try to download ``en_core_web_lg``; ``build_analyzer`` never downloads anything.
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.exceptions import MissingContextError
from presidio_analyzer import (
    AnalyzerEngine,
    BatchAnalyzerEngine,
    RecognizerResult,
)
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import RecognizerResult as AnonymizerSpan
from tqdm.auto import tqdm

from chorus.core.errors import ChorusError, text_safe_errors
from chorus.core.lexicon import any_match
from chorus.core.rundata import RunData, required, run_data
from chorus.core.schemas import PII_COUNTS_SCHEMA, SCRUBBED_SCHEMA
from chorus.core.settings import ScrubSettings
from tasks.recognizers.analyzer import LANGUAGE, build_analyzer, effective_entities

log = logging.getLogger(__name__)

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


@text_safe_errors("scrub")
def referral_flags(assistant_turns: list[list[str]]) -> np.ndarray:
    """True where any assistant turn matches ``REFERRAL_PATTERNS`` (points to human help).

    Args:
        assistant_turns: per conversation, the assistant's messages.

    Returns:
        (n,) bool array.
    """
    return any_match(assistant_turns, REFERRAL_PATTERNS)


# Joins a conversation's user turns into one document. Turns are mapped back by
# character offsets, not by splitting on this string, so a separator typed inside a
# turn or an entity that spans two turns cannot misalign them.
TURN_SEPARATOR = "\n\n"

INPUT_COLUMNS = ("conversation_id", "user_id", "created_at", "messages")

# ------------------------------------------------------------------------- scrubbing


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` typed with an entity type."""

    start: int
    end: int
    entity_type: str
    score: float


# Tie-break between equally long overlapping spans: NER's LOCATION yields to a pattern
# recognizer's type (a name after "my name is" is a PERSON even if spaCy says GPE).
_TIE_PRIORITY: dict[str, int] = {"LOCATION": -1}


def merge_spans(results: Sequence[RecognizerResult], text: str) -> list[Span]:
    """Resolve analyzer results into disjoint spans that cover their union.

    Overlapping results become one span covering all of them (no character any
    recognizer flagged stays readable), typed by the member covering most characters
    (ties: LOCATION loses - spaCy types many names LOCATION, e.g. "My name is Xiomara
    Quispe" - then higher score, then type name). Then neighbouring spans of the same type
    separated only by spaces or tabs are joined ("Tom" + "Becker" -> one ``<PERSON>``).

    Args:
        results: Analyzer results for ``text``.
        text: The analyzed text (read for the gaps between spans only).

    Returns:
        Disjoint spans sorted by start.
    """
    ordered = sorted(
        (r for r in results if r.end > r.start), key=lambda r: (r.start, -r.end)
    )
    merged: list[Span] = []
    group: list[RecognizerResult] = []
    group_end = -1

    def close(members: list[RecognizerResult]) -> None:
        best = max(
            members,
            key=lambda r: (
                r.end - r.start, _TIE_PRIORITY.get(r.entity_type, 0), r.score, r.entity_type
            ),
        )
        merged.append(
            Span(members[0].start, max(m.end for m in members), best.entity_type,
                 max(m.score for m in members))
        )

    for result in ordered:
        if group and result.start < group_end:
            group.append(result)
            group_end = max(group_end, result.end)
            continue
        if group:
            close(group)
        group, group_end = [result], result.end
    if group:
        close(group)

    joined: list[Span] = []
    for span in merged:
        if joined:
            last = joined[-1]
            gap = text[last.end:span.start]
            if span.entity_type == last.entity_type and gap and not gap.strip(" \t"):
                joined[-1] = Span(last.start, span.end, last.entity_type,
                                  max(last.score, span.score))
                continue
        joined.append(span)
    return joined


_ANONYMIZER: AnonymizerEngine | None = None


def _anonymizer() -> AnonymizerEngine:
    global _ANONYMIZER
    if _ANONYMIZER is None:
        _ANONYMIZER = AnonymizerEngine()
    return _ANONYMIZER


def _apply_spans(text: str, spans: Sequence[Span]) -> tuple[str, list[str]]:
    """Replace each span with ``<ENTITY_TYPE>`` (Presidio's default replace operator)."""
    if not spans:
        return text, []
    result = _anonymizer().anonymize(
        text=text,
        analyzer_results=[
            AnonymizerSpan(s.entity_type, s.start, s.end, s.score) for s in spans
        ],
        merge_entities_with_spaces=False,  # merge_spans already did it
    )
    items = sorted(result.items, key=lambda item: item.start)
    return result.text, [item.entity_type for item in items]


def _analyze_spans(
    docs: Sequence[str], analyzer: AnalyzerEngine, settings: ScrubSettings
) -> Iterator[list[Span]]:
    """Yield the merged spans of each document, in order, batched through spaCy."""
    entities = effective_entities(analyzer, settings.entities)
    batch_engine = BatchAnalyzerEngine(analyzer)
    size = settings.batch_size
    with tqdm(
        total=len(docs), unit="doc", desc="scrub", disable=not (settings.progress and sys.stderr.isatty()),
        leave=False,
    ) as bar:
        for first in range(0, len(docs), size):
            chunk = list(docs[first:first + size])
            batch_results = batch_engine.analyze_iterator(
                chunk,
                language=LANGUAGE,
                batch_size=size,
                entities=entities,
                score_threshold=settings.score_threshold,
                allow_list=settings.allow_list or None,
            )
            for text, results in zip(chunk, batch_results, strict=True):
                yield merge_spans(results, text)
            bar.update(len(chunk))


@text_safe_errors("scrub")
def scrub_texts(
    texts: list[str], analyzer: AnalyzerEngine, settings: ScrubSettings
) -> tuple[list[str], list[list[str]]]:
    """Scrub independent texts.

    Args:
        texts: Texts to scrub (``None`` is read as the empty string).
        analyzer: From ``build_analyzer``.
        settings: Stage settings (entities, threshold, batch size, progress).

    Returns:
        The scrubbed texts, each detected span replaced by ``<ENTITY_TYPE>``, and per
        text the entity types replaced, in text order.

    Raises:
        ConfigError: A requested entity type is unsupported.
        StageError: Anything else failed (the original message is withheld).
    """
    docs = ["" if t is None else str(t) for t in texts]
    scrubbed: list[str] = []
    types: list[list[str]] = []
    for text, spans in zip(docs, _analyze_spans(docs, analyzer, settings), strict=True):
        new_text, replaced = _apply_spans(text, spans)
        scrubbed.append(new_text)
        types.append(replaced)
    return scrubbed, types


def _clip(spans: Sequence[Span], start: int, end: int) -> list[Span]:
    """The parts of ``spans`` inside ``[start, end)``, re-based to ``start``."""
    clipped = []
    for s in spans:
        lo, hi = max(s.start, start), min(s.end, end)
        if lo < hi:
            clipped.append(Span(lo - start, hi - start, s.entity_type, s.score))
    return clipped


@dataclass(slots=True)
class _Doc:
    conversation: int
    first_turn: int
    turn_bounds: list[tuple[int, int]]  # [start, end) of each turn inside the doc


def _plan_docs(
    user_turns: Sequence[Sequence[str]], max_doc_chars: int
) -> tuple[list[str], list[_Doc], int]:
    """Join each conversation's turns into one document (or one per turn if too long)."""
    texts: list[str] = []
    plan: list[_Doc] = []
    n_split = 0
    for conv, turns in enumerate(user_turns):
        if not turns:
            continue
        joined_len = sum(len(t) for t in turns) + len(TURN_SEPARATOR) * (len(turns) - 1)
        if len(turns) > 1 and joined_len > max_doc_chars:
            n_split += 1
            for i, turn in enumerate(turns):
                texts.append(turn)
                plan.append(_Doc(conv, i, [(0, len(turn))]))
            continue
        bounds, pos = [], 0
        for turn in turns:
            bounds.append((pos, pos + len(turn)))
            pos += len(turn) + len(TURN_SEPARATOR)
        texts.append(TURN_SEPARATOR.join(turns))
        plan.append(_Doc(conv, 0, bounds))
    return texts, plan, n_split


def _check_input(frame: pl.DataFrame) -> None:
    missing = [c for c in INPUT_COLUMNS if c not in frame.columns]
    if missing:
        raise ChorusError(f"scrub: input frame lacks columns {missing}")
    messages = frame.schema["messages"]
    inner = getattr(messages, "inner", None)
    if not isinstance(messages, pl.List) or not isinstance(inner, pl.Struct) or not {
        "role", "content"
    } <= {f.name for f in inner.fields}:
        raise ChorusError(
            "scrub: column 'messages' must be List(Struct{role: Utf8, content: Utf8})"
        )


@text_safe_errors("scrub")
def scrub_conversations(
    frame: pl.DataFrame, analyzer: AnalyzerEngine, settings: ScrubSettings
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Scrub the user turns of conversations; drop the assistant turns.

    The assistant turns are read here, raw and in memory, for one thing only: the lens's
    ``referral`` flag (``referral_flags``: does the assistant point the person
    to professional or human help). Only that Boolean leaves this function; no assistant
    text does.

    Each conversation's user turns are analyzed as one document (joined with
    ``TURN_SEPARATOR``) so that a name introduced in one turn is in the NER context of
    the next; spans are mapped back to turns by offset (a span crossing a turn boundary
    is cut in two, both parts scrubbed). Conversations longer than
    ``settings.max_doc_chars`` are analyzed turn by turn.

    Args:
        frame: ``conversation_id`` Utf8, ``user_id`` Utf8, ``created_at``
            Datetime(us, UTC), ``messages`` List(Struct{role: Utf8, content: Utf8}).
            Roles other than ``user`` and ``assistant`` (e.g. ``system``) are dropped;
            a null content reads as "".
        analyzer: From ``build_analyzer``.
        settings: Stage settings.

    Returns:
        ``scrubbed``: ``conversation_id`` Utf8, ``user_id`` Utf8, ``created_at``
        Datetime(us, UTC), ``user_turns`` List(Utf8) (scrubbed user messages in order),
        ``n_user_turns`` UInt32, ``n_assistant_turns`` UInt32, ``referral`` Boolean
        (an assistant turn matches ``REFERRAL_PATTERNS``; False without
        assistant turns); one row per input row, same order.

        ``pii_counts``: ``entity_type`` Utf8, ``n_entities`` UInt64 (placeholders
        written), ``n_conversations`` UInt64 and ``n_users`` UInt64 (distinct ones with
        at least one); one row per scrubbed entity type (zeros included), sorted by
        type.

    Raises:
        ChorusError: The frame lacks a column or ``messages`` has the wrong type.
        ConfigError: A requested entity type is unsupported.
        StageError: Anything else failed (the original message is withheld).
    """
    _check_input(frame)
    role = pl.element().struct.field("role").str.to_lowercase()
    prepared = frame.select(
        pl.col("conversation_id").cast(pl.Utf8),
        pl.col("user_id").cast(pl.Utf8),
        pl.col("created_at").cast(pl.Datetime("us", "UTC")),
        pl.col("messages")
        .list.eval(pl.element().filter(role == "user").struct.field("content"))
        .alias("_user_texts"),
        pl.col("messages")
        .list.eval(pl.element().filter(role == "assistant").struct.field("content"))
        .alias("_assistant_texts"),
        pl.col("messages")
        .list.eval((role == "user").cast(pl.UInt32))
        .list.sum()
        .fill_null(0)
        .cast(pl.UInt32)
        .alias("n_user_turns"),
        pl.col("messages")
        .list.eval((role == "assistant").cast(pl.UInt32))
        .list.sum()
        .fill_null(0)
        .cast(pl.UInt32)
        .alias("n_assistant_turns"),
    )
    user_turns: list[list[str]] = [
        ["" if t is None else t for t in (turns or [])]
        for turns in prepared.get_column("_user_texts").to_list()
    ]
    # Raw assistant text is read here and nowhere else; only the flag is kept.
    referral = referral_flags([
        ["" if t is None else t for t in (turns or [])]
        for turns in prepared.get_column("_assistant_texts").to_list()
    ])
    docs, plan, n_split = _plan_docs(user_turns, settings.max_doc_chars)

    scrubbed_turns: list[list[str]] = [list(turns) for turns in user_turns]
    per_conv: list[Counter[str]] = [Counter() for _ in user_turns]
    for doc_text, item, spans in zip(
        docs, plan, _analyze_spans(docs, analyzer, settings), strict=True
    ):
        for offset, (start, end) in enumerate(item.turn_bounds):
            new_text, replaced = _apply_spans(
                doc_text[start:end], _clip(spans, start, end)
            )
            scrubbed_turns[item.conversation][item.first_turn + offset] = new_text
            per_conv[item.conversation].update(replaced)

    scrubbed = prepared.select(
        "conversation_id",
        "user_id",
        "created_at",
        pl.Series("user_turns", scrubbed_turns, dtype=pl.List(pl.Utf8)),
        "n_user_turns",
        "n_assistant_turns",
        pl.Series("referral", referral, dtype=pl.Boolean),
    )
    pii_counts = _pii_counts(
        per_conv,
        prepared.get_column("user_id").to_list(),
        effective_entities(analyzer, settings.entities),
    )
    log.info(
        "scrubbed %d conversations: %d documents, %d user turns, %d analyzed turn by "
        "turn, %d entities replaced",
        frame.height, len(docs), sum(len(t) for t in user_turns), n_split,
        int(pii_counts.get_column("n_entities").sum()),
    )
    return scrubbed, pii_counts


def _pii_counts(
    per_conv: Sequence[Counter[str]], user_ids: Sequence[str | None], entities: Sequence[str]
) -> pl.DataFrame:
    rows = [
        (conv, user_ids[conv], entity_type, n)
        for conv, counts in enumerate(per_conv)
        for entity_type, n in counts.items()
    ]
    long = pl.DataFrame(
        rows,
        schema={"conv": pl.UInt64, "user_id": pl.Utf8, "entity_type": pl.Utf8, "n": pl.UInt64},
        orient="row",
    )
    found = long.group_by("entity_type").agg(
        pl.col("n").sum().cast(pl.UInt64).alias("n_entities"),
        pl.col("conv").n_unique().cast(pl.UInt64).alias("n_conversations"),
        pl.col("user_id").n_unique().cast(pl.UInt64).alias("n_users"),
    )
    all_types = pl.DataFrame(
        {"entity_type": sorted(set(entities) | set(found.get_column("entity_type")))},
        schema={"entity_type": pl.Utf8},
    )
    return (
        all_types.join(found, on="entity_type", how="left")
        .with_columns(pl.col(c).fill_null(0) for c in ("n_entities", "n_conversations", "n_users"))
        .select(pl.col(name).cast(dtype) for name, dtype in PII_COUNTS_SCHEMA.items())
        .sort("entity_type")
    )


# ----------------------------------------------------------------------- Prefect task


@text_safe_errors("scrub")
def _run_scrub(
    frame: pl.DataFrame, settings: ScrubSettings, logger: Any
) -> tuple[pl.DataFrame, pl.DataFrame]:
    analyzer = build_analyzer(settings)
    scrubbed, pii_counts = scrub_conversations(frame, analyzer, settings)
    logger.info(
        "scrub: %d conversations, %d user turns, %d assistant turns, %d with a referral",
        scrubbed.height,
        int(scrubbed.get_column("n_user_turns").sum()),
        int(scrubbed.get_column("n_assistant_turns").sum()),
        int(scrubbed.get_column("referral").sum()),
    )
    for row in pii_counts.filter(pl.col("n_entities") > 0).iter_rows(named=True):
        logger.info(
            "scrub: %s: %d entities in %d conversations (%d users)",
            row["entity_type"], row["n_entities"], row["n_conversations"], row["n_users"],
        )
    return scrubbed, pii_counts


def scrub_stage(data: RunData, settings: ScrubSettings, logger: Any = log) -> dict[str, int]:
    """``data.raw`` -> ``data.scrubbed`` and ``data.pii_counts``; empties ``data.raw``
    (raw text ends here); counts."""
    scrubbed, pii_counts = _run_scrub(required(data.raw, "raw", data.run_id), settings, logger)
    data.scrubbed, data.pii_counts = scrubbed, pii_counts
    data.raw = None  # raw text ends here
    return {"conversations": scrubbed.height,
            "user_turns": int(scrubbed.get_column("n_user_turns").sum()),
            "entities": int(pii_counts.get_column("n_entities").sum())}


@task(name="scrub", cache_policy=NO_CACHE, persist_result=False, retries=0)
def scrub_task(run_id: str, settings: ScrubSettings | None = None) -> dict[str, int]:
    """Prefect task: ``scrub_stage`` on the run's data; returns counts only.

    Never cached or persisted: its input and output carry conversation text, which stays
    in the run's in-memory data (``chorus.core.rundata``). Logs counts only. Any failure
    other than a ``ChorusError`` surfaces as a ``StageError`` without the original message.
    """
    try:
        logger: Any = get_run_logger()
    except MissingContextError:  # called as scrub_task.fn(...) outside a run
        logger = log
    return scrub_stage(run_data(run_id), settings or ScrubSettings(), logger)
