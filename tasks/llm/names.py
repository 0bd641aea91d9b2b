"""The ``llm_names`` stage: contrastive names and descriptions from an LLM, before the gate.

Reads ``data.facets``, ``labels``, ``embeddings`` and ``summaries``; rewrites only the
``name`` and ``description`` of ``data.summaries`` rows (same rows, same phrases, every
other column kept), so the release gate checks the LLM's strings like any other.

Levels are named bottom-up: each candidate cluster (``tasks.llm.material``) gets one
request with its k-backed phrases, its draft (offline) name, its nearest neighbours'
names and phrases (contrast, as Clio does) and, for a parent, its children's names as
decided one level below. Parents are named, not proposed: the hierarchy is the cluster
stage's (measured there, nested by construction); an LLM-proposed grouping would need
every base cluster in one prompt and a second nesting check, for names the parent
request already gets from its children.

An LLM string replaces the offline one only when it passes the word rule
(``tasks.llm.vocabulary``) and the PII analyzer finds nothing in it; otherwise, and when
a request gave up or the token budget refused it, the cluster keeps its offline string
(a counted fallback, logged with counts only).
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import polars as pl
from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger

from chorus.core import tokens
from chorus.core.errors import text_safe_errors
from chorus.core.rundata import RunData, required, run_data
from chorus.core.settings import LLMSettings, PrivacySettings, ScrubSettings
from tasks.llm.accounting import names_budget, run_columns
from tasks.llm.budget import TokenBudget, Usage
from tasks.llm.client import ChatClient
from tasks.llm.material import ClusterMaterial, gather
from tasks.llm.pii import PiiCheck, pii_check
from tasks.llm.prompts import naming_messages, valid_name
from tasks.llm.vocabulary import llm_words_ok

log = logging.getLogger(__name__)

Key = tuple[int, int]


def name_clusters(material: dict[Key, ClusterMaterial], client: ChatClient,
                  run_support: dict[str, set[str]], k: int, allowed: frozenset[str],
                  has_pii: PiiCheck) -> tuple[dict[Key, dict[str, str]], dict[str, int]]:
    """LLM names and descriptions that passed the checks, and counts.

    Returns:
        ((level, key) -> {"name"?: str, "description"?: str} accepted strings; counts
        ``named`` (names accepted), ``described``, ``rejected`` (answers whose name
        failed a check), ``fallbacks`` (clusters keeping their offline name)).
    """
    decided: dict[Key, str] = {}  # the name each cluster has now, for later prompts
    accepted: dict[Key, dict[str, str]] = {}
    counts = {"named": 0, "described": 0, "rejected": 0, "fallbacks": 0}
    levels = sorted({lvl for lvl, _ in material})
    children: dict[Key, list[Key]] = {}
    for (lvl, key), m in sorted(material.items()):
        if m.parent is not None:
            children.setdefault((lvl + 1, m.parent), []).append((lvl, key))
    for level in levels:
        keys = sorted(key for lvl, key in material if lvl == level)
        payloads = []
        for key in keys:
            m = material[(level, key)]
            kids = [decided[c] for c in children.get((level, key), []) if c in decided]
            payloads.append(naming_messages(
                m, [material[(level, s)] for s in m.siblings], kids, decided))
        answers = client.map(payloads, valid_name)
        texts: list[str] = [s for a in answers if a is not None for s in a]
        flagged = iter(has_pii(texts))
        for key, answer in zip(keys, answers, strict=True):
            m = material[(level, key)]
            if answer is None:
                counts["fallbacks"] += 1
                if m.offline_name:
                    decided[(level, key)] = m.offline_name
                continue
            name, description = answer
            name_pii, description_pii = next(flagged), next(flagged)
            ok = {field: text for field, text, pii in (("name", name, name_pii),
                                                       ("description", description,
                                                        description_pii))
                  if text and not pii and llm_words_ok(text, m.support, run_support, k,
                                                       allowed)}
            if ok:
                accepted[(level, key)] = ok
            if "name" in ok:
                counts["named"] += 1
                decided[(level, key)] = ok["name"]
            else:
                counts["rejected"] += 1
                counts["fallbacks"] += 1
                if m.offline_name:
                    decided[(level, key)] = m.offline_name
            counts["described"] += "description" in ok
    return accepted, counts


def with_names(summaries: pl.DataFrame, accepted: dict[Key, dict[str, str]]) -> pl.DataFrame:
    """``summaries`` with the accepted strings in place of the offline ones, and
    ``name_source`` 'llm' where the name is the LLM's (when the frame has that column)."""
    def pick(field: str) -> list[Any]:
        return [accepted.get((r["level"], r["cluster_key"]), {}).get(field, r[field])
                for r in summaries.select("level", "cluster_key", field).iter_rows(named=True)]

    out = summaries.with_columns(pl.Series("name", pick("name"), dtype=pl.Utf8),
                                 pl.Series("description", pick("description"),
                                           dtype=pl.Utf8))
    if "name_source" in out.columns:  # SUMMARY_SCHEMA: what wrote the name
        source = ["llm" if "name" in accepted.get((lvl, key), {}) else old
                  for lvl, key, old in out.select("level", "cluster_key", "name_source")
                  .iter_rows()]
        out = out.with_columns(pl.Series("name_source", source, dtype=pl.Utf8))
    return out


