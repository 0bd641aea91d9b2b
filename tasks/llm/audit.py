"""The ``llm_audit`` stage: a Clio-style privacy auditor over every published string.

After the release gate and its audit, each published cluster's strings (name,
description, key phrases; 'Other (suppressed)' rows and facet values are fixed
vocabulary and not sent) go to the LLM in one request per cluster, which rates each from
1 (identifies or could identify someone) to 5 (nothing private). A string rated below
``audit_threshold`` is a blocking finding (check 'llm_privacy', entity_type
'RATING_<score>', never the string); a string the auditor could not rate (failures,
budget) is an 'UNRATED' finding, blocking unless ``audit_unrated_blocks`` is false. The
findings join ``release.findings``, so a blocked run publishes nothing, exactly as the
release audit's own blocking findings do, and the stage returns the release's counts for
the run row (``flows.composition.record``).
"""

from __future__ import annotations

import logging
from typing import Any

import polars as pl
from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger

from chorus.core.errors import text_safe_errors
from chorus.core.release import Release
from chorus.core.rundata import RunData, required, run_data
from chorus.core.schemas import FINDING_SCHEMA
from chorus.core.settings import LLMSettings
from tasks.llm.accounting import audit_budget, run_columns, total
from tasks.llm.budget import TokenBudget, Usage
from tasks.llm.client import ChatClient
from tasks.llm.prompts import audit_messages, scores_validator

log = logging.getLogger(__name__)

CHECK = "llm_privacy"
UNRATED = "UNRATED"


def published_batches(release: Release) -> list[list[tuple[str, str]]]:
    """Per published cluster (kind 'cluster'), its strings as (location, string), in the
    locations the release audit uses."""
    phrases: dict[int, list[tuple[str, str]]] = {}
    for row in release.phrases.sort("cluster_id", "rank").iter_rows(named=True):
        phrases.setdefault(row["cluster_id"], []).append(
            (f"cluster_phrases[{row['cluster_id']}#{row['rank']}]", row["phrase"]))
    batches = []
    for row in release.clusters.filter(pl.col("kind") == "cluster").iter_rows(named=True):
        cid = row["cluster_id"]
        batch = [(f"clusters[{cid}].{field}", row[field])
                 for field in ("name", "description") if row[field]]
        batch += phrases.get(cid, [])
        if batch:
            batches.append(batch)
    return batches


def rate(batches: list[list[tuple[str, str]]], client: ChatClient, llm: LLMSettings
         ) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Findings (``FINDING_SCHEMA`` rows) and counts ``audited``, ``below``, ``unrated``."""
    payloads = [audit_messages([s for _, s in batch]) for batch in batches]
    validators = [scores_validator(len(batch)) for batch in batches]
    results = client.map(payloads, validators)
    findings: list[dict[str, Any]] = []
    counts = {"audited": 0, "below": 0, "unrated": 0}
    for batch, scores in zip(batches, results, strict=True):
        if scores is None:
            counts["unrated"] += len(batch)
            findings += [{"location": loc, "check": CHECK, "entity_type": UNRATED,
                          "blocking": llm.audit_unrated_blocks} for loc, _ in batch]
            continue
        counts["audited"] += len(batch)
        for (loc, _), score in zip(batch, scores, strict=True):
            if score < llm.audit_threshold:
                counts["below"] += 1
                findings.append({"location": loc, "check": CHECK,
                                 "entity_type": f"RATING_{score}", "blocking": True})
    return findings, counts


def llm_audit_stage(data: RunData, llm: LLMSettings, names: dict[str, Any] | None = None,
                    logger: Any = log) -> dict[str, Any]:
    """Rate ``data.release``'s published strings; add the findings; the release's counts
    (``blocked`` as the gate's audit and this one decided) and the run's LLM columns
    (``names``: the ``llm_names`` stage's counts, when it ran)."""
    release = required(data.release, "release", data.run_id)
    usage = Usage()
    budget = TokenBudget(max(1, audit_budget(llm, names)))
    counts = {"audited": 0, "below": 0, "unrated": 0}
    if not release.blocked:  # a blocked run publishes nothing: nothing to rate
        batches = published_batches(release)
        with ChatClient(llm, budget, usage) as client:
            findings, counts = rate(batches, client, llm)
        if findings:
            new = pl.DataFrame(findings, schema=FINDING_SCHEMA)
            release.findings = (new if release.findings is None
                                else pl.concat([release.findings, new]))
            release.counts.update(
                findings=int(release.findings.height),
                blocking_findings=int(release.findings["blocking"].sum()))
    logger.info("llm_audit: %d strings rated, %d below %d, %d unrated; %d calls, %d "
                "failures, %d+%d tokens in %.1f s", counts["audited"], counts["below"],
                llm.audit_threshold, counts["unrated"], usage.calls, usage.failures,
                usage.prompt_tokens, usage.completion_tokens, usage.seconds)
    if budget.exhausted:
        logger.warning("llm_audit: token budget exhausted after %d calls: %d requests "
                       "not sent, their strings are unrated", usage.calls, usage.refused)
    if release.blocked:
        logger.error("run %s blocked: %d blocking findings (the LLM auditor's: %d below "
                     "the threshold, %d unrated)", data.run_id,
                     release.counts.get("blocking_findings", 0), counts["below"],
                     counts["unrated"] if llm.audit_unrated_blocks else 0)
    columns = total(names, run_columns(llm, usage, named=None, fallbacks=None,
                                       audited=counts["audited"],
                                       exhausted=budget.exhausted))
    return {**release.counts, "blocked": release.blocked, **counts,
            "usage": usage.as_dict(), **columns}


@task(name="llm_audit", cache_policy=NO_CACHE, persist_result=False)
@text_safe_errors("llm_audit")
def llm_audit_task(run_id: str, llm: LLMSettings, names: dict[str, Any] | None = None
                   ) -> dict[str, Any]:
    """``llm_audit_stage`` on the run's data; returns counts only."""
    return llm_audit_stage(run_data(run_id), llm, names, get_run_logger())
