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
from dataclasses import dataclass

from presidio_analyzer import EntityRecognizer, RecognizerResult
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


class ContextEnhancer(LemmaContextAwareEnhancer):
    """``LemmaContextAwareEnhancer`` with identical scores; see the module docstring."""

    def enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """As Presidio's, results already at ``MAX_SCORE`` passed through as copies."""
        certain = [r.score == EntityRecognizer.MAX_SCORE for r in raw_results]
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
