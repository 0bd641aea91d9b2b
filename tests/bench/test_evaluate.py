"""``evaluate_output`` scores the run it is handed: one Chorus run feeds every section."""

from __future__ import annotations

import numpy as np
import pytest

from bench.chorus_path import ChorusOutput
from bench.evaluate import evaluate_output
from bench.throughput import Meter


def _output(base: list[int], top: list[int]) -> ChorusOutput:
    """Three well separated blobs of 20 (intents a0..c1 in domains a, b, c)."""
    rng = np.random.default_rng(0)
    centers = rng.normal(size=(3, 16))
    x = np.concatenate([c + 0.05 * rng.normal(size=(20, 16)) for c in centers])
    intents = np.repeat(np.array(["a0", "a1", "b0", "b1", "c0", "c1"], dtype=object), 10)
    return ChorusOutput(
        labels=intents, parents=np.array([i[0] for i in intents], dtype=object),
        requests=[""] * 60, embeddings=(x / np.linalg.norm(x, axis=1, keepdims=True)),
        cluster_labels=np.array([np.repeat(base, 10), np.repeat(top, 10)], dtype=np.int32),
        n_reassigned=0, users=np.arange(60).astype(object))


@pytest.mark.parametrize("base, top, base_ari, top_ari", [
    ([0, 1, 2, 3, 4, 5], [0, 0, 1, 1, 2, 2], 1.0, 1.0),   # both levels right
    ([0, 0, 1, 1, 2, 2], [0, 0, 1, 1, 2, 2], None, 1.0),  # base merged intents: base < 1
    ([0, 1, 2, 3, 4, 5], [0, 0, 0, 0, 1, 1], 1.0, None),  # top merged two domains: top < 1
])
def test_rows_score_the_given_output_without_running_chorus(base, top, base_ari, top_ari):
    meter = Meter()
    with meter.stage("toy", "cluster", 60):
        pass
    rows = evaluate_output("toy", _output(base, top), meter, baselines=False,
                           parent_name="domains")
    by = {(r["dataset"], r["method"]): r for r in rows}
    assert set(by) == {("toy", "chorus"), ("toy/domains", "chorus (top level)")}
    chorus, top_row = by[("toy", "chorus")], by[("toy/domains", "chorus (top level)")]
    assert (chorus["ari"] == pytest.approx(1.0)) is (base_ari is not None)
    assert (top_row["ari"] == pytest.approx(1.0)) is (top_ari is not None)
    assert top_row["level"] == 1 and chorus["n_reassigned"] == 0
    assert chorus["seconds"] == top_row["seconds"] == meter.seconds("toy", "cluster")
