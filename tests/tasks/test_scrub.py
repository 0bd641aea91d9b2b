"""Scrub stage: pattern-only tests (fast) and real spaCy tests (marked slow)."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import polars as pl
import pytest
import yaml
from presidio_analyzer import (
    AnalyzerEngine,
    EntityRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerRegistry,
    RecognizerResult,
)
from presidio_analyzer.nlp_engine import NlpEngineProvider
from pydantic import ValidationError

import tasks.scrub as scrub
from chorus.core.env import PROJECT_ROOT
from chorus.core.errors import ChorusError, ConfigError, StageError
from chorus.core.schemas import PII_COUNTS_SCHEMA, SCRUBBED_SCHEMA
from chorus.core.settings import ScrubSettings
from tasks.recognizers.analyzer import NER_MODEL_CONFIGURATION, load_custom_recognizers
from tasks.scrub import Span, build_analyzer, effective_entities, merge_spans, scrub_conversations, scrub_task, scrub_texts

UTC = dt.timezone.utc
MESSAGES = pl.List(pl.Struct({"role": pl.Utf8, "content": pl.Utf8}))
INPUT_SCHEMA = {
    "conversation_id": pl.Utf8,
    "user_id": pl.Utf8,
    "created_at": pl.Datetime("us", "UTC"),
    "messages": MESSAGES,
}


def make_frame(conversations: list[tuple[str, str, list[tuple[str, str | None]]]]) -> pl.DataFrame:
    """Build an input frame from (conversation_id, user_id, [(role, content), ...])."""
    return pl.DataFrame(
        [
            {
                "conversation_id": cid,
                "user_id": uid,
                "created_at": dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
                "messages": [{"role": r, "content": c} for r, c in msgs],
            }
            for cid, uid, msgs in conversations
        ],
        schema=INPUT_SCHEMA,
    )


@pytest.fixture(scope="module")
def settings() -> ScrubSettings:
    return ScrubSettings(progress=False)


@pytest.fixture(scope="module")
def pattern_analyzer(settings: ScrubSettings) -> AnalyzerEngine:
    return build_analyzer(settings, nlp="none")


def analyzer_with(*recognizers) -> AnalyzerEngine:
    """An English analyzer with only ``recognizers`` and no NLP model (Presidio's no_op)."""
    registry = RecognizerRegistry(supported_languages=["en"])
    for recognizer in recognizers:
        registry.add_recognizer(recognizer)
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=NlpEngineProvider(
            nlp_configuration={
                "nlp_engine_name": "no_op",
                "models": [{"lang_code": "en", "model_name": "no_op"}],
            }
        ).create_engine(),
    )


def counts_by_type(pii_counts: pl.DataFrame) -> dict[str, tuple[int, int, int]]:
    return {
        row["entity_type"]: (row["n_entities"], row["n_conversations"], row["n_users"])
        for row in pii_counts.iter_rows(named=True)
        if row["n_entities"]
    }


# ------------------------------------------------------------------------- settings


def test_settings_forbid_unknown_fields() -> None:
    with pytest.raises(ValidationError):
        ScrubSettings(progres=False)


def test_settings_validate_ranges_and_entities() -> None:
    with pytest.raises(ValidationError):
        ScrubSettings(score_threshold=1.5)
    with pytest.raises(ValidationError):
        ScrubSettings(batch_size=0)
    with pytest.raises(ValidationError):
        ScrubSettings(entities=[])
    assert ScrubSettings(entities=["URL", " URL", "PERSON"]).entities == ["URL", "PERSON"]


def test_relative_recognizers_config_resolves_against_project_root() -> None:
    assert ScrubSettings().resolved_recognizers_config() == (
        PROJECT_ROOT / "configs" / "recognizers.yaml"
    )
    absolute = Path("/somewhere/else.yaml")
    assert ScrubSettings(recognizers_config=absolute).resolved_recognizers_config() == absolute


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


def write_yaml(tmp_path: Path, content: str) -> Path:
    path = tmp_path / "recognizers.yaml"
    path.write_text(content, encoding="utf-8")
    return path


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
        ("recognizers:\n  - class: tasks.scrub:ScrubSettings\n", "not an EntityRecognizer"),
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


