"""The chat messages the LLM stages send, and the validators of its answers.

Every message is built here from a ``ClusterMaterial`` (``tasks.llm.material``) or from
published strings, and from nothing else, so what an endpoint can see is this module's
input. Answers are single JSON objects:

* naming: ``{"name": str, "description": str}``: a name of 1..``MAX_NAME_WORDS`` words and
  at most ``MAX_NAME_CHARS`` characters on one line, a description of at most
  ``MAX_DESCRIPTION_CHARS``;
* auditing: ``{"scores": [int, ...]}``: one score in 1..5 per string, in order.

Anything else is malformed (``None``) and counted as a failed call by the client.
"""

from __future__ import annotations

import json
from typing import Any

from tasks.llm.material import ClusterMaterial

MAX_NAME_WORDS = 12
MAX_NAME_CHARS = 90
MAX_DESCRIPTION_CHARS = 400

NAMING_SYSTEM = (
    "You name topics of conversations people had with an AI assistant, for analysts. "
    "You see privacy-filtered aggregates: key phrases that many different people used, "
    "the names of related topics{samples}. Write a name a person would write (3 to 8 "
    "words, sentence case) that tells this topic apart from its neighbours, and a "
    "description of one or two sentences saying what people ask. Prefer the people's own "
    "words from the key phrases. Never include names of people, places or organisations, "
    "contact details, numbers or anything that could identify someone. Answer with one "
    'JSON object only: {"name": "...", "description": "..."}'
)
SAMPLES_NOTE = ", and a few example requests with personal details already replaced"

AUDIT_SYSTEM = (
    "You are a privacy auditor. Each string below will be published about a group of "
    "conversations between many people and an AI assistant. Rate each string: 1 = it "
    "identifies or could help identify a specific person (a name, contact details, a "
    "unique event or combination of details); 2 = it holds private details of a small "
    "group; 3 = it is specific but not identifying; 4 = it is general; 5 = it holds "
    "nothing private. Answer with one JSON object only: "
    '{"scores": [one integer per string, in the order given]}'
)


def naming_messages(cluster: ClusterMaterial, neighbours: list[ClusterMaterial],
                    children: list[str], names: dict[tuple[int, int], str]
                    ) -> list[dict[str, str]]:
    """The naming request of ``cluster``, contrasted with ``neighbours``.

    Args:
        cluster: the cluster's gated material.
        neighbours: its nearest siblings' material (names from ``names`` when known).
        children: the names of its children (parents only), as already decided.
        names: (level, key) -> the name decided for a cluster so far.
    """
    topic: dict[str, Any] = {"key_phrases": cluster.phrases}
    if cluster.offline_name:
        topic["draft_name"] = cluster.offline_name
    if children:
        topic["subtopics"] = children
    if cluster.language:
        topic["main_language"] = cluster.language
    if cluster.turns:
        topic["typical_user_turns"] = cluster.turns
    if cluster.samples:
        topic["example_requests"] = cluster.samples
    near = []
    for other in neighbours:
        entry: dict[str, Any] = {"key_phrases": other.phrases[:5]}
        name = names.get((other.level, other.key), other.offline_name)
        if name:
            entry["name"] = name
        near.append(entry)
    user = json.dumps({"topic": topic, "neighbouring_topics": near}, ensure_ascii=False)
    system = NAMING_SYSTEM.replace("{samples}", SAMPLES_NOTE if cluster.samples else "")
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def valid_name(answer: dict) -> tuple[str, str] | None:
    """(name, description) of a naming answer, or None when it is malformed."""
    name, description = answer.get("name"), answer.get("description")
    if not isinstance(name, str) or not isinstance(description, str):
        return None
    name, description = " ".join(name.split()), " ".join(description.split())
    if not name or len(name) > MAX_NAME_CHARS or len(name.split()) > MAX_NAME_WORDS:
        return None
    if len(description) > MAX_DESCRIPTION_CHARS:
        return None
    return name, description


def audit_messages(strings: list[str]) -> list[dict[str, str]]:
    """The auditor's request for one batch of published strings."""
    user = json.dumps({"strings": strings}, ensure_ascii=False)
    return [{"role": "system", "content": AUDIT_SYSTEM}, {"role": "user", "content": user}]


def scores_validator(n: int):
    """A validator of an auditing answer for ``n`` strings: the scores, or None."""

    def valid(answer: dict) -> list[int] | None:
        scores = answer.get("scores")
        if not isinstance(scores, list) or len(scores) != n:
            return None
        if not all(isinstance(s, int) and not isinstance(s, bool) and 1 <= s <= 5
                   for s in scores):
            return None
        return scores

    return valid
