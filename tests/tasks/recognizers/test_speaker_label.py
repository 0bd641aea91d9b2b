"""SpeakerLabelRecognizer: speaker names that start the lines of a pasted dialogue."""

from __future__ import annotations

import pytest

from tasks.recognizers.speaker_label import SpeakerLabelRecognizer
from tests.tasks.recognizers.conftest import analyze, assert_results


@pytest.fixture(scope="module")
def recognizer() -> SpeakerLabelRecognizer:
    return SpeakerLabelRecognizer()


@pytest.fixture(scope="module")
def entities() -> list[str]:
    return ["PERSON"]


@pytest.mark.parametrize(
    "text, expected_len, expected_positions",
    [
        # fmt: off
        # must match: two labelled lines, one label a listed first name
        ("Ubul: What a wife.\nNicole: Remember me?", 2, ((0, 4), (19, 25))),  # both
        # lower case, quote markers, a role label left readable
        ("> maria: hi\n> ubul: hello\n> Bot: hey", 2, ((2, 7), (14, 18))),  # "maria", "ubul"
        # must not match
        ("Ubul: What a wife.", 0, ()),  # one line is no dialogue
        ("Ubul: hi\nZorba: hello", 0, ()),  # no listed first name, no NER anchor
        ("Input: 3\nOutput: 4", 0, ()),
        ("name: app\nversion: 2\nimage: nginx", 0, ()),
        ("User: hi\nAssistant: hello", 0, ()),
        ("Nicole:\nUbul:", 0, ()),  # nothing after the colons
        # fmt: on
    ],
)
def test_analyze(
    text: str,
    expected_len: int,
    expected_positions: tuple[tuple[int, int], ...],
    recognizer: SpeakerLabelRecognizer,
    entities: list[str],
) -> None:
    results = analyze(recognizer, text, entities)
    assert_results(results, text, entities[0], expected_len, expected_positions)


def test_other_entities_are_not_searched(recognizer: SpeakerLabelRecognizer) -> None:
    assert recognizer.analyze("Ubul: hi\nNicole: hello", ["EMAIL_ADDRESS"], None) == []
