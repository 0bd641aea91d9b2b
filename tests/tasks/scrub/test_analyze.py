"""``tasks.scrub.analyze``: batched analysis and ``scrub_texts``."""

from __future__ import annotations

from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer

from chorus.core.settings import ScrubSettings
from tasks.scrub import scrub_texts
from tests.tasks.scrub.conftest import analyzer_with


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
    for i, (text, kinds) in enumerate(zip(out, types, strict=True)):
        if i % 3 == 0:
            assert text == f"server {i} is at <IP_ADDRESS>"
            assert kinds == ["IP_ADDRESS"]
        else:
            assert text == f"plain {i}" and kinds == []
