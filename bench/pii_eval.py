"""PII scrubbing quality of Chorus's scrubber on Presidio's synthetic set, and its speed.

    python -m bench.pii_eval [--speed data/demo/conversations.jsonl [--repeats N]
                             [--speed-only]] [--out bench/results/pii.json]

Reads ``presidio_synth/synth_dataset_v2.json`` (1,500 texts, 2,863 labelled spans, 209
templates) from the evaluation data folder and runs the project's analyzer
(``tasks.scrub.build_analyzer(ScrubSettings())``) the way the scrub stage does (same
entities, threshold, allow list and span merging, ``tasks.scrub.analyze.analyze_spans``)
once; the merged spans are scored and written out as the scrubbed text whose verbatim
leaks are counted. Scores are ``bench.pii_metrics.score_pii`` rows.

**Held-out split.** The set is generated from templates, so two records of one template
share their sentence and differ only in the values: a split by record would let tuning
see the held-out sentences. ``split_of`` splits by template instead:
``int(sha256(str(template_id)).hexdigest(), 16) % 3 == 0`` is ``holdout`` (75 of the 209
templates, 535 records), everything else ``tune`` (965 records). Recognizers, name lists
and context rules are tuned on ``tune`` only; ``holdout`` is read for the report. The
held-out templates happen to hold no US_SSN, US_DRIVER_LICENSE or ZIP_CODE span (those
types come from 1-5 templates each).

Presidio's published numbers on this set (presidio-research; token-level, typed): default
recall 0.603, precision 0.685, F2 0.618; tuned recall 0.839, precision 0.870, F2 0.845.

``--speed FILE`` also times ``scrub_conversations`` on a conversations JSONL (the demo),
after the analyzer is built and warmed, and reports conversations per second.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bench.loaders import _need, data_root
from bench.pii_metrics import group_gold, score_pii
from bench.throughput import Meter

if TYPE_CHECKING:
    from chorus.core.settings import ScrubSettings

log = logging.getLogger(__name__)

PUBLISHED = {"default": {"precision": 0.685, "recall": 0.603, "f2": 0.618},
             "tuned": {"precision": 0.870, "recall": 0.839, "f2": 0.845}}

SPLITS = ("tune", "holdout")
RESULTS = Path(__file__).resolve().parent / "results"


def load_synth(root: Path | None = None) -> list[dict]:
    """The synthetic set's records ``{full_text, spans[{entity_type, entity_value,
    start_position, end_position}], template_id, ...}``."""
    path = _need((root or data_root()) / "presidio_synth" / "synth_dataset_v2.json")
    return json.loads(path.read_text(encoding="utf-8"))


def split_of(record: dict) -> str:
    """``"holdout"`` for a third of the templates (sha256 of the template id, mod 3 == 0),
    else ``"tune"``. Deterministic; see the module docstring."""
    digest = hashlib.sha256(str(record.get("template_id")).encode()).hexdigest()
    return "holdout" if int(digest, 16) % 3 == 0 else "tune"


def eval_settings(**overrides: object) -> ScrubSettings:
    """The stage's default ``ScrubSettings`` (progress bar off), with ``overrides``."""
    from chorus.core.settings import ScrubSettings

    return ScrubSettings.model_validate({"progress": False, **overrides})


def scrub_and_spans(texts: list[str], settings: ScrubSettings | None = None
                    ) -> tuple[list[str], list[list[tuple[int, int, str]]]]:
    """Scrubbed texts and merged ``(start, end, type)`` spans, as the stage makes them."""
    from tasks.scrub import build_analyzer
    from tasks.scrub.analyze import analyze_spans
    from tasks.scrub.spans import apply_spans

    settings = settings or eval_settings()
    analyzer = build_analyzer(settings)
    scrubbed, pred = [], []
    for text, spans in zip(texts, analyze_spans(texts, analyzer, settings), strict=True):
        scrubbed.append(apply_spans(text, spans)[0])
        pred.append([(s.start, s.end, s.entity_type) for s in spans])
    return scrubbed, pred


def predicted_spans(texts: list[str]) -> list[list[tuple[int, int, str]]]:
    """Merged ``(start, end, type)`` spans per text, as ``scrub_texts`` replaces them."""
    return scrub_and_spans(texts)[1]


def evaluate_pii(meter: Meter, root: Path | None = None,
                 split: str | None = None) -> list[dict]:
    """Score the scrubber on the synthetic set; throughput rows go to ``meter``.

    Args:
        meter: collects the scrub throughput row.
        root: the evaluation data folder (default ``data_root()``).
        split: ``"tune"``, ``"holdout"`` or ``None`` (the whole set).

    Returns:
        ``score_pii`` rows (per gold type, ``ALL (in scope)``, ``ALL``).
    """
    by_split = evaluate_splits(meter, root)
    return by_split[split or "all"]


