"""Scrub stage: replace personal data in user turns with ``<ENTITY_TYPE>`` placeholders.

Reads ``RunData.raw`` (conversations with their messages), writes ``RunData.scrubbed``
(``SCRUBBED_SCHEMA``: scrubbed user turns, turn counts, the assistant-referral flag) and
``RunData.pii_counts`` (``PII_COUNTS_SCHEMA``: per-type counts, aggregates only), and
empties ``RunData.raw``: raw text ends here. Assistant turns are read once, raw and in
memory, for the lens's ``referral`` Boolean (``referral``), and never passed on.

PII is found by Presidio: spaCy NER, its predefined pattern recognizers, and Chorus's own
recognizers listed in ``configs/recognizers.yaml`` (``tasks.recognizers``, built offline
by ``tasks.recognizers.analyzer.build_analyzer``, which never downloads a model).
Every detected span becomes its type, e.g. ``<PERSON>``; overlapping detections become
one placeholder covering their union.

Entity types scrubbed by default (``chorus.core.settings.DEFAULT_ENTITIES``), and why:

* ``PERSON`` - names; spaCy NER plus recognizers for names after chat cues ("my manager
  Tom Becker", "I'm Dave"), listed first names, "First M. Last" and name lists: spaCy
  types many chat names ORG, which is not scrubbed.
* ``EMAIL_ADDRESS``, ``PHONE_NUMBER``, ``CREDIT_CARD``, ``IP_ADDRESS``, ``URL`` - direct
  identifiers with reliable patterns; extra recognizers catch phone shapes
  ``phonenumbers`` rejects and numbers announced by a label or cue. URLs go whole: a path
  or query often carries a user name or a document id.
* ``STREET_ADDRESS`` (custom) - Presidio has none and spaCy leaves house numbers, street
  names and ZIPs readable; US/UK, European and P.O.-box shapes with their
  city/country/postcode tail.
* ``POSTAL_CODE`` (custom) - a UK postcode names a few dozen households.
* ``LOCATION`` - spaCy GPE/LOC/FAC: quasi-identifying (a town plus a job title can single
  a person out); the lost topic detail ("a trip to <LOCATION>") is accepted.
* ``US_SSN``, ``IBAN_CODE``, ``CRYPTO`` - national id, bank account, wallet: strict
  formats or checksums, rarely a false positive.
* ``US_PASSPORT``, ``US_DRIVER_LICENSE``, ``US_ITIN``, ``US_BANK_NUMBER``,
  ``MEDICAL_LICENSE`` - score below the threshold unless a cue word ("passport",
  "license", "account") is near, so they fire only when the number is announced as such.

Not scrubbed: ``DATE_TIME`` (mostly "Monday", "tomorrow", versions; rarely identifying,
topical), ``ORGANIZATION`` (spaCy's ORG fires on "SSH", "Python", "Excel" and would wipe
out the topics; Presidio ignores it too), ``NRP`` (sensitive but not identifying, and
topical), ``UK_NHS`` (its checksum accepts one in eleven ten-digit phone numbers, which
PHONE_NUMBER covers), ``MAC_ADDRESS``/``UUID`` (machine ids, not people), and other
countries' ids (not loaded for English). ``allow_list`` keeps common technology names
that spaCy's small model masks. Measurements: ``bench/results/scrub.md``.

Modules: ``spans`` (merging and writing spans), ``documents`` (turns -> documents),
``analyze`` (batched analysis, ``scrub_texts``), ``referral`` (the assistant flag),
``conversations`` (``scrub_conversations``, PII counts), ``stage`` (stage and task).
"""

from tasks.recognizers.analyzer import LANGUAGE, build_analyzer, effective_entities
from tasks.scrub.analyze import scrub_texts
from tasks.scrub.conversations import INPUT_COLUMNS, scrub_conversations
from tasks.scrub.documents import TURN_SEPARATOR
from tasks.scrub.referral import REFERRAL_PATTERNS, referral_flags
from tasks.scrub.spans import Span, merge_spans
from tasks.scrub.stage import scrub_stage, scrub_task

__all__ = [
    "INPUT_COLUMNS",
    "LANGUAGE",
    "REFERRAL_PATTERNS",
    "TURN_SEPARATOR",
    "Span",
    "build_analyzer",
    "effective_entities",
    "merge_spans",
    "referral_flags",
    "scrub_conversations",
    "scrub_stage",
    "scrub_task",
    "scrub_texts",
]
