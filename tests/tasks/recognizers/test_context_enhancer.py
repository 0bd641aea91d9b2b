"""``ContextEnhancer`` gives Presidio's ``LemmaContextAwareEnhancer`` scores, in order.

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

from tasks.recognizers.context_enhancer import ContextEnhancer
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