# ------------------------------------------------------------------------- analyzer


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


# --------------------------------------------------------------------- merge_spans


def rr(entity: str, start: int, end: int, score: float = 0.5) -> RecognizerResult:
    return RecognizerResult(entity, start, end, score)


def test_merge_spans_covers_union_of_overlaps() -> None:
    text = "x" * 40
    merged = merge_spans([rr("URL", 5, 15, 0.5), rr("EMAIL_ADDRESS", 0, 12, 1.0)], text)
    assert merged == [Span(0, 15, "EMAIL_ADDRESS", 1.0)]


def test_merge_spans_chained_overlaps_and_type_by_longest_member() -> None:
    text = "x" * 40
    merged = merge_spans(
        [rr("PERSON", 10, 18, 0.85), rr("STREET_ADDRESS", 5, 30, 0.6), rr("URL", 28, 35)],
        text,
    )
    assert merged == [Span(5, 35, "STREET_ADDRESS", 0.85)]


def test_merge_spans_location_loses_ties() -> None:
    merged = merge_spans([rr("LOCATION", 0, 12, 0.85), rr("PERSON", 0, 12, 0.6)], "x" * 12)
    assert merged == [Span(0, 12, "PERSON", 0.85)]


def test_merge_spans_joins_same_type_across_spaces_only() -> None:
    text = "Tom Becker\nAnna and Bob"
    merged = merge_spans(
        [rr("PERSON", 0, 3), rr("PERSON", 4, 10), rr("PERSON", 11, 15), rr("PERSON", 20, 23)],
        text,
    )
    assert [(s.start, s.end) for s in merged] == [(0, 10), (11, 15), (20, 23)]


def test_merge_spans_keeps_adjacent_different_types_apart() -> None:
    merged = merge_spans([rr("PERSON", 0, 3), rr("URL", 3, 8)], "Tomx.com")
    assert [(s.entity_type, s.start, s.end) for s in merged] == [
        ("PERSON", 0, 3),
        ("URL", 3, 8),
    ]


def test_overlapping_detections_leave_no_partial_leak(settings: ScrubSettings) -> None:
    # Two recognizers whose spans overlap only partly: the union must go.
    analyzer = analyzer_with(
        PatternRecognizer("AAA", patterns=[Pattern("a", r"alpha bravo", 0.9)]),
        PatternRecognizer("BBB", patterns=[Pattern("b", r"bravo charlie delta", 0.5)]),
    )
    out, types = scrub_texts(
        ["say alpha bravo charlie delta echo"],
        analyzer,
        ScrubSettings(progress=False, entities=["AAA", "BBB"]),
    )
    assert out == ["say <BBB> echo"]
    assert types == [["BBB"]]


# ------------------------------------------------------------ scrubbing (patterns)


def test_scrub_texts_pattern_only(
    pattern_analyzer: AnalyzerEngine, settings: ScrubSettings
) -> None:
    texts = [
        "mail me at jo.bloggs@example.com or call (415) 555-0134",
        "nothing to see here",
        "",
        "my manager Tom Becker lives at 42 Maple Avenue, Springfield, IL 62704",
    ]
    out, types = scrub_texts(texts, pattern_analyzer, settings)
    assert out[0] == "mail me at <EMAIL_ADDRESS> or call <PHONE_NUMBER>"
    assert types[0] == ["EMAIL_ADDRESS", "PHONE_NUMBER"]
    assert out[1:3] == ["nothing to see here", ""]
    assert types[1:3] == [[], []]
    assert out[3] == "my manager <PERSON> lives at <STREET_ADDRESS>"
    assert types[3] == ["PERSON", "STREET_ADDRESS"]


