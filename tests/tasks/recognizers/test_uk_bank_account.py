"""UkBankAccountRecognizer: sort codes after a cue and the 8-digit account beside one."""

from __future__ import annotations

import pytest

from tasks.recognizers.uk_bank_account import UkBankAccountRecognizer
from tests.tasks.recognizers.conftest import (
    analyze,
    assert_declares_patterns_and_context,
    assert_results,
)


@pytest.fixture(scope="module")
def recognizer() -> UkBankAccountRecognizer:
    return UkBankAccountRecognizer()


@pytest.fixture(scope="module")
def entities() -> list[str]:
    return ["UK_BANK_NUMBER"]


@pytest.mark.parametrize(
    "text, expected_len, expected_positions",
    [
        # fmt: off
        # must match
        ('sort code 12-34-56', 1, ((10, 18),)),  # "12-34-56"
        ('sort-code: 123456', 1, ((11, 17),)),  # "123456"
        ('Sort code is 12 34 56', 1, ((13, 21),)),  # "12 34 56"
        ('sort code 12-34-56, account 12345678', 2, ((10, 18), (28, 36))),  # "12-34-56", "12345678"
        ('account 12345678, sort code 12-34-56', 2, ((8, 16), (28, 36))),  # "12345678", "12-34-56"
        # must not match
        ('sort code 1234', 0, ()),
        ('sorted 12-34-56', 0, ()),
        ('account 12345678', 0, ()),
        ('sort code 12-34 56', 0, ()),
        # fmt: on
    ],
)
def test_analyze(
    text: str,
    expected_len: int,
    expected_positions: tuple[tuple[int, int], ...],
    recognizer: UkBankAccountRecognizer,
    entities: list[str],
) -> None:
    results = analyze(recognizer, text, entities)
    assert_results(results, text, entities[0], expected_len, expected_positions)


def test_declares_patterns_and_context(
    recognizer: UkBankAccountRecognizer, entities: list[str]
) -> None:
    assert_declares_patterns_and_context(UkBankAccountRecognizer, recognizer)
    assert recognizer.supported_entities == entities
