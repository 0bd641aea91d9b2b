"""Evaluate Chorus on the shared labelled data sets, with baselines, in one run.

    python -m bench.run_eval [--sets esconv dailydialog banking77 clinc150]
                             [--limit N] [--dailydialog-sample 3000] [--skip-pii]
                             [--no-baselines] [--seed 0]

Reads the sets from ``../shared/data`` relative to the project root (or
``$CHORUS_EVAL_DATA``); a missing set is skipped with a message. Writes
``bench/results/latest.{json,md}`` (see ``bench.report``). DailyDialog defaults to a
seeded sample of 3,000 of its 13,118 dialogues so that the whole run fits in about
15 minutes on 2 cores. ``make eval`` runs everything.
"""

from __future__ import annotations

import argparse
import logging
import time

from bench.loaders import DAILYDIALOG_SAMPLE, LOADERS, DatasetMissing

log = logging.getLogger("bench.run_eval")

PARENT_NAMES = {"clinc150": "domains"}


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
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    for noisy in ("presidio-analyzer", "numba", "sentence_transformers", "BERTopic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

    from bench.evaluate import evaluate_records
    from bench.report import results_doc, write_results
    from bench.throughput import Meter

    meter, clustering, pii, notes = Meter(), [], [], []
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
        clustering += evaluate_records(name, records, meter, not args.no_baselines,
                                       PARENT_NAMES.get(name, "parents"))
    if not args.skip_pii:
        from bench.pii_eval import evaluate_pii

        try:
            pii = evaluate_pii(meter)
        except DatasetMissing as exc:
            log.warning("skipping PII: %s", exc)
            notes.append(f"presidio_synth skipped: {exc}")
    notes.append(f"total wall time {time.perf_counter() - started:.0f} s")
    json_path, md_path = write_results(results_doc(clustering, pii, meter.rows, notes))
    print(md_path.read_text())
    print(f"wrote {json_path} and {md_path}")


if __name__ == "__main__":
    main()
