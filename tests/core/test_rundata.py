"""Run data: one typed field per frame, a per-process registry, clear missing-field errors."""

from __future__ import annotations

import uuid

import numpy as np
import polars as pl
import pytest

from chorus.core.errors import ChorusError
from chorus.core.rundata import RunData, release, required, run_data

FRAMES = ("raw", "quarantine", "chunk_rows", "scrubbed", "pii_counts", "facets", "embeddings",
          "lens", "labels", "summaries", "release", "stage_times")


@pytest.fixture
def run_id():
    rid = f"test-{uuid.uuid4().hex}"
    yield rid
    release(rid)


@pytest.mark.parametrize("run_id_arg, shown", [("run-7", "run run-7"), ("", "run ?")])
def test_required_names_the_missing_field_and_run(run_id_arg, shown):
    with pytest.raises(ChorusError, match=r"has no 'embeddings' yet") as info:
        required(None, "embeddings", run_id_arg)
    assert str(info.value).startswith(shown)


@pytest.mark.parametrize("value", [
    pl.DataFrame(), np.zeros((0, 3), dtype=np.float32), 0, "", [], False,
], ids=["empty-frame", "empty-array", "zero", "empty-str", "empty-list", "false"])
def test_required_returns_any_value_that_is_not_none(value):
    assert required(value, "x") is value


def test_fields_are_the_frames_in_stage_order():
    assert RunData.field_names() == FRAMES


def test_held_lists_the_fields_that_hold_data():
    data = RunData("r")
    assert data.held() == []
    data.facets = pl.DataFrame({"request": []})  # an empty frame is held
    data.raw = pl.DataFrame({"a": [1]})
    assert data.held() == ["raw", "facets"]
    data.raw = None
    assert data.held() == ["facets"]


def test_run_data_is_created_once_per_run_and_released(run_id):
    data = run_data(run_id)
    assert data.run_id == run_id and data.held() == []
    data.labels = np.zeros((1, 2), dtype=np.int32)
    assert run_data(run_id) is data
    assert run_data(f"{run_id}-other") is not data
    release(f"{run_id}-other")
    release(run_id)
    fresh = run_data(run_id)
    assert fresh is not data and fresh.held() == []


def test_release_of_an_unknown_run_is_a_no_op():
    release(f"never-{uuid.uuid4().hex}")
