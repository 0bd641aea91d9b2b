"""``tasks.recognizers.analyzer``: the recognizers config, the offline analyzer build,
its NER configuration and ``effective_entities``. Self-contained (no shared fixtures)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from presidio_analyzer import AnalyzerEngine

from chorus.core.env import PROJECT_ROOT
from chorus.core.errors import ConfigError
from chorus.core.settings import ScrubSettings
from tasks.recognizers.analyzer import (
    NER_MODEL_CONFIGURATION,
    build_analyzer,
    effective_entities,
    load_custom_recognizers,
)


@pytest.fixture(scope="module")
def settings() -> ScrubSettings:
    return ScrubSettings(progress=False)


@pytest.fixture(scope="module")
def pattern_analyzer(settings: ScrubSettings) -> AnalyzerEngine:
    return build_analyzer(settings, nlp="none")


def write_yaml(tmp_path: Path, content: str) -> Path:
    path = tmp_path / "recognizers.yaml"
    path.write_text(content, encoding="utf-8")
    return path


def test_ner_model_configuration_matches_installed_presidio_default() -> None:
    import presidio_analyzer

    default = yaml.safe_load(
        (Path(presidio_analyzer.__file__).parent / "conf" / "default.yaml").read_text()
    )["ner_model_configuration"]
    ours = NER_MODEL_CONFIGURATION
    assert ours["model_to_presidio_entity_mapping"] == default["model_to_presidio_entity_mapping"]
    assert ours["labels_to_ignore"] == default["labels_to_ignore"]
    assert ours["low_confidence_score_multiplier"] == default["low_confidence_score_multiplier"]
    assert ours["low_score_entity_names"] == [
        n for n in default["low_score_entity_names"] or [] if n
    ]


# ------------------------------------------------------------------ recognizers.yaml


def test_project_recognizers_config_loads() -> None:
    recognizers = load_custom_recognizers(PROJECT_ROOT / "configs" / "recognizers.yaml")
    names = {type(r).__name__ for r in recognizers}
    assert {
        "StreetAddressRecognizer",
        "PersonContextRecognizer",
        "PostcodeRecognizer",
        "FirstNameRecognizer",
        "PhoneFormatRecognizer",
    } <= names


def test_disabled_entries_are_skipped_and_kwargs_passed(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path,
        "recognizers:\n"
        "  - class: tasks.recognizers.street_address:StreetAddressRecognizer\n"
        "    enabled: false\n"
        "  - class: tasks.recognizers.postcode:PostcodeRecognizer\n"
        "    kwargs: {name: MyPostcodes}\n",
    )
    recognizers = load_custom_recognizers(path)
    assert [r.name for r in recognizers] == ["MyPostcodes"]


def test_empty_recognizer_list_is_allowed(tmp_path: Path) -> None:
    assert load_custom_recognizers(write_yaml(tmp_path, "recognizers: []\n")) == []
    assert load_custom_recognizers(write_yaml(tmp_path, "recognizers:\n")) == []


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("recognizers: [\n", "not valid YAML"),
        ("- just a list\n", "single key 'recognizers'"),
        ("recognizers: []\nextra: 1\n", "single key 'recognizers'"),
        ("recognizers: {class: x}\n", "must be a list"),
        ("recognizers:\n  - just-a-string\n", "recognizers[0]"),
        (
            "recognizers:\n  - class: tasks.recognizers.postcode:PostcodeRecognizer\n"
            "  - class: tasks.recognizers.postcode:Nope\n",
            "recognizers[1]: cannot import",
        ),
        ("recognizers:\n  - class: no.such.module:Thing\n", "recognizers[0]: cannot import"),
        ("recognizers:\n  - class: tasks.recognizers.postcode\n", "recognizers[0]: 'class'"),
        # an importable class that is not a recognizer (the settings model)
        ("recognizers:\n  - class: chorus.core.settings:ScrubSettings\n",
         "not an EntityRecognizer"),
        (
            "recognizers:\n  - class: tasks.recognizers.postcode:PostcodeRecognizer\n"
            "    enabled: maybe\n",
            "'enabled'",
        ),
        (
            "recognizers:\n  - class: tasks.recognizers.postcode:PostcodeRecognizer\n"
            "    colour: red\n",
            "unknown keys ['colour']",
        ),
        (
            "recognizers:\n  - class: tasks.recognizers.postcode:PostcodeRecognizer\n"
            "    kwargs: {no_such_arg: 1}\n",
            "failed to construct",
        ),
        (
            "recognizers:\n  - class: tasks.recognizers.postcode:PostcodeRecognizer\n"
            "    kwargs: {supported_language: de}\n",
            "does not support language",
        ),
    ],
)
def test_bad_recognizers_config_raises_config_error(
    tmp_path: Path, content: str, fragment: str
) -> None:
    path = write_yaml(tmp_path, content)
    with pytest.raises(ConfigError) as info:
        load_custom_recognizers(path)
    assert fragment in str(info.value)
    assert str(path) in str(info.value)


def test_missing_recognizers_config_raises_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        load_custom_recognizers(tmp_path / "absent.yaml")
    with pytest.raises(ConfigError, match="does not exist"):
        build_analyzer(
            ScrubSettings(recognizers_config=tmp_path / "absent.yaml"), nlp="none"
        )


# ------------------------------------------------------------------------- analyzer


def test_build_analyzer_refuses_bad_config_file(tmp_path: Path) -> None:
    path = write_yaml(tmp_path, "recognizers:\n  - class: no.such:Thing\n")
    with pytest.raises(ConfigError, match=r"recognizers\[0\]"):
        build_analyzer(ScrubSettings(recognizers_config=path), nlp="none")


def test_build_analyzer_rejects_unknown_nlp(settings: ScrubSettings) -> None:
    with pytest.raises(ConfigError):
        build_analyzer(settings, nlp="stanza")  # type: ignore[arg-type]


def test_missing_spacy_model_is_a_config_error_not_a_download(monkeypatch) -> None:
    import spacy.cli

    def no_download(*args, **kwargs):  # pragma: no cover - must not be reached
        raise AssertionError("tried to download a spaCy model")

    monkeypatch.setattr(spacy.cli, "download", no_download)
    with pytest.raises(ConfigError, match="not installed"):
        build_analyzer(ScrubSettings(spacy_model="en_core_web_nonexistent_xx"))


def test_pattern_analyzer_is_cached(settings: ScrubSettings) -> None:
    assert build_analyzer(settings, nlp="none") is build_analyzer(
        ScrubSettings(progress=False, score_threshold=0.9, batch_size=3), nlp="none"
    )


def test_effective_entities(pattern_analyzer: AnalyzerEngine) -> None:
    # NER-only types are dropped for a pattern-only analyzer ...
    assert effective_entities(pattern_analyzer, ["LOCATION", "URL", "PERSON"]) == [
        "URL",
        "PERSON",
    ]
    # ... but a typo is an error, never a silent no-op.
    with pytest.raises(ConfigError, match="EMAIL"):
        effective_entities(pattern_analyzer, ["EMAIL"])
    with pytest.raises(ConfigError):
        build_analyzer(ScrubSettings(entities=["EMAIL"]), nlp="none")


@pytest.mark.slow
def test_spacy_analyzer_is_offline_and_lean(settings: ScrubSettings) -> None:
    spacy_analyzer = build_analyzer(settings)
    pipeline = spacy_analyzer.nlp_engine.nlp["en"]
    assert "parser" not in pipeline.pipe_names  # disabled (measured faster)
    assert "ner" in pipeline.pipe_names
    # the lemma pipes are kept, deferred to the documents whose lemmas are read
    assert "lemmatizer" in pipeline.component_names and "lemmatizer" not in pipeline.pipe_names
    assert {"PERSON", "LOCATION"} <= set(spacy_analyzer.get_supported_entities("en"))
    assert "ORGANIZATION" not in spacy_analyzer.get_supported_entities("en")


BLAS_TEXTS = [
    "Hi, I'm Giulia Jones and I moved from Espoo to 14 Baker Street, London last May.",
    "My manager Tom O'Brien keeps emailing tom.obrien@example.com at 11pm on Thursday.",
    "Call me on +44 20 7946 0958 or visit https://example.org/help before Friday.",
    "Can you help with a SQL query that filters dashboards by date?",
]


@pytest.mark.slow
def test_numpy_blas_is_the_default_and_finds_what_blis_finds(settings: ScrubSettings) -> None:
    from tasks.scrub.analyze import analyze_spans

    def layer_ops(analyzer: AnalyzerEngine) -> set[bool]:
        ner = analyzer.nlp_engine.nlp["en"].get_pipe("ner")  # type: ignore[attr-defined]
        return {node.ops.use_blis for node in ner.model.walk()}

    numpy_analyzer = build_analyzer(settings)
    blis_settings = ScrubSettings(progress=False, spacy_blis=True)
    blis_analyzer = build_analyzer(blis_settings)
    assert blis_analyzer is not numpy_analyzer  # the cache key holds the setting
    assert layer_ops(numpy_analyzer) == {False}
    assert layer_ops(blis_analyzer) == {True}
    numpy_spans = list(analyze_spans(BLAS_TEXTS, numpy_analyzer, settings))
    blis_spans = list(analyze_spans(BLAS_TEXTS, blis_analyzer, blis_settings))
    assert numpy_spans == blis_spans
    assert {s.entity_type for spans in numpy_spans for s in spans} >= {
        "PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "STREET_ADDRESS"
    }