def evaluate_splits(meter: Meter, root: Path | None = None,
                    settings: ScrubSettings | None = None) -> dict[str, list[dict]]:
    """``score_pii`` rows for the whole set (``"all"``) and for each split, from one pass."""
    from tasks.scrub import build_analyzer

    settings = settings or eval_settings()
    records = load_synth(root)
    texts, gold = group_gold(records)
    build_analyzer(settings)  # model load is setup, not throughput
    with meter.stage("presidio_synth", "scrub", len(texts)):
        scrubbed, pred = scrub_and_spans(texts, settings)
    out = {"all": score_pii(gold, pred, scrubbed)}
    for name in SPLITS:
        idx = [i for i, r in enumerate(records) if split_of(r) == name]
        out[name] = score_pii([gold[i] for i in idx], [pred[i] for i in idx],
                              [scrubbed[i] for i in idx])
    for name, rows in out.items():
        overall = next(r for r in rows if r["entity_type"] == "ALL (in scope)")
        log.info("PII %s in scope: precision %.3f recall %.3f F2 %.3f leak %.3f", name,
                 overall["precision"] or 0, overall["recall"] or 0, overall["f2"] or 0,
                 overall["leak_rate"] or 0)
    return out


def scrub_speed(path: Path, repeats: int = 1, settings: ScrubSettings | None = None) -> dict:
    """Conversations per second of ``scrub_conversations`` on a JSONL of conversations
    (analyzer built and warmed first; the best of ``repeats`` runs). Also per CPU second
of this process: on a shared, loaded machine wall time swings, CPU time much less."""
    from chorus.core.settings import IngestSettings
    from tasks.ingest import read_conversations
    from tasks.scrub import build_analyzer, scrub_conversations

    frame = read_conversations([path], IngestSettings()).conversations
    settings = settings or eval_settings()
    analyzer = build_analyzer(settings)
    scrub_conversations(frame.head(20), analyzer, settings)  # warm up
    best, best_cpu = float("inf"), float("inf")
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        scrub_conversations(frame, analyzer, settings)
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    return {"file": str(path), "conversations": frame.height, "seconds": round(best, 2),
            "conversations_per_s": round(frame.height / best, 1),
            "cpu_seconds": round(best_cpu, 2),
            "conversations_per_cpu_s": round(frame.height / best_cpu, 1)}


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def markdown_table(by_split: dict[str, list[dict]]) -> str:
    """One markdown table: per gold type, recall / typed recall / precision per split."""
    names = [n for n in ("tune", "holdout", "all") if n in by_split]
    head = ["type", "in scope"] + [f"{n} {m}" for n in names
                                   for m in ("n", "recall", "typed", "precision")]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    types = list(dict.fromkeys(r["entity_type"] for n in names for r in by_split[n]))
    types = sorted(t for t in types if not t.startswith("ALL")) + ["ALL (in scope)", "ALL"]
    for etype in types:
        cells = [etype, ""]
        for n in names:
            row = next((r for r in by_split[n] if r["entity_type"] == etype), None)
            if row is None or not row["support"]:
                cells += ["0", "-", "-", _fmt(row["precision"]) if row else "-"]
                continue
            cells[1] = "yes" if row["in_scope"] else "no"
            cells += [str(row["support"]), _fmt(row["recall"]), _fmt(row["recall_typed"]),
                      _fmt(row["precision"])]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speed", type=Path, default=None,
                        help="also time scrub_conversations on this conversations JSONL")
    parser.add_argument("--repeats", type=int, default=1, help="speed runs (best kept)")
    parser.add_argument("--out", type=Path, default=RESULTS / "pii.json")
    parser.add_argument("--speed-only", action="store_true",
                        help="only time --speed FILE, print it as JSON, write nothing")
    parser.add_argument("--spacy-model", default=None,
                        help="scrub.spacy_model to evaluate instead of the default")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    settings = eval_settings(**({"spacy_model": args.spacy_model} if args.spacy_model else {}))
    if args.speed_only:
        print(json.dumps(scrub_speed(args.speed, args.repeats, settings)))
        return
    meter = Meter()
    by_split = evaluate_splits(meter, settings=settings)
    doc: dict = {"date": time.strftime("%Y-%m-%d"),
                 "split": "holdout = sha256(str(template_id)) % 3 == 0 (bench.pii_eval)",
                 "spacy_model": settings.spacy_model,
                 "published": PUBLISHED, "pii": by_split, "throughput": meter.rows}
    if args.speed:
        doc["scrub_speed"] = scrub_speed(args.speed, args.repeats, settings)
        print(f"scrub speed: {doc['scrub_speed']}")
    print(markdown_table(by_split))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
