"""The word rule for LLM-written strings: k-backed in the cluster, or no member's and no
user's / >= k users' of the run."""

from __future__ import annotations

import pytest

from chorus.core import tokens
from tasks.llm.vocabulary import llm_words_ok, strictly_backed

pytestmark = pytest.mark.privacy

K = 5


def support(word: str, n_users: int, others: int = 0) -> dict[str, set[str]]:
    texts = [f"sleep {word}"] * n_users + ["sleep"] * others
    return tokens.user_support(texts, [f"u{i}" for i in range(len(texts))], 1)


@pytest.mark.parametrize("in_cluster, in_run, ok", [
    (K - 1, K - 1, False),    # some members wrote it, fewer than k
    (K, K, True),
    (K + 1, K + 1, True),
    (1, K + 3, False),        # k-backed in the run, but 1 member: still refused
    (0, 0, True),             # nobody wrote it: the model's own word
    (0, 1, False),            # no member, but 1 user of the run
    (0, K - 1, False),
    (0, K, True),             # no member; k users of the run (a sibling's phrase)
])
def test_word_rule_table(in_cluster, in_run, ok):
    cluster = support("zephyrine", in_cluster, others=K)
    run = support("zephyrine", in_run, others=K)
    assert llm_words_ok("Sleep and zephyrine help", cluster, run, K,
                        frozenset({"and", "help"})) is ok


def test_allowed_words_need_no_users():
    assert llm_words_ok("Requests about sleep", support("x", 0, K), support("x", 0, K), K,
                        frozenset({"requests", "about"}))


@pytest.mark.parametrize("n_users, ok", [(K - 1, False), (K, True)])
def test_strictly_backed_is_rule_5_before_the_llm_rule(n_users, ok):
    assert strictly_backed("Sleep zephyrine", support("zephyrine", n_users, K), K,
                           frozenset()) is ok
    assert not strictly_backed("Sleep novelword", support("x", K, K), K, frozenset())
