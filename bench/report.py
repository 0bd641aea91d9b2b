"""Write evaluation results as JSON and markdown tables under bench/results/.

The JSON document::

    {"commit": "abc1234[+dirty]", "date": "YYYY-MM-DD HH:MM", "host": {...},
     "clustering": [{dataset, method, ari, nmi, v_measure, coverage, n_clusters,
                     seconds, ...non-noise variants...}],
     "pii": [{entity_type, precision, recall, f2, support, recall_typed, leak_rate, ...}],
     "throughput": [{dataset, stage, items_per_s, peak_mb, items, seconds}],
     "naming": [{dataset, method, name_accuracy, n_clusters}],       (bench.naming_eval)
     "hierarchy": [{dataset, method, nmi, ari, parent_purity, top_purity, n_parents,
                    n_top, single_child_parents, configured}],   (bench.hierarchy_eval)
     "lens": {"mixes": [{mix, true_share, estimated_share, precision, recall}],
              "sentiment": {n, spearman}},     (bench.lens_eval; kept on rewrite)
     "dp": {...}}                                (bench.dp_accuracy; kept on rewrite)
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

from chorus.core.env import PROJECT_ROOT

RESULTS = Path(__file__).resolve().parent / "results"
# written into latest.json by their own scripts (bench.lens_eval, bench.dp_accuracy)
KEPT_SECTIONS = ("lens", "dp")


def commit_marker() -> str:
    """``git rev-parse --short HEAD``, plus ``+dirty`` when the work tree has changes."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True,
                              text=True, check=False).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + ("+dirty" if git("status", "--porcelain") else "")


def results_doc(clustering: list[dict], pii: list[dict], throughput: list[dict],
                notes: list[str] | None = None, naming: list[dict] | None = None,
                hierarchy: list[dict] | None = None) -> dict:
    load = os.getloadavg()
    return {"commit": commit_marker(), "date": time.strftime("%Y-%m-%d %H:%M"),
            "host": {"cpus": os.cpu_count(), "loadavg_at_end": [round(x, 2) for x in load]},
            "notes": notes or [], "clustering": clustering, "pii": pii,
            "throughput": throughput, "naming": naming or [], "hierarchy": hierarchy or []}


def _fmt(value, digits: int = 3) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_fmt(v) for v in row) + " |" for row in rows]
    return lines


def markdown(doc: dict) -> str:
    """The results document as markdown: one clustering table per data set, PII, speed."""
    out = [f"# Chorus evaluation ({doc['date']}, commit {doc['commit']})", ""]
    out += [f"- {note}" for note in doc.get("notes", [])]
    out += ["", "ARI/NMI/V: noise counted as one cluster. *nn*: on non-noise items only "
            "(coverage = share not noise).", ""]
    for dataset in dict.fromkeys(r["dataset"] for r in doc.get("clustering") or []):
        out += [f"## {dataset}", ""]
        out += _table(["method", "ARI", "NMI", "V", "coverage", "clusters", "seconds",
                       "ARI nn", "NMI nn"],
                      [[r["method"], r["ari"], r["nmi"], r["v_measure"], r["coverage"],
                        r["n_clusters"], r["seconds"], r["ari_non_noise"],
                        r["nmi_non_noise"]]
                       for r in doc.get("clustering") or [] if r["dataset"] == dataset])
        out.append("")
    out += naming_markdown(doc)
    if doc.get("pii"):
        out += ["## PII (Presidio synthetic set, span overlap)", ""]
        out += _table(["entity type", "support", "precision", "recall", "F2",
                       "recall (typed)", "leak rate", "in scope"],
                      [[r["entity_type"], r["support"], r["precision"], r["recall"],
                        r["f2"], r["recall_typed"], r["leak_rate"],
                        "yes" if r["in_scope"] else "no"] for r in doc["pii"]])
        out.append("")
    lens = doc.get("lens")
    if lens:
        out += ["## Emotional-support lens (python -m bench.lens_eval)", ""]
        out += _table(["mix", "true share", "estimated share", "precision", "recall"],
                      [[r["mix"], r["true_share"], r["estimated_share"], r["precision"],
                        r["recall"]] for r in lens.get("mixes", [])])
        sentiment = lens.get("sentiment") or {}
        if sentiment:
            out += ["", (f"Sentiment shift vs ESConv seekers' own improvement: Spearman "
                         f"{_fmt(sentiment.get('spearman'))} (n = {sentiment.get('n')}).")]
        out.append("")
    if doc.get("throughput"):
        out += ["## Throughput", ""]
        out += _table(["dataset", "stage", "items", "seconds", "items/s", "peak MB"],
                      [[r["dataset"], r["stage"], r["items"], r["seconds"],
                        r["items_per_s"], r["peak_mb"]] for r in doc["throughput"]])
        out.append("")
    return "\n".join(out)


def naming_markdown(doc: dict) -> list[str]:
    """The naming table (one column per method) and the hierarchy table per data set."""
    out: list[str] = []
    naming = doc.get("naming") or []
    if naming:
        methods = list(dict.fromkeys(r["method"] for r in naming))
        by = {(r["dataset"], r["method"]): r for r in naming}
        out += ["## Name accuracy (python -m bench.run_eval --only naming)", "",
                "Size-weighted share of base clusters whose name is nearest (MiniLM cosine) "
                "to the humanized name of the cluster's majority label.", ""]
        out += _table(["dataset", "clusters", *methods],
                      [[d, by[(d, methods[0])]["n_clusters"] if (d, methods[0]) in by else None,
                        *[by[(d, m)]["name_accuracy"] if (d, m) in by else None
                          for m in methods]]
                       for d in dict.fromkeys(r["dataset"] for r in naming)])
        out.append("")
    hierarchy = doc.get("hierarchy") or []
    for dataset in dict.fromkeys(r["dataset"] for r in hierarchy):
        out += [f"## Hierarchy: {dataset} (python -m bench.run_eval --only hierarchy)", "",
                "Top level vs the parent labels (noise as one cluster); purity: share of "
                "base clusters whose parent's majority parent label is their own. "
                "* = the configured linkage.", ""]
        out += _table(["method", "NMI", "ARI", "parent purity", "top purity", "parents",
                       "top", "single-child parents"],
                      [[r["method"] + (" *" if r.get("configured") else ""), r["nmi"],
                        r["ari"], r["parent_purity"], r["top_purity"], r["n_parents"],
                        r["n_top"], r["single_child_parents"]]
                       for r in hierarchy if r["dataset"] == dataset])
        out.append("")
    return out


def write_results(doc: dict, stem: str = "latest",
                  keep: tuple[str, ...] = KEPT_SECTIONS) -> tuple[Path, Path]:
    """Write ``bench/results/<stem>.json`` and ``<stem>.md``; return both paths.

    Sections named in ``keep`` that ``doc`` lacks are taken from the previous file (a
    partial run, ``run_eval --only``, keeps what it did not measure)."""
    RESULTS.mkdir(exist_ok=True)
    json_path, md_path = RESULTS / f"{stem}.json", RESULTS / f"{stem}.md"
    if json_path.exists():  # sections written by their own benchmarks survive a rerun
        previous = json.loads(json_path.read_text())
        doc = {**doc, **{k: previous[k] for k in keep
                         if k in previous and k not in doc}}
    json_path.write_text(json.dumps(doc, indent=2) + "\n")
    md_path.write_text(markdown(doc))
    return json_path, md_path
