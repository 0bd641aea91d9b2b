"""Batched analysis: documents through Presidio (and spaCy) in batches, to merged spans.

``analyze_spans`` is the one place the analyzer runs; ``scrub_texts`` scrubs independent
texts with it (the evaluation harness uses it; the stage goes through
``scrub_conversations``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence

from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine
from tqdm.auto import tqdm

from chorus.core.errors import text_safe_errors
from chorus.core.settings import ScrubSettings
from tasks.recognizers.analyzer import LANGUAGE, effective_entities
from tasks.scrub.spans import Span, apply_spans, merge_spans


def analyze_spans(
    docs: Sequence[str], analyzer: AnalyzerEngine, settings: ScrubSettings
) -> Iterator[list[Span]]:
    """Yield the merged spans of each document, in order, batched through spaCy.

    Args:
        docs: Texts to analyze.
        analyzer: From ``build_analyzer``.
        settings: ``entities`` (through ``effective_entities``), ``score_threshold``,
            ``allow_list``, ``batch_size``, ``progress`` (a bar on a terminal only).

    Yields:
        Per document, its disjoint spans (``merge_spans``).

    Raises:
        ConfigError: A requested entity type is unsupported.
    """
    entities = effective_entities(analyzer, settings.entities)
    batch_engine = BatchAnalyzerEngine(analyzer)
    size = settings.batch_size
    with tqdm(
        total=len(docs), unit="doc", desc="scrub",
        disable=not (settings.progress and sys.stderr.isatty()), leave=False,
    ) as bar:
        for first in range(0, len(docs), size):
            chunk = list(docs[first:first + size])
            batch_results = batch_engine.analyze_iterator(
                chunk,
                language=LANGUAGE,
                batch_size=size,
                entities=entities,
                score_threshold=settings.score_threshold,
                allow_list=settings.allow_list or None,
            )
            for text, results in zip(chunk, batch_results, strict=True):
                yield merge_spans(results, text)
            bar.update(len(chunk))


@text_safe_errors("scrub")
def scrub_texts(
    texts: list[str], analyzer: AnalyzerEngine, settings: ScrubSettings
) -> tuple[list[str], list[list[str]]]:
    """Scrub independent texts.

    Args:
        texts: Texts to scrub (``None`` is read as the empty string).
        analyzer: From ``build_analyzer``.
        settings: Stage settings (entities, threshold, batch size, progress).

    Returns:
        The scrubbed texts, each detected span replaced by ``<ENTITY_TYPE>``, and per
        text the entity types replaced, in text order.

    Raises:
        ConfigError: A requested entity type is unsupported.
        StageError: Anything else failed (the original message is withheld).
    """
    docs = ["" if t is None else str(t) for t in texts]
    scrubbed: list[str] = []
    types: list[list[str]] = []
    for text, spans in zip(docs, analyze_spans(docs, analyzer, settings), strict=True):
        new_text, replaced = apply_spans(text, spans)
        scrubbed.append(new_text)
        types.append(replaced)
    return scrubbed, types
