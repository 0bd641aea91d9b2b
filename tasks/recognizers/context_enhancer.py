"""Presidio's lemma context enhancer, with the same results and less work per document.

``LemmaContextAwareEnhancer`` raises the score of a result whose recognizer lists context
words ("phone", "passport") when one appears among the lemmas just before it. Presidio's
version reads ``NlpArtifacts.lemmas`` for every such result, scans the document's tokens
from the start to find the result's token, and tests each lemma against the keyword list
by a linear search. ``ContextEnhancer`` returns the same scores and the same results in
the same order, and differs in three ways only:

* a result whose score is already ``EntityRecognizer.MAX_SCORE`` is passed through (the
  enhancer can only add to a score and cap it at ``MAX_SCORE``), so a document whose only
  context-bearing results are certain never reads its lemmas (with
  ``tasks.recognizers.lazy_lemmas`` that skips the lemma pipes for it);
* under a ``ThresholdAnalyzer`` called with a ``score_threshold`` (and no decision
  process), a result is also passed through unboosted when its boost cannot change what is
  scrubbed (``settled``): its score already clears the threshold (it is kept either way)
  and no other result of its overlap group has its length and another entity type (the
  only place a score decides the scrubbed type: ``tasks.scrub.spans.merge_spans`` types
  a group by its longest member, then a priority, then the score). The scrubbed text and
  types are then those of Presidio's enhancer; only such a result's score is lower;
* the result's token is found by bisection on token end offsets (tokens are disjoint and
  in order, so the first token ending after ``start`` is the one Presidio's scan stops
  at);
* keywords are tested in a set.

The only other difference is the order of the surrounding-word list, which Presidio builds
through ``set()`` and only tests for membership.
"""

from __future__ import annotations

import copy
from bisect import bisect_right
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerResult
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts


@dataclass(frozen=True, slots=True)
class ContextIndex:
    """What context extraction needs from one document's artifacts.

    Attributes:
        ends: end offset of every token, ascending.
        lemmas: lower-cased lemma of every token.
        keywords: Presidio's keywords of the document (``NlpArtifacts.keywords``).
    """

    ends: list[int]
    lemmas: list[str]
    keywords: frozenset[str]

    @classmethod
    def of(cls, artifacts: NlpArtifacts) -> ContextIndex:
        """Build (or fetch, when ``artifacts`` caches it) the index of ``artifacts``."""
        cached = getattr(artifacts, "context_index", None)
        if isinstance(cached, ContextIndex):
            return cached
        index = cls(
            ends=[i + len(t) for i, t in zip(artifacts.tokens_indices, artifacts.tokens,
                                             strict=True)],
            lemmas=[lemma.lower() for lemma in artifacts.lemmas],
            keywords=frozenset(artifacts.keywords),
        )
        try:
            artifacts.context_index = index  # type: ignore[attr-defined]
        except AttributeError:  # a slotted artifacts class: no cache, same result
            pass
        return index


# The score threshold of the analysis in progress (``ThresholdAnalyzer.analyze``); None
# outside one, or when its outcome rule is not a single threshold: nothing is settled then.
_THRESHOLD: ContextVar[float | None] = ContextVar("chorus_context_threshold", default=None)


class ThresholdAnalyzer(AnalyzerEngine):
    """``AnalyzerEngine`` that tells its ``ContextEnhancer`` the analysis's threshold.

    Only a keyword ``score_threshold`` above 0 without ``return_decision_process`` is
    passed on (``BatchAnalyzerEngine`` passes its arguments by keyword); any other call
    runs exactly as ``AnalyzerEngine.analyze``.
    """

    def analyze(self, text: str, language: str, *args: Any,
                **kwargs: Any) -> list[RecognizerResult]:
        threshold = kwargs.get("score_threshold")
        usable = (not args and not kwargs.get("return_decision_process")
                  and isinstance(threshold, int | float) and threshold > 0)
        token = _THRESHOLD.set(float(threshold) if usable else None)  # type: ignore[arg-type]
        try:
            return super().analyze(text, language, *args, **kwargs)
        finally:
            _THRESHOLD.reset(token)


def settled(results: Sequence[RecognizerResult], threshold: float | None) -> list[bool]:
    """Per result: whether a context boost cannot change what is scrubbed (see the
    module docstring): certain (``MAX_SCORE``), or, with a threshold, at or above it and
    alone at its length among the other entity types of its overlap group (results
    chained by overlapping spans). O(n log n) in the results."""
    out = [r.score == EntityRecognizer.MAX_SCORE for r in results]
    if threshold is None or all(out):
        return out
    order = sorted(range(len(results)), key=lambda i: (results[i].start, -results[i].end))
    group: list[int] = []
    end = -1

    def close(members: list[int]) -> None:
        types_by_len: dict[int, set[str]] = {}
        for i in members:
            r = results[i]
            types_by_len.setdefault(r.end - r.start, set()).add(r.entity_type)
        for i in members:
            r = results[i]
            if not out[i] and r.score >= threshold and r.score > 0:
                out[i] = types_by_len[r.end - r.start] == {r.entity_type}

    for i in order:
        if group and results[i].start >= end:
            close(group)
            group = []
        group.append(i)
        end = max(end, results[i].end) if len(group) > 1 else results[i].end
    if group:
        close(group)
    return out


class ContextEnhancer(LemmaContextAwareEnhancer):
    """``LemmaContextAwareEnhancer`` with identical scores, but for ``settled`` results
    under a ``ThresholdAnalyzer``; see the module docstring."""

    def enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """As Presidio's, ``settled`` results passed through as copies."""
        certain = settled(raw_results, _THRESHOLD.get())
        if not any(certain):
            return super().enhance_using_context(
                text, raw_results, nlp_artifacts, recognizers, context)
        rest = [r for r, c in zip(raw_results, certain, strict=True) if not c]
        enhanced = iter(super().enhance_using_context(
            text, rest, nlp_artifacts, recognizers, context) if rest else [])
        return [copy.deepcopy(r) if c else next(enhanced)
                for r, c in zip(raw_results, certain, strict=True)]

    def _extract_surrounding_words(
        self, nlp_artifacts: NlpArtifacts, word: str, start: int
    ) -> list[str]:
        if not nlp_artifacts.tokens:
            return [""]
        index = ContextIndex.of(nlp_artifacts)
        token = bisect_right(index.ends, start)
        if token == len(index.ends):
            raise ValueError(
                "Did not find word '" + word + "' in the list of tokens although it "
                "is expected to be found"
            )
        words = self._collect(index, token, self.context_prefix_count + 1, -1)
        words += self._collect(index, token, self.context_suffix_count + 1, 1)
        return list(set(words))

    @staticmethod
    def _collect(index: ContextIndex, token: int, n: int, step: int) -> list[str]:
        """At most ``n`` keyword lemmas from ``token`` on, going ``step`` (-1 or 1)."""
        out: list[str] = []
        i = token
        while 0 <= i < len(index.lemmas) and len(out) < n:
            lemma = index.lemmas[i]
            if lemma in index.keywords:
                out.append(lemma)
            i += step
        return out
