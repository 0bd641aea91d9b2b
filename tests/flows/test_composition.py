"""The composition: one stage order, data edges that close, and run_stages's checks.

No Prefect here: stages run through ``call_directly`` or a recording runner.
"""

from __future__ import annotations

import json
import re

import numpy as np
import polars as pl
import pytest

import flows.composition as composition
from bench.chorus_path import EVAL_STAGES
from chorus.core.config import load_config
from chorus.core.errors import ChorusError
from chorus.core.rundata import RunData
from flows.composition import (
    STAGE_NAMES,
    STAGES,
    RunContext,
    Stage,
    call_directly,
    new_run_row,
    run_stages,
)

DOCUMENTED = ("ingest", "scrub", "facets", "embed", "lens", "cluster", "summarize", "llm_names",
              "release", "llm_audit", "store")
LLM_STAGES = ("llm_names", "llm_audit")  # enabled only with llm.enabled
# fields the flow's map phase keeps for bookkeeping, written outside ``STAGES``:
# ingest's per-chunk record numbers and the per-stage timings
BOOKKEEPING = {"chunk_rows", "stage_times"}


def ctx(*overrides: str) -> RunContext:
    cfg = load_config("configs/chorus.toml", list(overrides))
    return RunContext(cfg, new_run_row(cfg, "composition-test"))


def test_stage_names_are_in_the_documented_order():
    assert STAGE_NAMES == DOCUMENTED
    line = next(line for line in composition.__doc__.splitlines() if " -> " in line)
    assert tuple(line.split(" -> ")) == tuple(n for n in DOCUMENTED if n not in LLM_STAGES), \
        "the module docstring says the same"


@pytest.mark.parametrize("names, preset", [
    (STAGE_NAMES, ()),  # the flow: from the input files
    (EVAL_STAGES, ("raw",)),  # the evaluation harness: records already validated
], ids=["flow", "eval"])
def test_every_input_is_produced_earlier_or_preset(names, preset):
    assert set(names) <= set(STAGE_NAMES)
    held = set(preset)
    for stage in STAGES:
        if stage.name not in names:
            continue
        missing = set(stage.inputs) - held
        assert not missing, f"{stage.name} needs {sorted(missing)} before anything makes it"
        held |= set(stage.outputs)


def test_edges_are_run_data_fields_and_each_field_has_one_writer():
    fields = set(RunData.field_names())
    writers: dict[str, str] = {}
    for stage in STAGES:
        assert set(stage.inputs) | set(stage.outputs) <= fields, stage.name
        for out in stage.outputs:
            assert out not in writers, f"{out} written by {writers[out]} and {stage.name}"
            writers[out] = stage.name
    assert set(writers) == fields - BOOKKEEPING, "every frame is written by some stage"


def test_every_stage_gets_its_arguments_from_the_context():
    context = ctx()
    context.run["n_accepted"] = 10  # the release stage's argument, set by ingest's counts
    for stage in STAGES:
        assert isinstance(stage.args(context), tuple), stage.name


@pytest.mark.parametrize("names, unknown", [
    (["nope"], ["nope"]),
    (["scrub", "Scrub", "ingest"], ["Scrub"]),
])
def test_unknown_stage_names_are_refused_before_anything_runs(names, unknown):
    data = RunData("r")
    calls = []
    with pytest.raises(ChorusError, match=re.escape(f"unknown stages {unknown}")):
        run_stages(data, ctx(), lambda s, d, a: calls.append(s.name) or {}, names)
    assert calls == [] and data.held() == []


@pytest.mark.parametrize("names, missing", [
    (["scrub"], "stage 'scrub' needs ['raw']"),
    (["cluster"], "stage 'cluster' needs ['facets', 'embeddings']"),
    (["store"], "stage 'store' needs ['release', 'quarantine', 'facets', 'labels']"),
])
def test_a_missing_input_stops_the_run_before_the_stage(names, missing):
    calls = []
    with pytest.raises(ChorusError, match=re.escape(missing)):
        run_stages(RunData("r"), ctx(), lambda s, d, a: calls.append(s.name) or {}, names)
    assert calls == []


