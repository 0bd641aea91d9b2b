"""One side of a scrub before/after: output fingerprints and conversations per second.

    python -m bench.scrub_same [--n 600] [--seed 7] [--repeats 3] [--set KEY=VALUE ...]

Generates ``n`` demo conversations in memory (``chorus.demo.generator.generate``), builds
and warms the analyzer, scrubs them with ``scrub_conversations`` and prints one JSON line:
``demo`` (sha256 prefix of the scrubbed frame and PII counts), ``synth`` (of the merged
spans with scores on Presidio's synthetic set, when the evaluation data is present) and
``synth_spans`` (the same without scores: a settled result's score is not boosted, see
``tasks.recognizers.context_enhancer``, so only this one is comparable across that change),
per run ``conv_s`` (wall), ``conv_per_cpu_s`` (this process's CPU time) and the load
average. Nothing is written: only hashes and counts leave the process.

To compare two commits, run it from each tree, alternating, e.g. ``git archive <commit> |
tar -x -C /tmp/base`` and ``PYTHONPATH=/tmp/base python -m bench.scrub_same``; equal
fingerprints mean byte-identical scrub output (so equal PII-evaluation scores).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import time

import polars as pl

from bench.loaders import DatasetMissing
from chorus.core.config import apply_overrides


def _fingerprint(value: object) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()[:16]


def main() -> None:
    """Parse the arguments, scrub, print the JSON line."""
    from bench.pii_eval import eval_settings, load_synth
    from bench.pii_metrics import group_gold
    from chorus.demo.generator import generate
    from tasks.recognizers.analyzer import build_analyzer
    from tasks.scrub.analyze import analyze_spans
    from tasks.scrub.conversations import scrub_conversations

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="a ScrubSettings field (TOML value), e.g. spacy_blis=true")
    args = parser.parse_args()
    overrides = apply_overrides({}, args.set)

    conversations, _ = generate(args.n, args.seed)
    frame = pl.DataFrame([{
        "conversation_id": c["conversation_id"], "user_id": c["user_id"],
        "created_at": dt.datetime.fromisoformat(c["created_at"].replace("Z", "+00:00")),
        "messages": [{"role": m["role"], "content": m["content"]} for m in c["messages"]],
    } for c in conversations])
    settings = eval_settings(**overrides)
    analyzer = build_analyzer(settings)
    scrub_conversations(frame.head(20), analyzer, settings)  # warm up
    scrubbed, counts = scrub_conversations(frame, analyzer, settings)
    demo = _fingerprint((scrubbed.to_dicts(), counts.to_dicts()))
    synth: str | None
    synth_spans: str | None
    try:
        texts, _ = group_gold(load_synth())
        merged = list(analyze_spans(texts, analyzer, settings))
        synth = _fingerprint([[(s.start, s.end, s.entity_type, round(s.score, 6)) for s in spans]
                              for spans in merged])
        synth_spans = _fingerprint([[(s.start, s.end, s.entity_type) for s in spans]
                                    for spans in merged])
    except DatasetMissing:
        synth = synth_spans = None
    runs = []
    for _ in range(args.repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        scrub_conversations(frame, analyzer, settings)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        runs.append({"conv_s": round(args.n / wall, 1),
                     "conv_per_cpu_s": round(args.n / cpu, 1),
                     "load": round(os.getloadavg()[0], 1)})
    print(json.dumps({"n": args.n, "seed": args.seed, "set": overrides, "demo": demo,
                      "synth": synth, "synth_spans": synth_spans, "runs": runs}))


if __name__ == "__main__":
    main()
