"""``ContextEnhancer`` gives Presidio's ``LemmaContextAwareEnhancer`` scores, in order, and
under a ``ThresholdAnalyzer`` the same scrubbed spans with fewer lemma reads.

Artifacts are built on spaCy's real English tokenizer (a blank pipeline, no model), with
lemmas given per row, so every row runs in milliseconds.
"""

from __future__ import annotations

import pytest
import spacy
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts, SpacyNlpEngine
from spacy.tokens import Doc

from tasks.recognizers.context_enhancer import ContextEnhancer, ThresholdAnalyzer, settled
from tasks.recognizers.lazy_lemmas import DeferredArtifacts


@pytest.fixture(scope="module")
def engine() -> SpacyNlpEngine:
    engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": "blank:en"}])
    engine.nlp = {"en": spacy.blank("en")}  # tokenizer and stop words only: no download
    return engine


def _recognizer(context: list[str]) -> PatternRecognizer:
    return PatternRecognizer(supported_entity="PHONE_NUMBER", name=f"R{len(context)}",
                             patterns=[Pattern("digits", r"\d{3}-\d{4}", 0.4)],
                             context=context)


def _results(text: str, recognizer: PatternRecognizer, scores: list[float]) -> list[
        RecognizerResult]:
    found = recognizer.analyze(text, recognizer.supported_entities)
    for result, score in zip(found, scores, strict=False):
        result.score = score
        result.recognition_metadata[RecognizerResult.RECOGNIZER_IDENTIFIER_KEY] = (
            recognizer.id)
    return found


def _artifacts(engine: SpacyNlpEngine, text: str, lemmas: dict[str, str]) -> NlpArtifacts:
    doc = engine.nlp["en"](text)  # type: ignore[index]
    return NlpArtifacts(
        entities=[], tokens=doc, tokens_indices=[t.idx for t in doc],
        lemmas=[lemmas.get(t.text, t.text) for t in doc], nlp_engine=engine, language="en")


# (text, lemma overrides, recognizer context words, scores of the matches in order,
#  whether the first match is boosted); "call" is a spaCy stop word, so never context
CASES = [
    ("ring me on 555-0134", {}, ["ring"], [0.4], True),           # cue right before
    ("my phones: 555-0134", {"phones": "phone"}, ["phone"], [0.4], True),  # its lemma
    ("phone a b c d e f g h 555-0134", {}, ["phone"], [0.4], False),  # 6+ words back
    ("phone is the one of 555-0134", {}, ["phone"], [0.4], True),  # stop words skipped
    ("555-0134 is my cell", {}, ["cell"], [0.4], False),           # after: not looked at
    ("tel555-0134 ok", {}, ["tel"], [0.4], True),                  # glued to the cue
    ("MOBILE 555-0134 or 555-0199", {}, ["mobile"], [0.4, 1.0], True),  # certain: as is
    ("call me on 555-0134", {}, ["call"], [0.4], False),           # a stop word
    ("no cue 555-0134", {}, ["phone"], [0.4], False),
    ("phone 555-0134", {}, [], [0.4], False),                      # recognizer has none
    ("phone 555-0134 and 555-0199", {}, ["phone"], [1.0, 1.0], False),  # all certain
    ("", {}, ["phone"], [], False),
]


@pytest.mark.parametrize(("text", "lemmas", "context", "scores", "boosted"), CASES)
def test_scores_and_order_match_presidio(engine: SpacyNlpEngine, text: str,
                                         lemmas: dict[str, str], context: list[str],
                                         scores: list[float], boosted: bool) -> None:
    recognizer = _recognizer(context)
    raw = _results(text, recognizer, scores)
    expected = LemmaContextAwareEnhancer().enhance_using_context(
        text, raw, _artifacts(engine, text, lemmas), [recognizer])
    got = ContextEnhancer().enhance_using_context(
        text, raw, _artifacts(engine, text, lemmas), [recognizer])
    assert [(r.start, r.end, r.entity_type, r.score) for r in got] == [
        (r.start, r.end, r.entity_type, r.score) for r in expected]
    assert all(g is not r for g, r in zip(got, raw, strict=True))  # copies, as Presidio's
    assert bool(got) and got[0].score > scores[0] if boosted else not got or (
        got[0].score == scores[0])


