"""The import graph has no cycles, no upward arrows and no stage-to-stage imports (the same
rules lint-imports enforces from pyproject.toml; this test runs in the default suite)."""

from __future__ import annotations

import pytest

from bench.import_graph import import_edges, layer, report, stage, strongly_connected


@pytest.fixture(scope="module")
def graph_report() -> dict:
    return report(import_edges())


def test_the_graph_covers_every_layer(graph_report):
    edges = import_edges()
    assert {layer(m) for m in edges} == {"face", "bench", "flows", "stages", "foundation"}
    assert graph_report["modules"] >= 50 and graph_report["imports"] >= 100


@pytest.mark.parametrize("key", ["cycles", "upward", "stage_to_stage"])
def test_no_violation(graph_report, key):
    assert graph_report[key] == []


@pytest.mark.parametrize("module, expected", [
    ("chorus.cli", "face"), ("bench.pipeline_bench", "bench"), ("flows.composition", "flows"),
    ("tasks.scrub", "stages"), ("tasks.recognizers.analyzer", "stages"),
    ("chorus.core.errors", "foundation"), ("chorus", "foundation"),
])
def test_layer_of_a_module(module, expected):
    assert layer(module) == expected


@pytest.mark.parametrize("module, expected", [
    ("tasks.scrub", "tasks.scrub"), ("tasks.release.audit", "tasks.release"),
    ("tasks.recognizers.postcode", None), ("tasks.embedders.base", None), ("tasks", None),
    ("flows.pipeline", None),
])
def test_stage_of_a_module(module, expected):
    assert stage(module) == expected


def test_cycle_finder_finds_a_planted_cycle():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert strongly_connected(edges) == [["a", "b", "c"]]
    assert strongly_connected({"a": {"b"}, "b": set()}) == []
