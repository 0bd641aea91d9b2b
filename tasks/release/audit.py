"""Release audit: the last look at every published string before a run commits.

The gate (``tasks.release.build``) builds a ``Release``; this module re-checks it
independently of how it was built:

* every published string (cluster names, descriptions, phrases, facet values) is
  scanned again with the PII analyzer the scrubber uses, except the lens facets' fixed
  values (``chorus.core.release.LENS_FACET_VALUES``: template vocabulary, never user text);
* every phrase is re-counted against the member texts of its cluster and must occur in
  texts of at least ``min_users`` distinct users; every word of a name or description
  must be such a word, a word of the description template, or a word no member of the
  cluster wrote and no user or >= ``min_users`` users of the run wrote (an LLM's own
  vocabulary, ``tasks.llm``; the gate's rule 5 checks the cluster half of this).

Which findings block. A k-support failure blocks. A PII finding of a pattern type
(e-mail, phone, card, IP, URL, IBAN, SSN, street address, postcode, ...) blocks: such a
value has no business in an aggregate. A finding of an NER-only type (PERSON, LOCATION:
spaCy's statistical guesses, which on short lower-case phrases are mostly wrong, e.g.
"calm" or "clearer feedback" typed PERSON) blocks when its span holds a word that fewer
than k users of the cluster wrote; when every word of it was written by k or more
distinct users it is recorded as a non-blocking warning, since such a word cannot point
at one person. A partial identifier blocks too: published strings hold words only
(digits never survive tokenisation), so an identifier the scrubber missed shows up as a
fragment next to its cue, e.g. "insurance number qq" from "QQ 12 34 56 C".
``partial_identifiers`` flags an identifier cue ("insurance number", "passport", "sort
code", "nino", ...) followed by a word that reads as letters of an id, not as a word (two
letters, or up to four with no vowel, and not in ``COMMON_SHORT_WORDS``), recorded as a
'pii' finding of type ``PARTIAL_IDENTIFIER``. A blocked run writes no analyst rows: only
its ``runs`` row (status 'blocked') and the findings, each as (location, check, entity
type), never the value.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import numpy as np
import polars as pl

from chorus.core import tokens
from chorus.core.release import LENS_FACET_VALUES, Release
from chorus.core.schemas import FINDING_SCHEMA
from chorus.core.settings import PrivacySettings
from chorus.core.term_users import TermUsers

log = logging.getLogger(__name__)

NER_TYPES = frozenset({"PERSON", "LOCATION", "NRP", "ORGANIZATION", "DATE_TIME"})

PARTIAL_IDENTIFIER = "PARTIAL_IDENTIFIER"

# An identifier's cue: its name followed by a number word ("insurance number", "sort
# code", "account no"), or a name that is only ever an identifier's ("nino", "passport").
_ID_CUE = (
    r"(?:(?:national[ \t]+insurance|insurance|ni|nhs|passport|sort|account|acct|bank|"
    r"routing|tax|licence|license|card|member|policy|reference|social[ \t]+security|"
    r"customer|patient|registration)[ \t]+(?:number|no|num|code|id)|nino|iban|ssn|"
    r"passport|sortcode)"
)
_PARTIAL_ID = re.compile(r"\b" + _ID_CUE + r"[ \t]+([a-z]{1,4})\b")
_VOWEL = re.compile(r"[aeiouy]")

# Short ordinary words that may follow an identifier cue in a published phrase
# ("passport for", "account number is", "sort code and").
COMMON_SHORT_WORDS: frozenset[str] = frozenset(
    """
    a an the and or but nor for of to in on at by as is are was were be been am do
    does did has had have it its my me our your his her their we you he she they us
    not no yes so if up out off new old all any one two how why what who when can
    may will get got lost lose help need want use used app form line card fee fees
    from with into over back then than also just only very more most some such this
    that each same own via per next last gone due late safe ok
    """.split()
)


def partial_identifiers(text: str) -> int:
    """How many identifier fragments ``text`` holds: a cue followed by a word that is
    not in ``COMMON_SHORT_WORDS`` and has at most two letters, or at most four and no
    vowel ("insurance number qq", "passport gb", "sort code ab", "nino qqc"). "passport
    for", "passport size" or "account number is" are fine."""
    count = 0
    for match in _PARTIAL_ID.finditer(text.lower()):
        word = match.group(1)
        if word in COMMON_SHORT_WORDS:
            continue
        if len(word) <= 2 or not _VOWEL.search(word):
            count += 1
    return count


