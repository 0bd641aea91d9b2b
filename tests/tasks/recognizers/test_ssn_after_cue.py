"""SsnAfterCueRecognizer: 3-2-4 digits after an SSN cue, or dashed anywhere."""

from __future__ import annotations

import pytest

from tasks.recognizers.ssn_after_cue import SsnAfterCueRecognizer
from tests.tasks.recognizers.conftest import (
    analyze,
    assert_declares_patterns_and_context,
    assert_results,
)


@pytest.fixture(scope="module")
def recognizer() -> SsnAfterCueRecognizer:
    return SsnAfterCueRecognizer()


@pytest.fixture(scope="module")
def entities() -> list[str]:
    return ["US_SSN"]


@pytest.mark.parametrize(
    "text, expected_len, expected_positions",
    [
        # fmt: off
        # must match
        ('My SSN is 123-45-6789', 1, ((10, 21),)),  # "123-45-6789"
        ('ssn 078 05 1120 please', 1, ((4, 15),)),  # "078 05 1120"
        ('social security number: 219099999', 1, ((24, 33),)),  # "219099999"
        ("it's 219-09-9999", 1, ((5, 16),)),  # "219-09-9999"
        # must not match
        ('SSN 1234', 0, ()),
        ('ssn 12345678901', 0, ()),
        ('call 123-456-7890', 0, ()),
        ('on 2024-05-01', 0, ()),
        ('ssn 123-45 6789', 0, ()),
        # fmt: on
    ],
)
def test_analyze(
    text: str,
    expected_len: int,
    expected_positions: tuple[tuple[int, int], ...],
    recognizer: SsnAfterCueRecognizer,
    entities: list[str],
) -> None:
    results = analyze(recognizer, text, entities)
    assert_results(results, text, entities[0], expected_len, expected_positions)


def test_declares_patterns_and_context(
    recognizer: SsnAfterCueRecognizer, entities: list[str]
) -> None:
    assert_declares_patterns_and_context(SsnAfterCueRecognizer, recognizer)
    assert recognizer.supported_entities == entities


@pytest.mark.parametrize("text, expected", [
    # the phone recognizers match these digits too: the scrubber types them US_SSN
    ("ssn 078 05 1120 please", "ssn <US_SSN> please"),
    ("social security number 219-09-9999", "social security number <US_SSN>"),
    ("My SSN is 123-45-6789", "My SSN is <US_SSN>"),
])
def test_ssn_is_typed_us_ssn_in_the_scrubber(text: str, expected: str) -> None:
    from chorus.core.settings import ScrubSettings
    from tasks.recognizers.analyzer import build_analyzer
    from tasks.scrub import scrub_texts

    settings = ScrubSettings(progress=False)
    analyzer = build_analyzer(settings, nlp="none")
    assert scrub_texts([text], analyzer, settings)[0] == [expected]
