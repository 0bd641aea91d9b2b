"""Title assignment: sibling matching and which level keeps a contested title."""

from __future__ import annotations

import pytest

from tasks.summarize.assign import Node, assign, match_group


def nothing(_node: Node) -> set[str]:
    return set()


def test_a_small_sibling_keeps_its_only_option_when_a_larger_one_has_another():
    # greedy (largest first) would give "walrus" to the large sibling and leave the small
    # one unnamed
    large, small = Node(0, 0, None, 50, ["walrus", "seal"]), Node(0, 1, None, 5, ["walrus"])
    assert match_group([large, small], nothing) == ["seal", "walrus"]


def test_without_a_conflict_every_sibling_takes_its_first_option():
    nodes = [Node(0, k, None, 10 + k, [f"t{k}", "shared"]) for k in range(4)]
    assert match_group(nodes, nothing) == ["t0", "t1", "t2", "t3"]


@pytest.mark.parametrize("sizes, named", [
    ((10, 9), 0),    # the larger sibling keeps the one option both want
    ((9, 10), 1),
])
def test_when_one_option_serves_two_the_smaller_stays_unnamed(sizes, named):
    nodes = [Node(0, k, None, sizes[k], ["exam"]) for k in range(2)]
    out = match_group(nodes, nothing)
    assert out[named] == "exam" and out[1 - named] is None


def test_forbidden_options_are_never_given():
    node = Node(0, 0, None, 5, ["grief", "loss"])
    assert match_group([node], lambda n: {"grief"}) == ["loss"]
    assert match_group([node], lambda n: {"grief", "loss"}) == [None]


@pytest.mark.parametrize("order, child, parent", [
    # bottom-up: the base cluster keeps its only phrase, the parent takes another
    ("bottom_up", "repeat", "repeat and say"),
    # top-down: the parent takes its best option first; the child's only one is gone
    ("top_down", None, "repeat"),
])
def test_order_decides_who_keeps_a_contested_title(order, child, parent):
    nodes = [Node(1, 0, None, 40, ["repeat", "repeat and say"]),
             Node(0, 0, 0, 24, ["repeat"]), Node(0, 1, 0, 16, ["say"])]
    names = assign(nodes, 2, order)
    assert names[(0, 0)] == child
    assert names[(1, 0)] == parent
    assert names[(0, 1)] == "say"


def test_bottom_up_a_parent_avoids_every_descendant_not_only_its_children():
    nodes = [Node(2, 0, None, 30, ["grief", "loss"]), Node(1, 0, 0, 30, ["memory"]),
             Node(0, 0, 0, 30, ["grief"])]
    names = assign(nodes, 3, "bottom_up")
    assert names == {(0, 0): "grief", (1, 0): "memory", (2, 0): "loss"}


def test_cousins_may_share_a_title_in_either_order():
    nodes = [Node(1, 0, None, 10, ["travel"]), Node(1, 1, None, 10, ["food"]),
             Node(0, 0, 0, 10, ["packing list"]), Node(0, 1, 1, 10, ["packing list"])]
    for order in ("bottom_up", "top_down"):
        names = assign(nodes, 2, order)  # type: ignore[arg-type]
        assert names[(0, 0)] == names[(0, 1)] == "packing list"


def test_hundreds_of_siblings_get_distinct_names_and_uncontested_firsts_stay():
    nodes = [Node(0, k, None, 10 + k % 7, [f"own {k}", "shared"]) for k in range(300)]
    nodes += [Node(0, 300, None, 5, ["shared"])]  # only the shared option: it gets it
    out = match_group(nodes, nothing)
    assert out[:300] == [f"own {k}" for k in range(300)]
    assert out[300] == "shared"