def fake_stages(produce_b: bool) -> tuple[Stage, ...]:
    def make_a(data: RunData, value: int) -> dict:
        data.raw = pl.DataFrame({"x": [value]})
        return {"made": "a"}

    def make_b(data: RunData) -> dict:
        if produce_b:
            data.facets = data.raw
        return {"made": "b"}

    def use_b(data: RunData) -> dict:
        return {"rows": data.facets.height}

    return (Stage("a", make_a, None, (), ("raw",), lambda c: (7,)),
            Stage("b", make_b, None, ("raw",), ("facets",), lambda c: ()),
            Stage("c", use_b, None, ("facets",), (), lambda c: ()))


@pytest.fixture
def fake(monkeypatch):
    def install(produce_b: bool = True) -> None:
        stages = fake_stages(produce_b)
        monkeypatch.setattr(composition, "STAGES", stages)
        monkeypatch.setattr(composition, "STAGE_NAMES", tuple(s.name for s in stages))

    return install


def test_fake_stages_run_in_order_with_their_arguments(fake):
    fake()
    seen = []

    def runner(stage: Stage, data: RunData, args: tuple) -> dict:
        seen.append((stage.name, args))
        return call_directly(stage, data, args)

    context = ctx()
    data = RunData("r")
    results = run_stages(data, context, runner)
    assert seen == [("a", (7,)), ("b", ()), ("c", ())]
    assert results == {"a": {"made": "a"}, "b": {"made": "b"}, "c": {"rows": 1}}
    assert results is context.results and data.held() == ["raw", "facets"]


def test_names_run_in_composition_order_not_the_given_order(fake):
    fake()
    seen = []
    run_stages(RunData("r"), ctx(),
               lambda s, d, a: seen.append(s.name) or call_directly(s, d, a), ["b", "a"])
    assert seen == ["a", "b"]


def test_a_stage_that_does_not_produce_its_output_fails_the_run(fake):
    fake(produce_b=False)
    seen = []
    with pytest.raises(ChorusError, match=re.escape("stage 'b' did not produce ['facets']")):
        run_stages(RunData("r"), ctx(),
                   lambda s, d, a: seen.append(s.name) or call_directly(s, d, a))
    assert seen == ["a", "b"], "the next stage never starts"


def test_a_disabled_stage_is_skipped_even_when_named():
    lens = next(s for s in STAGES if s.name == "lens")
    assert lens.enabled(ctx().cfg) and not lens.enabled(ctx("lens.enabled=false").cfg)
    seen = []
    data = RunData("r", facets=pl.DataFrame({"request": ["x"]}),
                   embeddings=np.ones((1, 2), dtype=np.float32))
    results = run_stages(data, ctx("lens.enabled=false"),
                         lambda s, d, a: seen.append(s.name) or {}, ["lens"])
    assert seen == [] and results == {}


def test_the_real_ingest_stage_runs_directly_and_counts_reach_the_run_row(tmp_path):
    path = tmp_path / "in.jsonl"
    good = [{"conversation_id": f"c{i}", "user_id": f"u{i}",
             "created_at": "2026-10-05T12:00:00Z",
             "messages": [{"role": "user", "content": "I cannot sleep at night."}]}
            for i in range(30)]
    path.write_text("".join(json.dumps(c) + "\n" for c in good) + "{not json\n")
    context = ctx(f"run.inputs=['{path}']")
    data = RunData("r")
    results = run_stages(data, context, call_directly, ["ingest"])
    assert results == {"ingest": {"read": 31, "accepted": 30, "quarantined": 1,
                                  "blank": 0, "empty_messages": 0}}
    assert data.held() == ["raw", "quarantine"] and data.raw.height == 30
    assert (context.run["n_read"], context.run["n_accepted"],
            context.run["n_quarantined"]) == (31, 30, 1)
    # the next stage's input is now held: naming it alone passes the input check
    assert set(STAGES[1].inputs) <= set(data.held())
