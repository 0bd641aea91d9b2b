"""Evaluate Chorus and its baselines on one labelled set of conversations.

``evaluate_records(name, records, meter)`` runs Chorus's stages (``bench.chorus_path``)
and scores the output (``evaluate_output``): BERTopic (when installed) and oracle-k
k-means run on the same texts and embeddings, and each method's base clusters are scored
against ``label`` (``bench.metrics``). With parent labels it also scores Chorus's top
level and k-means with k = number of parents against them (dataset ``<name>/parents``;
``<name>/domains`` for CLINC150). ``bench.run_eval`` calls ``run_chorus`` once per set and
hands the same ``ChorusOutput`` to ``evaluate_output`` and to the naming and hierarchy
sections, so no set is scrubbed, embedded or clustered twice.

Each clustering row::

    {dataset, method, ari, nmi, v_measure, coverage, n_clusters, seconds,
     ari_non_noise, nmi_non_noise, v_measure_non_noise, n_noise, n, level}

``evaluate_labelled(path)`` does the same for any JSONL in the input contract plus
``label`` (the ``chorus eval`` command).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from bench.baselines import bertopic_available, bertopic_labels, kmeans_labels
from bench.chorus_path import ChorusOutput, load_config, run_chorus
from bench.loaders import load_labelled
from bench.metrics import cluster_scores
from bench.throughput import Meter

log = logging.getLogger(__name__)


def _row(dataset: str, method: str, truth, pred, seconds: float, level: int = 0) -> dict:
    row = {"dataset": dataset, "method": method, **cluster_scores(truth, pred),
           "seconds": round(seconds, 2), "level": level}
    log.info("%s %s: ARI %.3f NMI %.3f coverage %.2f, %d clusters, %.1f s", dataset,
             method, row["ari"], row["nmi"], row["coverage"], row["n_clusters"], seconds)
    return row


def evaluate_records(name: str, records: list[dict], meter: Meter,
                     baselines: bool = True, parent_name: str = "parents") -> list[dict]:
    """Cluster ``records`` with Chorus and the baselines; return clustering rows."""
    return evaluate_output(name, run_chorus(name, records, meter), meter, baselines,
                           parent_name)


def evaluate_output(name: str, out: ChorusOutput, meter: Meter, baselines: bool = True,
                    parent_name: str = "parents") -> list[dict]:
    """Clustering rows of one Chorus run (``run_chorus``'s output, timed by ``meter``)
    and of the baselines on its texts and embeddings."""
    rows = [_row(name, "chorus", out.labels, out.cluster_labels[0],
                 meter.seconds(name, "cluster"))]
    rows[0]["n_reassigned"] = out.n_reassigned
    if baselines:
        if bertopic_available():
            from tasks.embedders import resolve_model_path
            from tasks.embedders.sentence_transformer import _load_model

            embed = load_config().embed  # the very model Chorus embedded with
            model = _load_model(str(resolve_model_path(embed.model)), embed.max_seq_length)
            t0 = time.perf_counter()
            topics = bertopic_labels(out.requests, out.embeddings, model)
            rows.append(_row(name, "bertopic", out.labels, topics, time.perf_counter() - t0))
        else:
            log.warning("bertopic not installed (pip install '.[eval]'): baseline skipped")
        k = len(set(out.labels.tolist()))
        t0 = time.perf_counter()
        pred = kmeans_labels(out.embeddings, k)
        rows.append(_row(name, f"kmeans (k={k})", out.labels, pred, time.perf_counter() - t0))
    if out.parents is not None:
        top = out.cluster_labels[-1]
        rows.append(_row(f"{name}/{parent_name}", "chorus (top level)", out.parents, top,
                         meter.seconds(name, "cluster"), level=out.cluster_labels.shape[0] - 1))
        if baselines:
            k = len(set(out.parents.tolist()))
            t0 = time.perf_counter()
            pred = kmeans_labels(out.embeddings, k)
            rows.append(_row(f"{name}/{parent_name}", f"kmeans (k={k})", out.parents, pred,
                             time.perf_counter() - t0))
    return rows


def evaluate_labelled(path: Path | str, parent_label: bool = False, limit: int | None = None,
                      seed: int = 0, baselines: bool = True, write: bool = True) -> dict:
    """``chorus eval``: measure Chorus and the baselines on a labelled JSONL file.

    Args:
        path: JSONL in the input contract plus ``label`` (and ``parent_label``).
        parent_label: also score the top level against ``parent_label``.
        limit: seeded sample of this many records (None: all).
        seed: sampling seed.
        baselines: run BERTopic and k-means too.
        write: write ``bench/results/labelled.{md,json}``.

    Returns:
        The results document (see ``bench.report.results_doc``).
    """
    from bench.report import results_doc, write_results

    records = load_labelled(path, limit, seed)
    if not parent_label:
        for record in records:
            record["parent_label"] = None
    name = Path(path).stem
    meter = Meter()
    clustering = evaluate_records(name, records, meter, baselines)
    doc = results_doc(clustering, [], meter.rows)
    if write:
        write_results(doc, "labelled")
    return doc