@dataclass(frozen=True)
class Finding:
    """One audit finding: where, which check, which type (never the value)."""

    location: str
    check: str          # 'pii' | 'k_support'
    entity_type: str | None
    blocking: bool


def published_strings(release: Release) -> list[tuple[str, int | None, str]]:
    """(location, cluster_id or None, string) for every published string."""
    out: list[tuple[str, int | None, str]] = []
    for row in release.clusters.iter_rows(named=True):
        if row["kind"] != "cluster":  # "Other (suppressed)" rows carry fixed text only
            continue
        cid = row["cluster_id"]
        for field in ("name", "description"):
            if row[field]:
                out.append((f"clusters[{row['cluster_id']}].{field}", cid, row[field]))
    for row in release.phrases.iter_rows(named=True):
        out.append((f"cluster_phrases[{row['cluster_id']}#{row['rank']}]", row["cluster_id"],
                    row["phrase"]))
    for row in release.facets.iter_rows(named=True):
        if row["value"] in LENS_FACET_VALUES.get(row["facet"], ()):
            continue  # the lens's fixed vocabulary ('affective', 'concern, referred', ...)
        out.append((f"cluster_facets[{row['cluster_id']}].{row['facet']}", None, row["value"]))
    return out


def audit_release(release: Release, texts: list[str], users: list[str], analyzer,
                  entities: list[str], score_threshold: float, allow_list: list[str],
                  privacy: PrivacySettings, template_words: frozenset[str]) -> list[Finding]:
    """All findings for ``release`` (see the module docstring for what blocks).

    Args:
        release: the gate's output, with ``members`` (cluster id -> row indices).
        texts, users: the run's requests and user ids, row-aligned with the members.
        analyzer: a Presidio AnalyzerEngine (the scrubber's).
        entities, score_threshold, allow_list: the scrubber's analysis settings.
        privacy: thresholds.
        template_words: words the description template may add.
    """
    from presidio_analyzer import BatchAnalyzerEngine

    items = published_strings(release)
    k = privacy.min_users
    support_cache: dict[int, TermUsers] = {}

    def support(cid: int) -> TermUsers:
        """Distinct users of the cluster's members per term (``tokens.user_support``'s
        counts with phrases of up to 4 words, capped at k)."""
        if cid not in support_cache:
            idx = release.members.get(cid, np.array([], dtype=np.int64))
            support_cache[cid] = TermUsers([texts[i] for i in idx], [users[i] for i in idx], 4)
        return support_cache[cid]

    run_support = TermUsers(texts, users, 1)  # words of the whole run, read on demand

    def own_word(word: str) -> bool:
        """No user of the run wrote it, or >= k did (called for words no member wrote)."""
        return run_support.count(word, k) in (0, k)

    def supported(cid: int | None, text: str, own_words: bool = False) -> bool:
        if cid is None:
            return True
        sup = support(cid)
        return all(w in template_words or sup.count(w, k) >= k
                   or (own_words and sup.count(w, k) == 0 and own_word(w))
                   for w in tokens.words(text))

    findings: list[Finding] = []
    for location, cid, text in items:
        if cid is not None and location.startswith("cluster_phrases"):
            ok = support(cid).count(text, k) >= k
        else:  # a name or description (an NER span below stays strict)
            ok = supported(cid, text, own_words=True)
        if not ok:
            findings.append(Finding(location, "k_support", None, True))
    for location, _cid, text in items:
        findings.extend(Finding(location, "pii", PARTIAL_IDENTIFIER, True)
                        for _ in range(partial_identifiers(text)))
    batch = BatchAnalyzerEngine(analyzer)
    results = batch.analyze_iterator([t for _, _, t in items], language="en",
                                     entities=entities, score_threshold=score_threshold,
                                     allow_list=allow_list or None)
    for (location, cid, text), found in zip(items, results, strict=True):
        for res in found:
            span_ok = supported(cid, text[res.start:res.end]) if cid is not None else False
            blocking = res.entity_type not in NER_TYPES or not span_ok
            findings.append(Finding(location, "pii", res.entity_type, blocking))
    n_block = sum(f.blocking for f in findings)
    log.info("audit: %d strings, %d findings, %d blocking", len(items), len(findings), n_block)
    return findings


def findings_frame(findings: list[Finding]) -> pl.DataFrame:
    return pl.DataFrame([f.__dict__ for f in findings], schema=FINDING_SCHEMA)
