"""Release audit: PII in a published string or a phrase below k blocks the run."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from chorus.core.release import LENS_FACET_VALUES
from chorus.core.schemas import QUARANTINE_SCHEMA, SUMMARY_SCHEMA
from chorus.core.settings import PrivacySettings, ScrubSettings
from chorus.core.tokens import TEMPLATE_WORDS
from tasks.recognizers.analyzer import build_analyzer, effective_entities
from tasks.release import (
    audit_release,
    build_release,
    findings_frame,
    published_strings,
)
from tasks.release.audit import PARTIAL_IDENTIFIER, partial_identifiers
from tasks.store import write_run

pytestmark = pytest.mark.privacy

K = PrivacySettings(min_users=3, min_conversations=3)
TEXTS = ["sleep trouble at night calm"] * 6
USERS = [f"u{i}" for i in range(6)]


def release_with(phrase: str, name: str = "Sleep trouble"):
    facets = pl.DataFrame({"conversation_id": [f"c{i}" for i in range(6)], "user_id": USERS,
                           "request": TEXTS, "language": ["en"] * 6, "turns_bucket": ["1"] * 6})
    summaries = pl.DataFrame([{"level": 0, "cluster_key": 0, "name": name,
                               "description": "Requests about sleep trouble.",
                               "phrases": [{"phrase": "sleep trouble", "score": 1.0,
                                            "n_users": 6}]}], schema=SUMMARY_SCHEMA)
    pii = pl.DataFrame(schema={"entity_type": pl.Utf8, "n_entities": pl.Int64,
                               "n_conversations": pl.Int64, "n_users": pl.Int64})
    rel = build_release(facets, np.zeros((1, 6), dtype=np.int32), summaries, pii, 6, K)
    # Tamper after the gate, as a bug in a later change could.
    rel.phrases = pl.concat([rel.phrases, pl.DataFrame(
        {"cluster_id": [1], "rank": [2], "phrase": [phrase], "score": [0.5]},
        schema=rel.phrases.schema)])
    return rel


def audit(rel, nlp="none", texts=TEXTS):
    settings = ScrubSettings(progress=False)
    analyzer = build_analyzer(settings, nlp=nlp)
    return audit_release(rel, texts, USERS, analyzer,
                         effective_entities(analyzer, settings.entities),
                         settings.score_threshold, settings.allow_list, K,
                         TEMPLATE_WORDS | {"en"})


def test_clean_release_has_no_blocking_finding():
    rel = release_with("night calm")
    rel.findings = findings_frame(audit(rel))
    assert not rel.blocked


@pytest.mark.parametrize("value, entity", [("mail jo.doe@example.com", "EMAIL_ADDRESS"),
                                           ("call 212-555-0143", "PHONE_NUMBER"),
                                           ("ip 203.0.113.77", "IP_ADDRESS")])
def test_pii_in_a_published_string_blocks(value, entity):
    findings = audit(release_with(value))
    blocking = [f for f in findings if f.blocking and f.check == "pii"]
    assert any(f.entity_type == entity for f in blocking)
    assert all(value not in f.location for f in findings), "findings never hold values"


def test_phrase_below_k_blocks():
    findings = audit(release_with("zanzibar"))
    assert any(f.check == "k_support" and f.blocking for f in findings)


@pytest.mark.parametrize("phrase_users, blocks", [(K.min_users - 1, True),
                                                   (K.min_users, False),
                                                   (K.min_users + 1, False)])
def test_a_phrase_needs_k_users_of_its_cluster(phrase_users, blocks):
    texts = ["sleep trouble zebra dream"] * phrase_users + TEXTS[phrase_users:]
    findings = audit(release_with("zebra dream"), texts=texts)
    assert any(f.check == "k_support" and f.blocking for f in findings) is blocks
    assert all(f.check == "k_support" for f in findings)


@pytest.mark.slow
def test_ner_guess_on_a_word_of_k_users_is_a_warning_only():
    rel = release_with("night calm", name="Calm")
    findings = audit(rel, nlp="spacy")
    assert not any(f.blocking for f in findings)


def test_blocked_run_writes_no_analyst_rows(tmp_path):
    import duckdb

    rel = release_with("mail jo.doe@example.com")
    rel.findings = findings_frame(audit(rel))
    assert rel.blocked
    path = tmp_path / "w.duckdb"
    write_run(path, {"run_id": "r", "status": "blocked"}, rel,
              pl.DataFrame(schema=QUARANTINE_SCHEMA))
    con = duckdb.connect(str(path), read_only=True)
    for table in ("clusters", "cluster_phrases", "cluster_facets", "pii_counts"):
        assert con.sql(f"SELECT count(*) FROM {table}").fetchall()[0][0] == 0
    rows = con.sql('SELECT location, "check", entity_type FROM release_findings').fetchall()
    assert rows and not any("jo.doe" in str(r) for r in rows)
    assert con.sql("SELECT status FROM runs").fetchall()[0][0] == "blocked"


def test_lens_facet_values_are_template_vocabulary_not_scanned():
    rel = release_with("night calm")
    lens_rows = [{"cluster_id": 1, "facet": facet, "value": value, "n_conversations": 6,
                  "n_users": 6} for facet, values in LENS_FACET_VALUES.items()
                 for value in sorted(values)]
    # a value outside the vocabulary under a lens facet name is still scanned
    lens_rows.append({"cluster_id": 1, "facet": "outcome", "value": "mail jo.doe@example.com",
                      "n_conversations": 6, "n_users": 6})
    rel.facets = pl.concat([rel.facets, pl.DataFrame(lens_rows, schema=rel.facets.schema)])
    scanned = [(loc.rsplit(".", 1)[1], text) for loc, _, text in published_strings(rel)
               if "cluster_facets" in loc]
    # (turns_bucket values such as '2-3' are scanned: only the lens's facets are exempt)
    assert not [(f, v) for f, v in scanned if v in LENS_FACET_VALUES.get(f, ())]
    assert ("outcome", "mail jo.doe@example.com") in scanned
    assert any(f.blocking and f.entity_type == "EMAIL_ADDRESS" for f in audit(rel))


@pytest.mark.parametrize("text, expected", [
    # an identifier's fragment next to its cue (digits never survive tokenisation)
    ("insurance number qq", 1), ("national insurance number qq c", 1), ("nino qq", 1),
    ("passport gb", 1), ("sort code ab", 1), ("account no ij", 1), ("iban de", 1),
    ("nhs number xk", 1),
    # cues followed by ordinary words
    ("national insurance number is", 0), ("passport for travel", 0), ("passport photo", 0),
    ("passport size", 0), ("account number is", 0), ("card number lost", 0),
    ("nhs gp appointment", 0), ("qq plays", 0), ("insurance quote", 0),
])
def test_partial_identifiers_table(text, expected):
    assert partial_identifiers(text) == expected


@pytest.mark.parametrize("phrase, blocks", [("insurance number qq", True),
                                            ("passport gb", True),
                                            ("passport photo", False),
                                            ("account number", False)])
def test_partial_identifier_in_a_published_phrase_blocks(phrase, blocks):
    texts = [f"sleep trouble at night calm {phrase}"] * 6
    findings = audit(release_with(phrase), texts=texts)
    partial = [f for f in findings if f.entity_type == PARTIAL_IDENTIFIER]
    assert bool(partial) is blocks
    assert all(f.blocking and f.check == "pii" for f in partial)
    assert all(phrase not in f.location for f in findings), "findings never hold values"
