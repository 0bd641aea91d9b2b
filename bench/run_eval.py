"""Evaluate Chorus on the shared labelled data sets, with baselines, in one run.

    python -m bench.run_eval [--sets esconv dailydialog banking77 clinc150]
                             [--limit N] [--dailydialog-sample 3000] [--skip-pii]
                             [--no-baselines] [--seed 0]
                             [--only clustering,pii,naming,hierarchy]

Reads the sets from ``../shared/data`` relative to the project root (or
``$CHORUS_EVAL_DATA``); a missing set is skipped with a message. Writes
``bench/results/latest.{json,md}`` (see ``bench.report``). DailyDialog defaults to a
seeded sample of 3,000 of its 13,118 dialogues so that the whole run fits in about
15 minutes on 2 cores. ``make eval`` runs everything.

Each set runs through Chorus's stages once (``bench.chorus_path.run_chorus``); that one
output feeds the clustering rows, the naming rows and the hierarchy rows. ``--only``
measures some parts and keeps the other sections of ``latest.json`` from the previous
run: ``--only naming,hierarchy`` runs Chorus's stages plus summarize once per set and
scores its names (``bench.naming_eval``: Chorus now, Chorus's phrase names,
BERTopic's names on the same clusters) and, on CLINC150, every linkage of the parent
levels against the 10 domains (``bench.hierarchy_eval``).
"""

from __future__ import annotations

import argparse
import json
import logging
import time

from bench.chorus_path import ChorusOutput
from bench.loaders import DAILYDIALOG_SAMPLE, LOADERS, DatasetMissing

log = logging.getLogger("bench.run_eval")

PARENT_NAMES = {"clinc150": "domains"}
PARTS = ("clustering", "pii", "naming", "hierarchy")


def naming_and_hierarchy(name: str, out: ChorusOutput, parts: set[str],
                         baselines: bool) -> tuple[list[dict], list[dict]]:
    """Naming rows (and hierarchy rows where the set has parent labels) of one set.

    ``out`` is the set's one ``run_chorus`` output, the same the clustering rows score;
    summarize runs on it once and feeds both ``bench.naming_eval.naming_rows`` (as its
    ``summaries``) and the name-embedding variant of ``bench.hierarchy_eval``.
    """
    from bench.chorus_path import load_config
    from bench.hierarchy_eval import hierarchy_rows, name_embeddings
    from bench.naming_eval import base_names, chorus_summaries, naming_rows
    from chorus.core.vectors import centroids
    from tasks.embedders import build_embedder

    cfg = load_config()
    embed = build_embedder(cfg.embed.model_copy(update={"progress": False})).embed
    summaries = chorus_summaries(out, cfg)
    naming: list[dict] = []
    if "naming" in parts:
        model = None
        if baselines:
            from tasks.embedders import resolve_model_path
            from tasks.embedders.sentence_transformer import _load_model

            model = _load_model(str(resolve_model_path(cfg.embed.model)),
                                cfg.embed.max_seq_length)
        naming = naming_rows(name, out, cfg, embed, model, summaries)
    hierarchy: list[dict] = []
    if "hierarchy" in parts and out.parents is not None:
        base = out.cluster_labels[0]
        cents = centroids(out.embeddings, base, int(base.max()) + 1)
        vectors = name_embeddings(base_names(summaries), cents, embed)
        hierarchy = hierarchy_rows(f"{name}/{PARENT_NAMES.get(name, 'parents')}", out,
                                   cfg.cluster, vectors)
    return naming, hierarchy


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", choices=list(LOADERS), default=list(LOADERS))
    parser.add_argument("--limit", type=int, default=None,
                        help="seeded sample of N items per set (quick runs)")
    parser.add_argument("--dailydialog-sample", type=int, default=DAILYDIALOG_SAMPLE,
                        help="DailyDialog sample size when --limit is not given (0: all)")
    parser.add_argument("--seed", type=int, default=0, help="sampling seed")
    parser.add_argument("--skip-pii", action="store_true", help="skip the PII evaluation")
    parser.add_argument("--no-baselines", action="store_true", help="Chorus only")
    parser.add_argument("--only", default=",".join(PARTS),
                        help=f"comma-separated parts of {PARTS}; the rest of latest.json "
                             "is kept from the previous run")
    args = parser.parse_args(argv)
    parts = {p.strip() for p in args.only.split(",") if p.strip()}
    if not parts or parts - set(PARTS):
        parser.error(f"--only takes parts of {PARTS}")
    if args.skip_pii:
        parts.discard("pii")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    for noisy in ("presidio-analyzer", "numba", "sentence_transformers", "BERTopic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

    from bench.chorus_path import run_chorus
    from bench.evaluate import evaluate_output
    from bench.report import KEPT_SECTIONS, results_doc, write_results
    from bench.throughput import Meter

    meter, clustering, pii, notes = Meter(), [], [], []
    naming: list[dict] = []
    hierarchy: list[dict] = []
    started = time.perf_counter()
    for name in args.sets:
        limit = args.limit
        if name == "dailydialog" and limit is None and args.dailydialog_sample:
            limit = args.dailydialog_sample
        try:
            records = LOADERS[name](limit=limit, seed=args.seed)
        except DatasetMissing as exc:
            log.warning("skipping %s: %s", name, exc)
            notes.append(f"{name} skipped: {exc}")
            continue
        notes.append(f"{name}: {len(records)} items"
                     + (f" (seeded sample, seed {args.seed})" if limit else ""))
        if not parts & {"clustering", "naming", "hierarchy"}:
            continue
        out = run_chorus(name, records, meter)  # once per set, for every section below
        if "clustering" in parts:
            clustering += evaluate_output(name, out, meter, not args.no_baselines,
                                          PARENT_NAMES.get(name, "parents"))
        if parts & {"naming", "hierarchy"}:
            rows = naming_and_hierarchy(name, out, parts, not args.no_baselines)
            naming += rows[0]
            hierarchy += rows[1]
    if "pii" in parts:
        from bench.pii_eval import evaluate_pii

        try:
            pii = evaluate_pii(meter)
        except DatasetMissing as exc:
            log.warning("skipping PII: %s", exc)
            notes.append(f"presidio_synth skipped: {exc}")
    notes.append(f"total wall time {time.perf_counter() - started:.0f} s")
    doc = results_doc(clustering, pii, meter.rows, notes, naming, hierarchy)
    partial = set(PARTS) - parts
    if partial:  # keep what was not measured now, and say which parts are new
        from bench.report import RESULTS, commit_marker

        for section in partial | ({"throughput"} if parts <= {"naming", "hierarchy"} else set()):
            doc.pop(section, None)
        previous = RESULTS / "latest.json"
        old_notes = json.loads(previous.read_text()).get("notes", []) if previous.exists() else []
        doc["notes"] = old_notes + [f"{', '.join(sorted(parts))} rerun at {commit_marker()} "
                                    f"({doc['date']}, --only): " + "; ".join(notes)]
        keep = (*KEPT_SECTIONS, *partial, "throughput")
    else:
        keep = KEPT_SECTIONS
    json_path, md_path = write_results(doc, keep=keep)
    print(md_path.read_text())
    print(f"wrote {json_path} and {md_path}")


if __name__ == "__main__":
    main()