def test_certain_results_do_not_read_lemmas(engine: SpacyNlpEngine) -> None:
    text = "phone 555-0134"
    recognizer = _recognizer(["phone"])
    runs: list[Doc] = []

    def make(doc: Doc) -> DeferredArtifacts:
        return DeferredArtifacts(entities=[], tokens=doc, tokens_indices=[t.idx for t in doc],
                                 nlp_engine=engine, language="en", scores=None,
                                 annotate=runs.append)

    doc = engine.nlp["en"](text)  # type: ignore[index]
    certain = make(doc)
    ContextEnhancer().enhance_using_context(
        text, _results(text, recognizer, [1.0]), certain, [recognizer])
    assert not certain.materialized and runs == []
    unsure = make(doc)
    ContextEnhancer().enhance_using_context(
        text, _results(text, recognizer, [0.4]), unsure, [recognizer])
    assert unsure.materialized and runs == [doc]


def _r(start: int, end: int, entity: str, score: float) -> RecognizerResult:
    return RecognizerResult(entity, start, end, score)


# (results as (start, end, type, score), threshold, settled per result)
SETTLED = [
    ([(0, 8, "PHONE_NUMBER", 0.39)], 0.4, [False]),        # below: the boost decides
    ([(0, 8, "PHONE_NUMBER", 0.4)], 0.4, [True]),          # at: kept either way
    ([(0, 8, "PHONE_NUMBER", 0.41)], 0.4, [True]),
    ([(0, 8, "PHONE_NUMBER", 0.6)], None, [False]),        # no threshold: Presidio's rule
    ([(0, 8, "PHONE_NUMBER", 1.0)], None, [True]),         # certain
    ([(0, 8, "PHONE_NUMBER", 0.6), (4, 12, "US_SSN", 0.6)], 0.4, [False, False]),  # same
    ([(0, 8, "PHONE_NUMBER", 0.6), (0, 8, "PHONE_NUMBER", 0.5)], 0.4, [True, True]),  # type
    ([(0, 8, "PHONE_NUMBER", 0.6), (2, 6, "PERSON", 0.6)], 0.4, [True, True]),  # lengths
    ([(0, 8, "PERSON", 0.6), (7, 11, "URL", 0.6), (10, 18, "URL", 0.6)], 0.4,
     [False, True, False]),                                # a chain is one group
    ([(0, 8, "PERSON", 0.6), (8, 16, "URL", 0.6)], 0.4, [True, True]),  # touching: two
    ([(0, 8, "PHONE_NUMBER", 0.0)], 0.0, [False]),         # threshold 0 is never passed on
    ([], 0.4, []),
]


@pytest.mark.parametrize(("results", "threshold", "expected"), SETTLED)
def test_settled(results: list[tuple[int, int, str, float]], threshold: float | None,
                 expected: list[bool]) -> None:
    assert settled([_r(*r) for r in results], threshold or None) == expected


@pytest.mark.slow
def test_lazy_context_scrubs_what_presidio_scrubs_and_reads_fewer_lemmas() -> None:
    """The real analyzer with ``lazy_context`` against Presidio's enhancer and eager
    pipes: the same merged spans (offsets and types) on every text; settled results'
    documents never run the lemma pipes."""
    from chorus.core.settings import ScrubSettings
    from tasks.recognizers.analyzer import build_analyzer
    from tasks.scrub.analyze import analyze_spans

    texts = [
        "My manager Tom Becker called me on 415-555-0134 about the passports.",
        "phone: 415-555-0134",                          # settled: cue, score >= threshold
        "my licence is D1234567 and my phone 020 7946 0958",  # a weak pattern needs its cue
        "I was being told: phone numbers: (020) 7946 0958, mobile 07700 900123!",
        "email me at tom.becker@example.com or see https://example.com/tom",
        "nothing personal here, just a Python question about lists", "",
    ]
    lazy_settings = ScrubSettings(progress=False)
    eager_settings = ScrubSettings(progress=False, lazy_context=False)
    lazy, eager = build_analyzer(lazy_settings), build_analyzer(eager_settings)
    assert isinstance(lazy, ThresholdAnalyzer) and not isinstance(eager, ThresholdAnalyzer)

    def spans(analyzer, settings) -> list[list[tuple[int, int, str]]]:
        return [[(s.start, s.end, s.entity_type) for s in doc]
                for doc in analyze_spans(texts, analyzer, settings)]

    assert spans(lazy, lazy_settings) == spans(eager, eager_settings)
    artifacts = dict(lazy.nlp_engine.process_batch(texts[1:2], "en"))
    lazy.analyze(text=texts[1], language="en", nlp_artifacts=artifacts[texts[1]],
                 score_threshold=lazy_settings.score_threshold)
    assert not artifacts[texts[1]].materialized  # the phone number is kept unboosted
    lazy.analyze(text=texts[1], language="en", nlp_artifacts=artifacts[texts[1]])
    assert artifacts[texts[1]].materialized  # no threshold given: Presidio's rule
