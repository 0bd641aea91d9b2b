"""UkNhsRecognizer: ten digits after an NHS cue, checksum or not."""

from __future__ import annotations

import pytest

from tasks.recognizers.uk_nhs import UkNhsRecognizer
from tests.tasks.recognizers.conftest import (
    analyze,
    assert_declares_patterns_and_context,
    assert_results,
)


@pytest.fixture(scope="module")
def recognizer() -> UkNhsRecognizer:
    return UkNhsRecognizer()


@pytest.fixture(scope="module")
def entities() -> list[str]:
    return ["UK_NHS"]


@pytest.mark.parametrize(
    "text, expected_len, expected_positions",
    [
        # fmt: off
        # must match
        ('my NHS number is 943 476 5919', 1, ((17, 29),)),  # "943 476 5919"
        ('nhs no. 9434765919', 1, ((8, 18),)),  # "9434765919"
        ('NHS: 943-476-5919', 1, ((5, 17),)),  # "943-476-5919"
        ('national health service number 401 023 2137', 1, ((31, 43),)),  # "401 023 2137"
        # must not match
        ('call 943 476 5919', 0, ()),
        ('NHS 111', 0, ()),
        ('NHS since 2019', 0, ()),
        ('nhs number 12345', 0, ()),
        # fmt: on
    ],
)
def test_analyze(
    text: str,
    expected_len: int,
    expected_positions: tuple[tuple[int, int], ...],
    recognizer: UkNhsRecognizer,
    entities: list[str],
) -> None:
    results = analyze(recognizer, text, entities)
    assert_results(results, text, entities[0], expected_len, expected_positions)


def test_declares_patterns_and_context(
    recognizer: UkNhsRecognizer, entities: list[str]
) -> None:
    assert_declares_patterns_and_context(UkNhsRecognizer, recognizer)
    assert recognizer.supported_entities == entities


@pytest.mark.parametrize("text, expected", [
    # 943 476 5919 passes the NHS checksum: without its cue it stays a phone number
    ("my NHS number is 943 476 5919", "my NHS number is <UK_NHS>"),
    ("NHS no: 9434765919 thanks", "NHS no: <UK_NHS> thanks"),
    ("call me on 943 476 5919", "call me on <PHONE_NUMBER>"),
    ("my mobile is 943 476 5919", "my mobile is <PHONE_NUMBER>"),
])
def test_nhs_versus_phone_in_the_scrubber(text: str, expected: str) -> None:
    from chorus.core.settings import ScrubSettings
    from tasks.recognizers.analyzer import REPLACED_PREDEFINED, build_analyzer
    from tasks.scrub import scrub_texts

    settings = ScrubSettings(progress=False)
    analyzer = build_analyzer(settings, nlp="none")
    names = {r.name for r in analyzer.registry.recognizers}
    assert not names & set(REPLACED_PREDEFINED) and "UkNhsRecognizer" in names
    assert scrub_texts([text], analyzer, settings)[0] == [expected]
