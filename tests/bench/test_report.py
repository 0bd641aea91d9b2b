"""Results document, markdown rendering and the throughput meter."""

from __future__ import annotations

import json
import re

from bench import report
from bench.throughput import Meter


def test_commit_marker_shape() -> None:
    assert re.fullmatch(r"([0-9a-f]{4,40}|unknown)(\+dirty)?", report.commit_marker())


def test_results_doc_and_markdown(tmp_path, monkeypatch) -> None:
    row = {"dataset": "toy", "method": "chorus", "ari": 0.5, "nmi": 0.6, "v_measure": 0.6,
           "coverage": 1.0, "n_clusters": 3, "seconds": 1.2, "ari_non_noise": 0.5,
           "nmi_non_noise": 0.6}
    pii = [{"entity_type": "PERSON", "support": 3, "precision": 1.0, "recall": 2 / 3,
            "f2": 0.71, "recall_typed": 2 / 3, "leak_rate": 1 / 3, "in_scope": True}]
    meter = Meter()
    with meter.stage("toy", "embed", 10):
        sum(range(1000))
    doc = report.results_doc([row], pii, meter.rows, ["a note"])
    assert set(doc) >= {"commit", "date", "clustering", "pii", "throughput"}
    assert doc["throughput"][0]["stage"] == "embed" and doc["throughput"][0]["peak_mb"] > 0
    text = report.markdown(doc)
    assert "## toy" in text and "| chorus | 0.500 |" in text and "PERSON" in text
    monkeypatch.setattr(report, "RESULTS", tmp_path)
    json_path, md_path = report.write_results(doc, "t")
    assert json_path.exists() and md_path.read_text() == text


def test_naming_and_hierarchy_tables_and_a_partial_rerun_keeps_the_rest(tmp_path,
                                                                        monkeypatch) -> None:
    naming = [{"dataset": "toy", "method": m, "name_accuracy": a, "n_clusters": 4}
              for m, a in (("chorus", 0.75), ("bertopic", 0.5))]
    hierarchy = [{"dataset": "toy/domains", "method": "chorus (ward)", "nmi": 0.6, "ari": 0.4,
                  "parent_purity": 0.9, "top_purity": 0.7, "n_parents": 3, "n_top": 2,
                  "single_child_parents": 0, "configured": True}]
    doc = report.results_doc([], [], [], naming=naming, hierarchy=hierarchy)
    text = report.markdown(doc)
    assert "| toy | 4 | 0.750 | 0.500 |" in text
    assert "| chorus (ward) * | 0.600 | 0.400 | 0.900 | 0.700 | 3 | 2 | 0 |" in text
    monkeypatch.setattr(report, "RESULTS", tmp_path)
    row = {"dataset": "x", "method": "chorus", "ari": 0.5, "nmi": 0.6, "v_measure": 0.6,
           "coverage": 1.0, "n_clusters": 3, "seconds": 1.2, "ari_non_noise": 0.5,
           "nmi_non_noise": 0.6}
    report.write_results(report.results_doc([row], [], [], naming=naming), "t")
    partial = {k: v for k, v in doc.items() if k not in ("clustering", "naming")}
    json_path, _ = report.write_results(partial, "t", keep=("clustering", "naming"))
    written = json.loads(json_path.read_text())
    assert written["clustering"] == [row] and written["naming"] == naming
    assert written["hierarchy"] == hierarchy
