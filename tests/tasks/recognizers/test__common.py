"""The regex building blocks of ``_common.py``: NAME, FULL_NAME and NOT_STOPWORD.

Each block is wrapped in a ChorusPatternRecognizer of its own, so it compiles under the
recognizers' flags (IGNORECASE on; the Title-case parts stay case-sensitive).
"""

from __future__ import annotations

import pytest
from presidio_analyzer import Pattern

from tasks.recognizers._common import (
    FULL_NAME,
    NAME,
    NOT_STOPWORD,
    ChorusPatternRecognizer,
)
from tests.tasks.recognizers.conftest import analyze, assert_results

ENTITY = "BLOCK"


def block_recognizer(regex: str) -> ChorusPatternRecognizer:
    return ChorusPatternRecognizer(patterns=[Pattern("block", regex, 0.5)], supported_entity=ENTITY)


@pytest.fixture(scope="module")
def entities() -> list[str]:
    return [ENTITY]


@pytest.fixture(scope="module")
def name_recognizer() -> ChorusPatternRecognizer:
    return block_recognizer(NAME)


@pytest.fixture(scope="module")
def full_name_recognizer() -> ChorusPatternRecognizer:
    return block_recognizer(FULL_NAME)


@pytest.fixture(scope="module")
def not_stopword_recognizer() -> ChorusPatternRecognizer:
    # a whole word that passes the stopword check
    return block_recognizer(r"\b" + NOT_STOPWORD + r"\p{L}+\b")


@pytest.mark.parametrize(
    "text, expected_len, expected_positions",
    [
        # fmt: off
        # must match: one to three Title-case name words on one line
        ("Tom", 1, ((0, 3),)),
        ("O'Brien", 1, ((0, 7),)),
        ("O’Neill", 1, ((0, 7),)),
        ("Mary-Jane", 1, ((0, 9),)),
        ("McDonald", 1, ((0, 8),)),
        ("José", 1, ((0, 4),)),
        ("Andrew", 1, ((0, 6),)),  # "And" is a stopword, "Andrew" is not
        ("Tom's laptop", 1, ((0, 3),)),  # "Tom": the possessive stays outside
        ("Anna J. Kowalski", 1, ((0, 16),)),  # a middle initial inside
        ("Jack White", 1, ((0, 10),)),  # only the first word is checked against stopwords
        ("Tom  Becker", 1, ((0, 11),)),
        ("said Tom Becker.", 1, ((5, 15),)),  # "Tom Becker"
        ("Anna Lena Maria Vogt", 2, ((0, 15), (16, 20),)),  # three words at most
        ("Tom\nBecker", 2, ((0, 3), (4, 10),)),  # never across a line break
        ("Tom, Ines", 2, ((0, 3), (5, 9),)),
        ("Sorry Tom", 1, ((6, 9),)),  # "Tom"
        ("iPhone", 1, ((1, 6),)),  # "Phone": no left anchor, the recognizers add one
        # must not match
        ("tom", 0, ()),
        ("TOM", 0, ()),
        ("ChatGPT", 0, ()),
        ("Sorry", 0, ()),
        ("Monday", 0, ()),
        # fmt: on
    ],
)
def test_name(
    text: str,
    expected_len: int,
    expected_positions: tuple[tuple[int, int], ...],
    name_recognizer: ChorusPatternRecognizer,
    entities: list[str],
) -> None:
    results = analyze(name_recognizer, text, entities)
    assert_results(results, text, entities[0], expected_len, expected_positions)


@pytest.mark.parametrize(
    "text, expected_len, expected_positions",
    [
        # fmt: off
        # must match: two or three name words
        ("Giulia Jones", 1, ((0, 12),)),
        ("Anna J. Kowalski", 1, ((0, 16),)),
        ("Mohammed Al Hassan", 1, ((0, 18),)),
        ("Anna-Lena Vogt", 1, ((0, 14),)),
        ("Tom O'Brien", 1, ((0, 11),)),
        ("Jack White", 1, ((0, 10),)),
        ("Tom Becker Smith Jones", 1, ((0, 16),)),  # "Tom Becker Smith"
        # must not match
        ("Giulia", 0, ()),
        ("Docker", 0, ()),
        ("Sorry Tom", 0, ()),
        ("Monday Morning", 0, ()),
        ("Dear Anna", 0, ()),
        ("Tom and Anna", 0, ()),
        ("Tom\nSmith", 0, ()),
        ("giulia jones", 0, ()),
        ("Ravi K Menon", 0, ()),  # an initial needs its dot here
        # fmt: on
    ],
)
def test_full_name(
    text: str,
    expected_len: int,
    expected_positions: tuple[tuple[int, int], ...],
    full_name_recognizer: ChorusPatternRecognizer,
    entities: list[str],
) -> None:
    results = analyze(full_name_recognizer, text, entities)
    assert_results(results, text, entities[0], expected_len, expected_positions)


@pytest.mark.parametrize(
    "text, expected_len, expected_positions",
    [
        # fmt: off
        # passes: not a stopword, or not its Title-case spelling, or a longer word
        ("Tom", 1, ((0, 3),)),
        ("sorry", 1, ((0, 5),)),
        ("SORRY", 1, ((0, 5),)),
        ("Andrew", 1, ((0, 6),)),
        ("Iris", 1, ((0, 4),)),
        ("Americano", 1, ((0, 9),)),
        ("Teams", 1, ((0, 5),)),
        ("June", 1, ((0, 4),)),  # months stay names
        ("Sorry Tom", 1, ((6, 9),)),  # "Tom"
        # refused: function words, titles, states, addressees, assistants, weekdays, demonyms
        ("Sorry", 0, ()),
        ("And", 0, ()),
        ("I", 0, ()),
        ("Mr", 0, ()),
        ("Mrs", 0, ()),
        ("Dr", 0, ()),
        ("Best", 0, ()),
        ("Team", 0, ()),
        ("ChatGPT", 0, ()),
        ("Monday", 0, ()),
        ("American", 0, ()),
        # fmt: on
    ],
)
def test_not_stopword(
    text: str,
    expected_len: int,
    expected_positions: tuple[tuple[int, int], ...],
    not_stopword_recognizer: ChorusPatternRecognizer,
    entities: list[str],
) -> None:
    results = analyze(not_stopword_recognizer, text, entities)
    assert_results(results, text, entities[0], expected_len, expected_positions)