def llm_names_stage(data: RunData, llm: LLMSettings, privacy: PrivacySettings,
                    scrub: ScrubSettings, nlp: str = "spacy",
                    logger: Any = log) -> dict[str, Any]:
    """``data.summaries`` renamed by the LLM where its strings pass; counts and the
    stage's accounting (``LLM_RUN_SCHEMA`` columns)."""
    facets = required(data.facets, "facets", data.run_id)
    labels = required(data.labels, "labels", data.run_id)
    embeddings = required(data.embeddings, "embeddings", data.run_id)
    summaries = required(data.summaries, "summaries", data.run_id)
    allowed = tokens.TEMPLATE_WORDS | frozenset(facets["language"].unique().to_list())
    material = gather(facets, labels, np.asarray(embeddings), summaries, privacy, llm,
                      allowed)
    usage = Usage()
    budget = TokenBudget(names_budget(llm))
    run_support = tokens.user_support(facets["request"].to_list(),
                                      facets["user_id"].to_list(), 1)
    with ChatClient(llm, budget, usage) as client:
        accepted, counts = name_clusters(material, client, run_support, privacy.min_users,
                                         allowed, pii_check(scrub, nlp))
    data.summaries = with_names(summaries, accepted)
    logger.info("llm_names: %d clusters, %d named by the LLM, %d names rejected by the "
                "checks, %d keep their offline name; %d calls, %d failures, %d+%d tokens "
                "in %.1f s", len(material), counts["named"], counts["rejected"],
                counts["fallbacks"], usage.calls, usage.failures, usage.prompt_tokens,
                usage.completion_tokens, usage.seconds)
    if budget.exhausted:
        logger.warning("llm_names: token budget of %d exhausted after %d calls: %d "
                       "requests not sent, their clusters keep offline names",
                       budget.limit, usage.calls, usage.refused)
    return {"clusters": len(material), **counts, "budget_exhausted": budget.exhausted,
            "usage": usage.as_dict(),
            **run_columns(llm, usage, named=counts["named"],
                          fallbacks=counts["fallbacks"], audited=None,
                          exhausted=budget.exhausted)}


@task(name="llm_names", cache_policy=NO_CACHE, persist_result=False)
@text_safe_errors("llm_names")
def llm_names_task(run_id: str, llm: LLMSettings, privacy: PrivacySettings,
                   scrub: ScrubSettings) -> dict[str, Any]:
    """``llm_names_stage`` on the run's data; returns counts only."""
    return llm_names_stage(run_data(run_id), llm, privacy, scrub, logger=get_run_logger())
