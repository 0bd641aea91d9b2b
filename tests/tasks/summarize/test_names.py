"""Titles: k-backed words and "and" only; distinct among siblings and from ancestors."""

from __future__ import annotations

import numpy as np
import pytest

from chorus.core import tokens
from tasks.summarize import Material, assign_names, title_options
from tasks.summarize.names import CONNECTOR
from tests.tasks.summarize.conftest import fake_embed


def material(level, key, parent, size, phrases):
    return Material(level, key, parent, size, phrases, fake_embed(phrases))


def test_title_joins_the_best_phrase_to_its_complements():
    phrases = ["sql query", "query plan", "date filter", "dashboard"]
    options = title_options(phrases, fake_embed(phrases), max_redundancy=0.99)
    # "query plan" shares a word with the head: it is no complement
    assert options[0] == "sql query, date filter and dashboard"
    assert options[1] == "sql query and date filter"  # the shorter prefix next
    assert not any("sql query" in o and "query plan" in o for o in options)
    assert options[-len(phrases):] == phrases  # single phrases come last


@pytest.mark.parametrize("most, first", [
    (1, "sql query"),
    (2, "sql query and date filter"),
    (3, "sql query, date filter and dashboard"),
    (4, "sql query, date filter, dashboard and left join"),
])
def test_a_title_holds_at_most_most_phrases(most, first):
    phrases = ["sql query", "date filter", "dashboard", "left join", "query plan"]
    options = title_options(phrases, fake_embed(phrases), 0.99, most=most)
    assert options[0] == first
    assert all(o.count(",") + (" and " in o) + 1 <= most for o in options)


@pytest.mark.parametrize("phrases, first", [
    (["grief"], "grief"),                                      # one phrase: itself
    (["friend", "friends", "friendship"], "friend"),         # all overlap: no complement
    (["exam", "exam revision", "revision"], "exam and revision"),
])
def test_overlapping_phrases_never_share_a_title(phrases, first):
    options = title_options(phrases, fake_embed(phrases), 0.99)
    assert options[0] == first


@pytest.mark.parametrize("max_redundancy, joined", [(0.99, False), (1.0, True)])
def test_a_redundant_complement_is_not_joined(max_redundancy, joined):
    phrases = ["listen", "silent"]  # the same letters: cosine 1 for the fake embedder
    options = title_options(phrases, fake_embed(phrases), max_redundancy)
    assert (options[0] == "listen and silent") is joined


def test_siblings_and_parents_never_share_a_name():
    same = ["grief", "memory alive", "grandmother"]
    materials = [
        material(1, 0, None, 100, same),                        # parent
        material(0, 0, 0, 60, same),                           # its only child: same words
        material(0, 1, 0, 40, same),                           # a sibling with the same words
        material(0, 2, 0, 10, ["grief", "memory alive"]),
    ]
    names = assign_names(materials, 2, max_redundancy=0.99)
    parent = names[(1, 0)]
    children = [names[(0, k)] for k in range(3)]
    assert parent and all(children)
    assert parent not in children
    assert len(set(children)) == 3


def test_larger_siblings_choose_first():
    phrases = ["exam", "revision"]
    names = assign_names([material(0, 0, None, 5, phrases), material(0, 1, None, 50, phrases)],
                         1, max_redundancy=0.99)
    assert names[(0, 1)] == "Exam and revision"
    assert names[(0, 0)] != names[(0, 1)]


def test_no_material_no_name_and_exhausted_options_no_duplicate():
    names = assign_names([material(0, 0, None, 5, ["walrus"]), material(0, 1, None, 4, ["walrus"]),
                          material(0, 2, None, 3, [])], 1, max_redundancy=0.99)
    assert names == {(0, 0): "Walrus", (0, 1): None, (0, 2): None}