def test_scrub_texts_batches_preserve_order(pattern_analyzer: AnalyzerEngine) -> None:
    texts = [f"server {i} is at 10.0.0.{i}" if i % 3 == 0 else f"plain {i}" for i in range(23)]
    out, types = scrub_texts(
        texts, pattern_analyzer, ScrubSettings(progress=False, batch_size=4)
    )
    for i, (text, kinds) in enumerate(zip(out, types)):
        if i % 3 == 0:
            assert text == f"server {i} is at <IP_ADDRESS>"
            assert kinds == ["IP_ADDRESS"]
        else:
            assert text == f"plain {i}" and kinds == []


CONVERSATIONS = [
    (
        "c1",
        "u1",
        [
            ("system", "You are a helpful assistant."),
            ("user", "my manager Tom Becker wants this by Friday"),
            ("assistant", "ASSISTANT-ONLY-CANARY Sure, Tom Becker can have it."),
            ("user", "ok, email it to tom.becker@example.com please"),
            ("assistant", "Done."),
        ],
    ),
    ("c2", "u1", [("user", "call me on (415) 555-0134 or jo@example.org")]),
    ("c3", "u2", [("assistant", "Hello! How can I help?")]),
    ("c4", "u3", [("user", None), ("User", "first para\n\nsecond para 10.1.2.3")]),
]


def test_scrub_conversations_shapes_and_text(
    pattern_analyzer: AnalyzerEngine, settings: ScrubSettings
) -> None:
    frame = make_frame(CONVERSATIONS)
    scrubbed, pii_counts = scrub_conversations(frame, pattern_analyzer, settings)

    assert scrubbed.schema == pl.Schema(SCRUBBED_SCHEMA)
    assert pii_counts.schema == pl.Schema(PII_COUNTS_SCHEMA)
    assert scrubbed["conversation_id"].to_list() == ["c1", "c2", "c3", "c4"]
    assert scrubbed["created_at"].to_list() == frame["created_at"].to_list()
    assert scrubbed["n_user_turns"].to_list() == [2, 1, 0, 2]
    assert scrubbed["n_assistant_turns"].to_list() == [2, 0, 1, 0]
    assert scrubbed["user_turns"].to_list() == [
        ["my manager <PERSON> wants this by Friday", "ok, email it to <EMAIL_ADDRESS> please"],
        ["call me on <PHONE_NUMBER> or <EMAIL_ADDRESS>"],
        [],
        ["", "first para\n\nsecond para <IP_ADDRESS>"],
    ]
    everything = str(scrubbed.to_dicts())
    assert "ASSISTANT-ONLY-CANARY" not in everything
    assert "helpful assistant" not in everything
    assert scrubbed["referral"].to_list() == [False, False, False, False]


REFERRAL_CANARY = "Qorvanthe-7731"


