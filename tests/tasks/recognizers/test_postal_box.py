"""PostalBoxRecognizer: P.O. boxes, US military addresses and bare flat/suite numbers."""

from __future__ import annotations

import pytest

from tasks.recognizers.postal_box import PostalBoxRecognizer
from tests.tasks.recognizers.conftest import analyze, assert_results


@pytest.fixture(scope="module")
def recognizer() -> PostalBoxRecognizer:
    return PostalBoxRecognizer()


@pytest.fixture(scope="module")
def entities() -> list[str]:
    return ["STREET_ADDRESS"]


@pytest.mark.parametrize(
    "text, expected_len, expected_positions",
    [
        # fmt: off
        # must match
        ("write to P.O. Box 77", 1, ((9, 20),)),  # "P.O. Box 77"
        ("PO Box 310, Springfield", 1, ((0, 23),)),
        ("PSC 1234, Box 567\nAPO AE 09012", 1, ((0, 30),)),
        ("Unit 2020 Box 11", 1, ((0, 16),)),
        ("it's Apt. 12 on the left", 1, ((5, 12),)),  # "Apt. 12"
        ("Suite 400 is upstairs", 1, ((0, 9),)),  # "Suite 400"
        # must not match
        ("a box of 12 donuts", 0, ()),
        ("my inbox 3 times", 0, ()),
        ("apt 5 minutes", 0, ()),
        # fmt: on
    ],
)
def test_analyze(
    text: str,
    expected_len: int,
    expected_positions: tuple[tuple[int, int], ...],
    recognizer: PostalBoxRecognizer,
    entities: list[str],
) -> None:
    results = analyze(recognizer, text, entities)
    assert_results(results, text, entities[0], expected_len, expected_positions)