def test_cousins_may_share_a_name():
    """Distinctness is among siblings and along the ancestor line, not across the tree."""
    materials = [material(1, 0, None, 10, ["travel"]), material(1, 1, None, 10, ["food"]),
                 material(0, 0, 0, 10, ["packing list"]), material(0, 1, 1, 10, ["packing list"])]
    names = assign_names(materials, 2, max_redundancy=0.99)
    assert names[(0, 0)] == names[(0, 1)] == "Packing list"


@pytest.mark.parametrize("order, holder", [("top_down", (1, 0)), ("bottom_up", (0, 0))])
def test_parent_and_children_all_differ_with_three_phrase_titles(order, holder):
    """A parent with two children holding the same material and a third with less: the
    level that chooses first takes the best three-phrase title, every other node a
    different option."""
    words = ["grief", "memory alive", "grandmother", "funeral"]
    materials = [material(1, 0, None, 100, words)] + [
        material(0, k, 0, 50 - k, words if k < 2 else words[:2]) for k in range(3)]
    names = assign_names(materials, 2, max_redundancy=0.99, order=order)
    assert names[holder] == "Grief, memory alive and grandmother"
    children = [names[(0, k)] for k in range(3)]
    assert all(children) and len(set(children)) == 3
    assert names[(1, 0)] not in children


def test_every_title_word_is_a_phrase_word_or_the_connector():
    phrases = ["left join", "duplicate rows", "products table", "count distinct"]
    for option in title_options(phrases, fake_embed(phrases), 0.99):
        extra = set(tokens.words(option)) - {w for p in phrases for w in p.split()}
        assert extra <= {CONNECTOR}
    assert CONNECTOR in tokens.TEMPLATE_WORDS


def test_names_are_capitalized_not_recased():
    names = assign_names([material(0, 0, None, 1, ["sql query"])], 1, 0.9)
    assert names[(0, 0)] == "Sql query"
    assert np.all([n[0].isupper() for n in names.values() if n])


@pytest.mark.parametrize("a, b, shared", [
    ("friend", "friends", True), ("meeting", "meetings", True),
    ("sql query", "query plan", True), ("grief", "funeral", False),
])
def test_overlap_is_a_shared_word_or_stem(a, b, shared):
    from tasks.summarize.names import overlap

    assert overlap(a, b) is shared


@pytest.mark.parametrize("top, most, expected", [
    (2, 2, ["sql query", "date filter", "sql query and date filter", "query plan",
            "dashboard"]),
    (3, 1, ["sql query", "date filter", "query plan", "dashboard"]),
    # "sql query" and "query plan" share a word: never in one title
    (4, 3, ["sql query", "date filter", "query plan", "dashboard",
            "sql query and date filter", "sql query and dashboard",
            "date filter and query plan", "date filter and dashboard",
            "query plan and dashboard", "sql query, date filter and dashboard",
            "date filter, query plan and dashboard"]),
])
def test_title_candidates_combine_the_top_phrases_that_fit(top, most, expected):
    from tasks.summarize.names import title_candidates

    phrases = ["sql query", "date filter", "query plan", "dashboard"]
    assert title_candidates(phrases, fake_embed(phrases), 0.99, top, most) == expected


def test_title_candidates_leave_out_redundant_pairs():
    from tasks.summarize.names import title_candidates

    phrases = ["listen", "silent", "grief"]  # listen/silent: cosine 1 (the same letters)
    options = title_candidates(phrases, fake_embed(phrases), 0.99, 3, 2)
    assert "listen and silent" not in options
    assert {"listen and grief", "silent and grief"} <= set(options)


def test_given_options_are_used_in_their_order():
    m = Material(0, 0, None, 5, ["exam", "revision"], fake_embed(["exam", "revision"]),
                 options=["revision", "exam and revision"])
    sibling = Material(0, 1, None, 9, ["revision"], fake_embed(["revision"]))
    names = assign_names([m, sibling], 1, max_redundancy=0.99)
    assert names == {(0, 1): "Revision", (0, 0): "Exam and revision"}
