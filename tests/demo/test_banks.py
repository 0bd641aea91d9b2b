"""The phrase banks (chorus/demo/banks/*.json): they load, hold everything the generator
draws from, and their lens sentences agree with the lens's lexicons."""

from __future__ import annotations

from importlib.resources import files
from string import Formatter

from chorus.core.lexicon import matched_pattern_names
from chorus.demo import (
    AFFECTIVE_TOPICS,
    MAIN_TOPICS,
    PII_TYPES,
    TAIL_TOPICS,
    TASK_TOPICS,
    banks,
)
from chorus.demo.pii import PII_WEIGHTS
from tasks.lens import CONCERN_PATTERNS
from tasks.scrub import BOUNDARY_PATTERNS, REFERRAL_PATTERNS

_FILES = {"casual", "lens", "pii_templates", "pii_values", "replies_affective", "replies_task",
          "slots", "topics_affective", "topics_task"}
# Pools whose sentences are placed verbatim (never slot-filled) by the generator.
_VERBATIM = {
    "ACKS": banks.ACKS, "CLOSES": banks.CLOSES, "BETTER": banks.BETTER, "WORSE": banks.WORSE,
    "TASK_ACKS": banks.TASK_ACKS, "TASK_CLOSES": banks.TASK_CLOSES,
    "TASK_THANKS": banks.TASK_THANKS, "TASK_STUCK": banks.TASK_STUCK,
    "FILLERS": banks.FILLERS, "TASK_FILLERS": banks.TASK_FILLERS,
    "REFERRALS": banks.REFERRALS, "CRISIS_ACKS": banks.CRISIS_ACKS,
    "CRISIS_REFERRALS": banks.CRISIS_REFERRALS, "CONCERN_LINES": banks.CONCERN_LINES,
    **{f"TOPIC_REFERRALS[{k}]": v for k, v in banks.TOPIC_REFERRALS.items()},
    "BOUNDARIES": banks.BOUNDARIES, "RELIANCE_BOUNDARIES": banks.RELIANCE_BOUNDARIES,
    **{f"TOPIC_BOUNDARIES[{k}]": v for k, v in banks.TOPIC_BOUNDARIES.items()},
    "NEAR_MISSES": banks.NEAR_MISSES, "TASK_NEAR_MISSES": banks.TASK_NEAR_MISSES,
}
_POOLS = {**_VERBATIM, "ASIDES": banks.ASIDES, "TASK_ASIDES": banks.TASK_ASIDES,
          "CASUAL": banks.CASUAL, "FIRST_NAMES": banks.FIRST_NAMES,
          "LAST_NAMES": banks.LAST_NAMES, "EMAIL_DOMAINS": banks.EMAIL_DOMAINS,
          "AREA_CODES": banks.AREA_CODES, "STREETS": banks.STREETS,
          "STREET_SUFFIXES": banks.STREET_SUFFIXES, "CITIES": banks.CITIES,
          "SITES": banks.SITES, "TASK_SITES": banks.TASK_SITES, "URL_PATHS": banks.URL_PATHS,
          **{f"SLOTS[{k}]": v for k, v in banks.SLOTS.items()}}


def _fields(sentence: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(sentence) if name is not None}


def test_every_bank_file_ships_and_parses() -> None:
    shipped = {p.name for p in (files("chorus.demo") / "banks").iterdir()}
    assert shipped == {f"{name}.json" for name in _FILES}
    for name in _FILES:
        assert banks.load(name)


def test_pools_are_nonempty_frozen_and_distinct() -> None:
    for name, pool in _POOLS.items():
        assert isinstance(pool, tuple) and pool, name
        assert len(set(pool)) == len(pool), name
        assert all(isinstance(s, (str, tuple)) and s for s in pool), name
    assert all(isinstance(p, tuple) and len(p) == 2 for p in banks.CASUAL)


