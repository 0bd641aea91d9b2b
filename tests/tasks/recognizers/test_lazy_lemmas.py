"""``DeferredLemmaEngine``: the artifacts equal an eager spaCy run's, lemmas on demand."""

from __future__ import annotations

import pytest
import spacy
from presidio_analyzer import AnalyzerEngine

from chorus.core.settings import ScrubSettings
from tasks.recognizers.analyzer import LANGUAGE, build_analyzer
from tasks.recognizers.lazy_lemmas import LEMMA_PIPES, DeferredArtifacts, deferrable_pipes

TEXTS = [
    "My manager Tom Becker called me on 415-555-0134 about the passports.",
    "her maiden name is nyberg and she lives at 12 Rue de Rivoli, Paris",
    "I was being told: phone numbers: (020) 7946 0958, mobile 07700 900123!",
    "nothing personal here, just a Python question about lists",
    "",
]


@pytest.fixture(scope="module")
def analyzer() -> AnalyzerEngine:
    return build_analyzer(ScrubSettings(progress=False))


def test_deferrable_pipes() -> None:
    assert deferrable_pipes(spacy.blank("en")) == []  # no ner: nothing to defer around
    nlp = spacy.blank("en")
    nlp.add_pipe("ner")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})  # after ner: not deferred
    assert deferrable_pipes(nlp) == []


@pytest.mark.slow
def test_artifacts_equal_an_eager_run(analyzer: AnalyzerEngine) -> None:
    engine = analyzer.nlp_engine
    nlp = engine.nlp[LANGUAGE]  # type: ignore[attr-defined]
    assert engine.deferred[LANGUAGE] == list(LEMMA_PIPES)  # type: ignore[attr-defined]
    assert not set(LEMMA_PIPES) & set(nlp.pipe_names) and "ner" in nlp.pipe_names
    lazy = [a for _, a in engine.process_batch(TEXTS, LANGUAGE, batch_size=2)]
    assert all(isinstance(a, DeferredArtifacts) and not a.materialized for a in lazy)
    with nlp.select_pipes(enable=[*LEMMA_PIPES, "ner"]):
        eager = [engine._doc_to_nlp_artifact(doc, LANGUAGE)  # the eager artifacts of
                 for doc in nlp.pipe(TEXTS, batch_size=2)]  # Presidio's SpacyNlpEngine
    for got, want in zip(lazy, eager, strict=True):
        assert [(e.start_char, e.end_char, e.label_) for e in got.entities] == [
            (e.start_char, e.end_char, e.label_) for e in want.entities]
        assert got.scores == want.scores and got.tokens_indices == want.tokens_indices
        assert [t.text for t in got.tokens] == [t.text for t in want.tokens]
        assert got.lemmas == want.lemmas and got.keywords == want.keywords
        assert got.materialized
    assert "phone" in lazy[2].keywords and "passport" in lazy[0].keywords  # real lemmas
