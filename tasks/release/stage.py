"""The release stage: the gate and its audit on one run's ``RunData``, and its Prefect task.

Reads ``data.facets`` (with ``data.lens`` when the lens ran), ``labels``, ``summaries`` and
``pii_counts``, and ``embeddings`` for the map layout (``layout``; no layout without them);
writes ``data.release``, audited (``release.findings``). Logs counts only.
"""

from __future__ import annotations

import logging
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger

from chorus.core.errors import text_safe_errors
from chorus.core.rundata import RunData, required, run_data
from chorus.core.settings import LensSettings, PrivacySettings, ScrubSettings
from chorus.core.tokens import TEMPLATE_WORDS
from tasks.recognizers.analyzer import build_analyzer, effective_entities
from tasks.release.audit import audit_release, findings_frame
from tasks.release.build import build_release
from tasks.release.layout import with_layout

log = logging.getLogger(__name__)


def release_stage(data: RunData, privacy: PrivacySettings, n_accepted: int,
                  scrub_settings: ScrubSettings, lens: LensSettings | None = None,
                  logger: Any = log) -> dict[str, int | float | None]:
    """``data.facets`` (+ ``lens``), ``labels``, ``summaries``, ``pii_counts`` -> the audited
    ``data.release``; its counts and whether the audit blocked it."""
    facets = required(data.facets, "facets", data.run_id)
    if data.lens is not None:
        facets = facets.hstack(data.lens)
    release = build_release(facets, required(data.labels, "labels", data.run_id),
                            required(data.summaries, "summaries", data.run_id),
                            required(data.pii_counts, "pii_counts", data.run_id),
                            n_accepted, privacy, lens)
    release.clusters = with_layout(release, data.embeddings, privacy.dp.enabled)
    analyzer = build_analyzer(scrub_settings)
    findings = audit_release(
        release, facets["request"].to_list(), facets["user_id"].to_list(), analyzer,
        effective_entities(analyzer, scrub_settings.entities), scrub_settings.score_threshold,
        scrub_settings.allow_list, privacy,
        TEMPLATE_WORDS | frozenset(facets["language"].unique().to_list()))
    release.findings = findings_frame(findings)
    data.release = release
    release.counts.update(findings=len(findings),
                          blocking_findings=int(release.findings["blocking"].sum()))
    logger.info("release: %d published, %d suppressed, %d other rows; audit: %d findings, "
                "%d blocking", release.counts["published"], release.counts["suppressed"],
                release.counts["other_rows"], len(findings),
                release.counts["blocking_findings"])
    if release.counts.get("n_affective") is not None:
        logger.info("release: lens: %d affective conversations (%d users) published",
                    release.counts["n_affective"], release.counts["n_affective_users"])
    if release.blocked:
        logger.error("release audit blocked run %s: %d blocking findings (see "
                     "release_findings)", data.run_id, release.counts["blocking_findings"])
    return {**release.counts, "blocked": release.blocked}


@task(name="release", cache_policy=NO_CACHE, persist_result=False)
@text_safe_errors("release")
def release_task(run_id: str, privacy: PrivacySettings, n_accepted: int,
                 scrub_settings: ScrubSettings, lens: LensSettings | None = None
                 ) -> dict[str, int | float | None]:
    """``release_stage`` on the run's data; returns counts only."""
    return release_stage(run_data(run_id), privacy, n_accepted, scrub_settings, lens,
                         get_run_logger())