def test_every_topic_has_a_full_bank() -> None:
    assert set(banks.TOPIC_BANKS) == set(MAIN_TOPICS) | set(TAIL_TOPICS)
    assert set(banks.load("topics_task")) == set(TASK_TOPICS)
    assert set(banks.load("topics_affective")) == set(AFFECTIVE_TOPICS)
    for topic, bank in banks.TOPIC_BANKS.items():
        assert bank.gist and "{" not in bank.gist, topic
        # up to four user turns: an opening, up to three details and an ask
        assert len(bank.openings) >= 1 and len(bank.asks) >= 1, topic
        assert len(bank.details) >= 4, topic
        for pool in (bank.openings, bank.details, bank.asks):
            assert all(isinstance(s, str) and s for s in pool), topic
            assert len(set(pool)) == len(pool), topic


def test_slots_in_topic_sentences_exist() -> None:
    used: set[str] = set()
    for bank in banks.TOPIC_BANKS.values():
        for sentence in bank.openings + bank.details + bank.asks:
            used |= {f.removesuffix("_cap") for f in _fields(sentence)}
    for sentence in banks.ASIDES + banks.TASK_ASIDES:
        used |= {f.removesuffix("_cap") for f in _fields(sentence)}
    assert used <= set(banks.SLOTS), used - set(banks.SLOTS)


def test_verbatim_pools_hold_no_placeholders() -> None:
    for name, pool in _VERBATIM.items():
        for sentence in pool:
            assert "{" not in sentence and "}" not in sentence, (name, sentence)


def test_pii_templates_cover_every_type_with_valid_kinds() -> None:
    assert len(PII_WEIGHTS) == len(PII_TYPES)
    own = {"PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "STREET_ADDRESS"}  # a persona's values
    for templates in (banks.PII_TEMPLATES, banks.TASK_PII_TEMPLATES):
        assert tuple(templates) == PII_TYPES
        for ptype, pool in templates.items():
            assert pool and len(set(pool)) == len(pool), ptype
            for sentence, kind in pool:
                assert sentence.count("{v}") == 1 and _fields(sentence) == {"v"}, sentence
                kinds = {"self", "first", "full"} if ptype == "PERSON" else {"self", "other"}
                assert kind in kinds, (ptype, sentence, kind)
                assert kind != "self" or ptype in own, (ptype, sentence)


def test_topic_referrals_belong_to_affective_topics() -> None:
    assert set(banks.TOPIC_REFERRALS) <= set(AFFECTIVE_TOPICS)
    assert set(banks.TOPIC_BOUNDARIES) <= set(AFFECTIVE_TOPICS)


def test_lens_sentence_pools_match_the_lexicons() -> None:
    referrals = (banks.REFERRALS + banks.CRISIS_REFERRALS
                 + tuple(s for v in banks.TOPIC_REFERRALS.values() for s in v))
    for sentence in referrals:
        assert matched_pattern_names(sentence, REFERRAL_PATTERNS), sentence
    for sentence in banks.CONCERN_LINES:
        assert matched_pattern_names(sentence, CONCERN_PATTERNS), sentence
    boundaries = (banks.BOUNDARIES + banks.RELIANCE_BOUNDARIES
                  + tuple(s for v in banks.TOPIC_BOUNDARIES.values() for s in v))
    for sentence in boundaries:  # a boundary, and not a referral (the truth keeps both exact)
        assert matched_pattern_names(sentence, BOUNDARY_PATTERNS), sentence
        assert not matched_pattern_names(sentence, REFERRAL_PATTERNS), sentence
    for sentence in referrals:
        assert not matched_pattern_names(sentence, BOUNDARY_PATTERNS), sentence
    plain = (banks.ACKS + banks.CLOSES + banks.CRISIS_ACKS + banks.TASK_ACKS
             + banks.TASK_CLOSES + banks.NEAR_MISSES + banks.TASK_NEAR_MISSES)
    for sentence in plain:
        assert not matched_pattern_names(sentence, REFERRAL_PATTERNS), sentence
        assert not matched_pattern_names(sentence, BOUNDARY_PATTERNS), sentence