@pytest.mark.privacy
def test_referral_flag_comes_from_raw_assistant_turns_which_never_leave(
    pattern_analyzer: AnalyzerEngine, settings: ScrubSettings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    frame = make_frame([
        ("r1", "u1", [("user", "I feel so low lately"),
                      ("assistant", (f"I'm sorry, {REFERRAL_CANARY}. Please talk to a "
                                     "therapist or call the Samaritans on 116 123 "
                                     "(jo@example.org)."))]),
        ("r2", "u2", [("user", "book me a table for two"),
                      ("assistant", f"Booked, {REFERRAL_CANARY}. Enjoy your meal.")]),
        ("r3", "u3", [("user", "just me talking")]),  # no assistant turn: False
        ("r4", "u4", [("user", "hi"), ("assistant", None),
                      ("ASSISTANT", "Have you tried opening up to your parents?")]),
    ])
    scrubbed, _ = scrub_conversations(frame, pattern_analyzer, settings)
    assert scrubbed.schema == pl.Schema(SCRUBBED_SCHEMA)
    assert scrubbed["referral"].to_list() == [True, False, False, True]
    everything = str(scrubbed.to_dicts()) + str(scrubbed.columns)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for fragment in (REFERRAL_CANARY, "therapist", "Samaritans", "Booked", "parents"):
        assert fragment not in everything and fragment not in logged


def test_pii_counts_per_type(pattern_analyzer: AnalyzerEngine, settings: ScrubSettings) -> None:
    _, pii_counts = scrub_conversations(make_frame(CONVERSATIONS), pattern_analyzer, settings)
    assert counts_by_type(pii_counts) == {
        "PERSON": (1, 1, 1),
        "EMAIL_ADDRESS": (2, 2, 1),
        "PHONE_NUMBER": (1, 1, 1),
        "IP_ADDRESS": (1, 1, 1),
    }
    # every scrubbed type has a row, zeros included, sorted by type
    types = pii_counts["entity_type"].to_list()
    assert types == sorted(types)
    assert "CREDIT_CARD" in types
    assert "LOCATION" not in types  # not findable without NER


def test_turns_split_back_even_with_separator_inside_turns(
    pattern_analyzer: AnalyzerEngine, settings: ScrubSettings
) -> None:
    turns = ["a\n\nb\n\nc", "", "ip 10.0.0.1\n\n", "\n\nend"]
    frame = make_frame([("c", "u", [("user", t) for t in turns])])
    scrubbed, _ = scrub_conversations(frame, pattern_analyzer, settings)
    assert scrubbed["user_turns"].to_list() == [
        ["a\n\nb\n\nc", "", "ip <IP_ADDRESS>\n\n", "\n\nend"]
    ]


def test_span_across_turn_boundary_is_scrubbed_in_both_turns(settings: ScrubSettings) -> None:
    analyzer = analyzer_with(
        PatternRecognizer("CROSS", patterns=[Pattern("x", r"secret\s+stuff", 0.9)])
    )
    frame = make_frame([("c", "u", [("user", "the secret"), ("user", "stuff here")])])
    scrubbed, pii_counts = scrub_conversations(
        frame, analyzer, ScrubSettings(progress=False, entities=["CROSS"])
    )
    assert scrubbed["user_turns"].to_list() == [["the <CROSS>", "<CROSS> here"]]
    assert counts_by_type(pii_counts) == {"CROSS": (2, 1, 1)}


def test_long_conversations_are_scrubbed_turn_by_turn(
    pattern_analyzer: AnalyzerEngine, settings: ScrubSettings
) -> None:
    frame = make_frame(CONVERSATIONS)
    joined, joined_counts = scrub_conversations(frame, pattern_analyzer, settings)
    per_turn, per_turn_counts = scrub_conversations(
        frame, pattern_analyzer, ScrubSettings(progress=False, max_doc_chars=10)
    )
    assert per_turn.equals(joined)
    assert per_turn_counts.equals(joined_counts)


def test_empty_frame(pattern_analyzer: AnalyzerEngine, settings: ScrubSettings) -> None:
    scrubbed, pii_counts = scrub_conversations(make_frame([]), pattern_analyzer, settings)
    assert scrubbed.height == 0
    assert scrubbed.schema == pl.Schema(SCRUBBED_SCHEMA)
    assert pii_counts.schema == pl.Schema(PII_COUNTS_SCHEMA)
    assert pii_counts["n_entities"].sum() == 0


def test_input_without_messages_column_is_rejected(
    pattern_analyzer: AnalyzerEngine, settings: ScrubSettings
) -> None:
    frame = make_frame(CONVERSATIONS).drop("messages")
    with pytest.raises(ChorusError, match="messages"):
        scrub_conversations(frame, pattern_analyzer, settings)


def test_scrub_task_fn_runs_without_prefect_server(settings: ScrubSettings, monkeypatch) -> None:
    monkeypatch.setattr(
        scrub, "build_analyzer", lambda s: build_analyzer(s, nlp="none")
    )
    from chorus.core.rundata import release, run_data

    run_data("t-scrub").raw = make_frame(CONVERSATIONS)
    counts = scrub_task.fn("t-scrub", settings)
    data = run_data("t-scrub")
    scrubbed, pii_counts = data.scrubbed, data.pii_counts
    assert data.raw is None and "raw" not in data.held(), "raw text is dropped once scrubbed"
    release("t-scrub")
    assert scrubbed.height == 4 and counts["conversations"] == 4
    assert counts_by_type(pii_counts)["EMAIL_ADDRESS"] == (2, 2, 1)


# ------------------------------------------------------------------------- privacy

SECRET = "Zebulon Quartermaine lives at 77 Secret Lane"


class ExplodingRecognizer(EntityRecognizer):
    """Fails the way a library might: with the analyzed text in the message."""

    def __init__(self) -> None:
        super().__init__(supported_entities=["BOOM"], supported_language="en")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        raise ValueError(f"cannot parse {text!r}")


@pytest.fixture
def exploding_analyzer() -> AnalyzerEngine:
    return analyzer_with(ExplodingRecognizer())


@pytest.mark.privacy
def test_failing_analyzer_raises_stage_error_without_text(
    exploding_analyzer: AnalyzerEngine, caplog: pytest.LogCaptureFixture
) -> None:
    settings = ScrubSettings(progress=False, entities=["BOOM"])
    frame = make_frame([("c", "u", [("user", SECRET)])])
    caplog.set_level(logging.DEBUG)
    with pytest.raises(StageError) as info:
        scrub_conversations(frame, exploding_analyzer, settings)
    assert "scrub" in str(info.value)
    assert "Zebulon" not in str(info.value) and "Secret" not in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__
    with pytest.raises(StageError) as info2:
        scrub_texts([SECRET], exploding_analyzer, settings)
    assert "Zebulon" not in str(info2.value)
    assert all("Zebulon" not in r.getMessage() for r in caplog.records)


def run_task(run_id: str, frame: pl.DataFrame, settings: ScrubSettings):
    from chorus.core.rundata import release, run_data

    run_data(run_id).raw = frame
    try:
        return scrub_task.fn(run_id, settings)
    finally:
        release(run_id)


@pytest.mark.privacy
def test_task_turns_failures_into_stage_error(settings: ScrubSettings, monkeypatch) -> None:
    def explode(_settings):
        raise RuntimeError(f"boom {SECRET}")

    monkeypatch.setattr(scrub, "build_analyzer", explode)
    with pytest.raises(StageError) as info:
        run_task("t-boom", make_frame([("c", "u", [("user", SECRET)])]), settings)
    assert "Zebulon" not in str(info.value)


@pytest.mark.privacy
def test_task_passes_config_errors_through(tmp_path: Path) -> None:
    bad = write_yaml(tmp_path, "recognizers:\n  - class: no.such:Thing\n")
    with pytest.raises(ConfigError, match=r"recognizers\[0\]"):
        run_task("t-bad", make_frame([]), ScrubSettings(recognizers_config=bad, progress=False))


@pytest.mark.privacy
def test_logs_hold_counts_not_text(
    pattern_analyzer: AnalyzerEngine, settings: ScrubSettings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    scrub_conversations(make_frame(CONVERSATIONS), pattern_analyzer, settings)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for fragment in ("Tom Becker", "tom.becker@", "555-0134", "10.1.2.3", "first para", "CANARY"):
        assert fragment not in logged


# -------------------------------------------------------------- real spaCy (slow)


@pytest.fixture(scope="module")
def spacy_analyzer(settings: ScrubSettings) -> AnalyzerEngine:
    return build_analyzer(settings)


PLANTED = {
    "PERSON": ["Giulia Jones", "Tom Becker", "Xiomara Quispe", "Priya Patel"],
    "EMAIL_ADDRESS": ["sarah.connor@example.com", "jb42@mail.co.uk"],
    "PHONE_NUMBER": ["(415) 555-0134", "+44 20 7946 0958", "07700 900123", "212-555-0199"],
    "STREET_ADDRESS": [
        "42 Maple Avenue, Springfield, IL 62704",
        "12 Baker St, London NW1 6XE",
        "1187 Oak Street, Apt 4B",
    ],
    "CREDIT_CARD": ["4111 1111 1111 1111"],
    "IP_ADDRESS": ["192.168.1.20"],
    "URL": ["https://www.jones-photos.com/about"],
}

PLANTED_CONVERSATION = [
    ("user", "Hi, I had a long chat with Giulia Jones about the Python migration."),
    ("assistant", "ASSISTANT-ONLY-CANARY happy to help, Giulia Jones sounds great"),
    ("user", "my manager Tom Becker wants a reply to Xiomara Quispe by Monday."),
    ("user", "Priya Patel said to email sarah.connor@example.com or jb42@mail.co.uk"),
    ("user", "call (415) 555-0134, +44 20 7946 0958, 07700 900123 or 212-555-0199"),
    ("user", "ship to 42 Maple Avenue, Springfield, IL 62704 or 12 Baker St, London NW1 6XE"),
    ("user", "I used to live at 1187 Oak Street, Apt 4B"),
    ("user", "card 4111 1111 1111 1111 failed; server 192.168.1.20 is down"),
    ("user", "my photos are at https://www.jones-photos.com/about"),
]


@pytest.mark.slow
def test_spacy_analyzer_is_offline_and_lean(spacy_analyzer: AnalyzerEngine) -> None:
    pipeline = spacy_analyzer.nlp_engine.nlp["en"]
    assert "parser" not in pipeline.pipe_names  # disabled (measured faster)
    assert "ner" in pipeline.pipe_names and "lemmatizer" in pipeline.pipe_names
    assert {"PERSON", "LOCATION"} <= set(spacy_analyzer.get_supported_entities("en"))
    assert "ORGANIZATION" not in spacy_analyzer.get_supported_entities("en")


@pytest.mark.slow
@pytest.mark.privacy
def test_planted_pii_disappears(spacy_analyzer: AnalyzerEngine, settings: ScrubSettings) -> None:
    frame = make_frame([("c1", "u1", PLANTED_CONVERSATION)])
    scrubbed, pii_counts = scrub_conversations(frame, spacy_analyzer, settings)
    turns = scrubbed["user_turns"].to_list()[0]
    assert len(turns) == 8
    text = "\n".join(turns)
    for kind, values in PLANTED.items():
        for value in values:
            assert value not in text, kind
            assert f"<{kind}>" in text, kind
    # no fragment of an address, name or number survives either
    for fragment in ("Maple", "62704", "NW1", "Baker", "1187", "Becker", "Quispe", "0958"):
        assert fragment not in text
    assert "ASSISTANT-ONLY-CANARY" not in str(scrubbed.to_dicts())
    # topic words stay
    for word in ("Python", "migration", "server", "card"):
        assert word in text
    counts = counts_by_type(pii_counts)
    for kind in PLANTED:
        assert counts[kind][1] == 1


@pytest.mark.slow
def test_spacy_counts_on_tiny_frame(
    spacy_analyzer: AnalyzerEngine, settings: ScrubSettings
) -> None:
    frame = make_frame(
        [
            ("c1", "u1", [("user", "email a@example.com and b@example.com")]),
            ("c2", "u1", [("user", "my email is c@example.com")]),
            ("c3", "u2", [("user", "my IP is 10.0.0.7"), ("assistant", "noted 10.0.0.8")]),
            ("c4", "u3", [("user", "how do I sort a list in Python?")]),
        ]
    )
    scrubbed, pii_counts = scrub_conversations(frame, spacy_analyzer, settings)
    assert counts_by_type(pii_counts) == {"EMAIL_ADDRESS": (3, 2, 1), "IP_ADDRESS": (1, 1, 1)}
    assert scrubbed["user_turns"].to_list()[3] == ["how do I sort a list in Python?"]


@pytest.mark.slow
def test_name_from_earlier_turn_in_ner_context(
    spacy_analyzer: AnalyzerEngine, settings: ScrubSettings
) -> None:
    frame = make_frame(
        [
            (
                "c",
                "u",
                [
                    ("user", "My name is Oluwaseun Adeyemi and I need a cover letter."),
                    ("assistant", "Sure."),
                    ("user", "Sign it Oluwaseun Adeyemi, London."),
                ],
            )
        ]
    )
    scrubbed, _ = scrub_conversations(frame, spacy_analyzer, settings)
    text = "\n".join(scrubbed["user_turns"].to_list()[0])
    assert "Oluwaseun" not in text and "Adeyemi" not in text
    assert "London" not in text
