"""The phrase banks: every sentence and value the generator draws from, loaded once from
``banks/*.json`` at import and frozen into tuples (order matters: it is part of the output).

Files and what they hold:

* ``slots.json``: slot name -> fillers for ``{slot}`` / ``{slot_cap}`` in topic sentences.
* ``topics_affective.json``, ``topics_task.json``: topic -> ``gist`` (how the assistant names
  the problem), ``openings``, ``details`` and ``asks`` (user sentences, may hold slots).
* ``replies_affective.json``, ``replies_task.json``: shared user ``fillers`` and ``asides``,
  assistant ``acks`` and ``closes``, and last-turn endings (``better``/``worse`` for affective
  topics, ``thanks``/``stuck`` for task ones). No ack or close is a referral.
* ``lens.json``: the emotional-support lens's ground truth: ``referrals`` (generic),
  ``topic_referrals`` (added for that topic) and ``crisis_referrals``, each matching
  ``tasks.lens.REFERRAL_PATTERNS``; ``crisis_acks`` (not referrals); ``concern_lines``, each
  matching ``tasks.lens.CONCERN_PATTERNS`` (acute distress, kept non-graphic);
  ``boundaries`` (generic), ``reliance_boundaries`` (for users who lean on the assistant)
  and ``topic_boundaries`` (pushback on a harmful plan, per topic), each matching
  ``tasks.scrub.BOUNDARY_PATTERNS`` and no referral pattern; ``near_misses``
  (``affective``/``task``: hedges such as "I can't find that function" that match neither
  lexicon).
* ``casual.json``: ``[old, new]`` replacements of the casual lowercase/typo style.
* ``pii_values.json``: names, email domains, US area codes, street parts, cities and sites
  the PII values are built from.
* ``pii_templates.json``: ``affective``/``task`` -> PII type -> ``[sentence, value kind]``;
  ``{v}`` marks the value, kind ``self`` takes it from the user's persona, ``first``/``full``
  a random first or full name, ``other`` a fresh value.
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any, NamedTuple

__all__ = ["ACKS", "AREA_CODES", "ASIDES", "BETTER", "BOUNDARIES", "CASUAL", "CITIES",
           "CLOSES", "CONCERN_LINES", "CRISIS_ACKS", "CRISIS_REFERRALS", "EMAIL_DOMAINS",
           "FILLERS", "FIRST_NAMES", "LAST_NAMES", "NEAR_MISSES", "PII_TEMPLATES",
           "REFERRALS", "RELIANCE_BOUNDARIES", "SITES", "SLOTS", "STREETS",
           "STREET_SUFFIXES", "TASK_ACKS", "TASK_ASIDES", "TASK_CLOSES", "TASK_FILLERS",
           "TASK_NEAR_MISSES", "TASK_PII_TEMPLATES", "TASK_SITES", "TASK_STUCK",
           "TASK_THANKS", "TOPIC_BANKS", "TOPIC_BOUNDARIES", "TOPIC_REFERRALS", "URL_PATHS",
           "WORSE", "TopicBank", "load"]


class TopicBank(NamedTuple):
    """One topic's user sentences and the assistant's name for the problem."""

    gist: str
    openings: tuple[str, ...]
    details: tuple[str, ...]
    asks: tuple[str, ...]


def load(name: str) -> Any:
    """The parsed ``banks/<name>.json`` (lists stay lists; callers freeze what they keep)."""
    path = files(__package__) / "banks" / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _strings(values: list[str]) -> tuple[str, ...]:
    return tuple(values)


def _pairs(values: list[list[str]]) -> tuple[tuple[str, str], ...]:
    return tuple((a, b) for a, b in values)


def _topics(name: str) -> dict[str, TopicBank]:
    return {topic: TopicBank(b["gist"], _strings(b["openings"]), _strings(b["details"]),
                             _strings(b["asks"]))
            for topic, b in load(name).items()}


SLOTS: dict[str, tuple[str, ...]] = {k: _strings(v) for k, v in load("slots").items()}
TOPIC_BANKS: dict[str, TopicBank] = {**_topics("topics_affective"), **_topics("topics_task")}

_affective, _task, _lens = load("replies_affective"), load("replies_task"), load("lens")
FILLERS, ASIDES = _strings(_affective["fillers"]), _strings(_affective["asides"])
ACKS, CLOSES = _strings(_affective["acks"]), _strings(_affective["closes"])
BETTER, WORSE = _strings(_affective["better"]), _strings(_affective["worse"])
TASK_FILLERS, TASK_ASIDES = _strings(_task["fillers"]), _strings(_task["asides"])
TASK_ACKS, TASK_CLOSES = _strings(_task["acks"]), _strings(_task["closes"])
TASK_THANKS, TASK_STUCK = _strings(_task["thanks"]), _strings(_task["stuck"])

REFERRALS = _strings(_lens["referrals"])
TOPIC_REFERRALS: dict[str, tuple[str, ...]] = {
    k: _strings(v) for k, v in _lens["topic_referrals"].items()}
CRISIS_ACKS = _strings(_lens["crisis_acks"])
CRISIS_REFERRALS = _strings(_lens["crisis_referrals"])
CONCERN_LINES = _strings(_lens["concern_lines"])
BOUNDARIES = _strings(_lens["boundaries"])
RELIANCE_BOUNDARIES = _strings(_lens["reliance_boundaries"])
TOPIC_BOUNDARIES: dict[str, tuple[str, ...]] = {
    k: _strings(v) for k, v in _lens["topic_boundaries"].items()}
NEAR_MISSES = _strings(_lens["near_misses"]["affective"])
TASK_NEAR_MISSES = _strings(_lens["near_misses"]["task"])

CASUAL = _pairs(load("casual"))

_values = load("pii_values")
FIRST_NAMES, LAST_NAMES = _strings(_values["first_names"]), _strings(_values["last_names"])
EMAIL_DOMAINS, AREA_CODES = _strings(_values["email_domains"]), _strings(_values["area_codes"])
STREETS, STREET_SUFFIXES = _strings(_values["streets"]), _strings(_values["street_suffixes"])
CITIES, URL_PATHS = _strings(_values["cities"]), _strings(_values["url_paths"])
SITES, TASK_SITES = _strings(_values["sites"]), _strings(_values["task_sites"])

_templates = load("pii_templates")
PII_TEMPLATES: dict[str, tuple[tuple[str, str], ...]] = {
    k: _pairs(v) for k, v in _templates["affective"].items()}
TASK_PII_TEMPLATES: dict[str, tuple[tuple[str, str], ...]] = {
    k: _pairs(v) for k, v in _templates["task"].items()}

del _affective, _task, _lens, _values, _templates
