"""A spaCy NLP engine for Presidio that computes lemmas only for documents that need them.

Presidio reads three things from spaCy: tokens (the tokenizer), entities (the ``ner``
pipe) and lemmas (``NlpArtifacts.lemmas`` and ``.keywords``, which only
``LemmaContextAwareEnhancer`` reads, and only for a result whose recognizer has context
words). In ``en_core_web_md``/``_sm`` the ``ner`` pipe has its own embedding layer, so the
pipes that make lemmas (``tok2vec`` -> ``tagger`` -> ``attribute_ruler`` ->
``lemmatizer``; ``LEMMA_PIPES``) feed nothing else Presidio reads. ``DeferredLemmaEngine``
runs the batch through the tokenizer and ``ner`` only and hands out ``DeferredArtifacts``
whose ``lemmas`` and ``keywords`` run the lemma pipes on that one document the first time
they are read. A document no context-bearing recognizer fires on never runs them.

Contract: the artifacts' ``entities``, ``scores``, ``tokens``, ``tokens_indices``,
``lemmas`` and ``keywords`` equal ``SpacyNlpEngine``'s for the same text (tests check this
on a table and on the PII evaluation set); ``DeferredLemmaEngine.deferrable`` says when the
pipeline allows it (else the engine runs every pipe eagerly, as Presidio's does).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine, SpacyNlpEngine
from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc

# Pipes whose only output Presidio reads is the lemma, in pipeline order.
LEMMA_PIPES: tuple[str, ...] = ("tok2vec", "tagger", "attribute_ruler", "lemmatizer")


def deferrable_pipes(nlp: Language) -> list[str]:
    """The enabled ``LEMMA_PIPES`` that may be deferred, in pipeline order.

    Empty (nothing deferred) unless ``ner`` is enabled, comes after every one of them, and
    does not listen to the shared ``tok2vec`` (its model has its own embedding).
    """
    names = list(nlp.pipe_names)
    if "ner" not in names:
        return []
    ner_model = nlp.get_pipe("ner").model  # type: ignore[attr-defined]
    listens = any(
        node.name.startswith("tok2vec-listener") for node in ner_model.walk()
    )
    deferred = [n for n in names if n in LEMMA_PIPES]
    if listens or any(names.index(n) > names.index("ner") for n in deferred):
        return []
    return deferred


class DeferredArtifacts(NlpArtifacts):
    """``NlpArtifacts`` whose ``lemmas`` and ``keywords`` are computed on first read.

    ``annotate(doc)`` runs the deferred pipes on ``doc`` in place; the lemma list and the
    keywords are then derived exactly as ``NlpArtifacts`` derives them.
    """

    def __init__(
        self,
        entities: list[Any],
        tokens: Doc,
        tokens_indices: list[int],
        nlp_engine: NlpEngine,
        language: str,
        scores: list[float] | None,
        annotate: Callable[[Doc], None],
    ) -> None:
        self.entities = entities
        self.tokens = tokens
        self.tokens_indices = tokens_indices
        self.nlp_engine = nlp_engine
        self.scores = scores if scores else [0.85] * len(entities)
        self._language = language
        self._annotate: Callable[[Doc], None] | None = annotate
        self._lemmas: list[str] = []
        self._keywords: list[str] = []

    def _materialize(self) -> None:
        if self._annotate is not None:
            self._annotate(self.tokens)
            self._annotate = None
            self._lemmas = [token.lemma_ for token in self.tokens]
            self._keywords = NlpArtifacts.set_keywords(
                self.nlp_engine, self._lemmas, self._language
            )

    @property
    def lemmas(self) -> list[str]:  # type: ignore[override]
        """Lemma of every token (the lemma pipes run on first read)."""
        self._materialize()
        return self._lemmas

    @property
    def keywords(self) -> list[str]:  # type: ignore[override]
        """Presidio's keywords: lower-cased lemmas, stop words and punctuation removed."""
        self._materialize()
        return self._keywords

    @property
    def materialized(self) -> bool:
        """Whether the lemma pipes have run on this document."""
        return self._annotate is None

    def to_json(self) -> str:
        """As ``NlpArtifacts.to_json``, lemmas computed first."""
        self._materialize()
        return super().to_json()


class DeferredLemmaEngine(SpacyNlpEngine):
    """``SpacyNlpEngine`` that defers the lemma pipes (``deferrable_pipes``) per document.

    After ``load()`` the deferred pipes are disabled in the pipeline and run, in order,
    only when a document's ``DeferredArtifacts`` lemmas are read. ``deferred`` lists them
    (empty: every pipe runs eagerly and the artifacts are plain ``NlpArtifacts``).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deferred: dict[str, list[str]] = {}
        self._procs: dict[str, list[Callable[[Doc], Doc]]] = {}

    def defer(self, language: str) -> list[str]:
        """Disable the deferrable pipes of ``language``'s pipeline; returns their names."""
        nlp: Language = self.nlp[language]  # type: ignore[index]
        names = deferrable_pipes(nlp)
        for name in names:
            nlp.disable_pipe(name)
        self.deferred[language] = names
        self._procs[language] = [nlp.get_pipe(name) for name in names]
        return names

    def _doc_to_nlp_artifact(self, doc: Doc, language: str) -> NlpArtifacts:
        procs = self._procs.get(language)
        if not procs:
            return super()._doc_to_nlp_artifact(doc, language)
        entities, scores = self._get_updated_entities(
            self._get_entities(doc), self._get_scores_for_entities(doc)
        )

        def annotate(target: Doc, procs: Sequence[Callable[[Doc], Doc]] = procs) -> None:
            for proc in procs:
                proc(target)

        return DeferredArtifacts(
            entities=entities,
            tokens=doc,
            tokens_indices=doc.to_array(IDX).tolist(),  # = [t.idx for t in doc], in C
            nlp_engine=self,
            language=language,
            scores=scores,
            annotate=annotate,
        )
