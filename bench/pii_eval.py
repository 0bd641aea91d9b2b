"""PII scrubbing quality of Chorus's scrubber on Presidio's synthetic set.

Reads ``presidio_synth/synth_dataset_v2.json`` (1,500 texts, 2,863 labelled spans) from
the evaluation data folder, runs the project's analyzer
(``tasks.scrub.build_analyzer(ScrubSettings())``) the way ``scrub_texts`` does (same
entities, threshold, allow list and span merging) to get the predicted spans, and
``scrub_texts`` itself for the scrubbed text whose verbatim leaks are counted. Scores
are ``bench.pii_metrics.score_pii`` rows. Presidio's published numbers on this set
(presidio-research; token-level, typed): default recall 0.603, precision 0.685, F2 0.618;
tuned recall 0.839, precision 0.870, F2 0.845.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from bench.loaders import _need, data_root
from bench.pii_metrics import group_gold, score_pii
from bench.throughput import Meter

log = logging.getLogger(__name__)

PUBLISHED = {"default": {"precision": 0.685, "recall": 0.603, "f2": 0.618},
             "tuned": {"precision": 0.870, "recall": 0.839, "f2": 0.845}}


def load_synth(root: Path | None = None) -> list[dict]:
    """The synthetic set's records ``{full_text, spans[{entity_type, entity_value,
    start_position, end_position}], ...}``."""
    path = _need((root or data_root()) / "presidio_synth" / "synth_dataset_v2.json")
    return json.loads(path.read_text(encoding="utf-8"))


def predicted_spans(texts: list[str]) -> list[list[tuple[int, int, str]]]:
    """Merged ``(start, end, type)`` spans per text, as ``scrub_texts`` replaces them."""
    from presidio_analyzer import BatchAnalyzerEngine

    from chorus.core.settings import ScrubSettings
    from tasks.scrub import LANGUAGE, build_analyzer, effective_entities, merge_spans

    settings = ScrubSettings(progress=False)
    analyzer = build_analyzer(settings)
    results = BatchAnalyzerEngine(analyzer).analyze_iterator(
        texts, language=LANGUAGE, batch_size=settings.batch_size,
        entities=effective_entities(analyzer, settings.entities),
        score_threshold=settings.score_threshold, allow_list=settings.allow_list or None)
    return [[(s.start, s.end, s.entity_type) for s in merge_spans(r, t)]
            for t, r in zip(texts, results, strict=True)]


def evaluate_pii(meter: Meter, root: Path | None = None) -> list[dict]:
    """Score the scrubber on the synthetic set; throughput rows go to ``meter``.

    Returns:
        ``score_pii`` rows (per gold type, ``ALL (in scope)``, ``ALL``).
    """
    from chorus.core.settings import ScrubSettings
    from tasks.scrub import build_analyzer, scrub_texts

    texts, gold = group_gold(load_synth(root))
    settings = ScrubSettings(progress=False)
    analyzer = build_analyzer(settings)
    with meter.stage("presidio_synth", "scrub", len(texts)):
        scrubbed, _ = scrub_texts(texts, analyzer, settings)
    pred = predicted_spans(texts)
    rows = score_pii(gold, pred, scrubbed)
    overall = next(r for r in rows if r["entity_type"] == "ALL (in scope)")
    log.info("PII in scope: precision %.3f recall %.3f F2 %.3f leak %.3f",
             overall["precision"] or 0, overall["recall"] or 0, overall["f2"] or 0,
             overall["leak_rate"] or 0)
    return rows
