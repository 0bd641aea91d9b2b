"""Rule 5: phrases and the words of names and descriptions need k users of their cluster."""

from __future__ import annotations

import pytest

from chorus.core.settings import PrivacySettings
from tasks.release import checked_strings

pytestmark = pytest.mark.privacy

K = 5
PRIVACY = PrivacySettings(min_users=K, min_conversations=K)


@pytest.mark.parametrize("phrase_users, kept", [(K - 1, False), (K, True), (K + 1, True)])
def test_phrase_needs_k_users_of_its_cluster(phrase_users, kept):
    texts = ["quiet zebra nightmare, sleep worry"] * phrase_users + \
        ["plain sleep worry"] * (10 - phrase_users)
    users = [f"u{i}" for i in range(10)]
    summary = {"name": "Sleep worry", "description": "Requests about sleep worry.",
               "phrases": [{"phrase": "zebra nightmare", "score": 1.0, "n_users": 10},
                           {"phrase": "sleep worry", "score": 0.5, "n_users": 10}]}
    out, dropped = checked_strings(summary, texts, users, PRIVACY,
                                   frozenset({"requests", "about"}))
    assert ("zebra nightmare" in [p["phrase"] for p in out["phrases"]]) is kept
    assert dropped == (0 if kept else 1)


@pytest.mark.parametrize("word_users, kept", [(K - 1, False), (K, True), (K + 1, True)])
def test_every_word_of_a_name_and_description_needs_k_users(word_users, kept):
    texts = ["sleep worry zanzibarian"] * word_users + ["sleep worry"] * (10 - word_users)
    users = [f"u{i}" for i in range(10)]
    summary = {"name": "Zanzibarian sleep worry",
               "description": "Requests about zanzibarian sleep worry.",
               "phrases": [{"phrase": "sleep worry", "score": 1.0, "n_users": 10}]}
    out, dropped = checked_strings(summary, texts, users, PRIVACY,
                                   frozenset({"requests", "about"}))
    assert (out["name"] == "Zanzibarian sleep worry") is kept
    assert (out["description"] == "Requests about zanzibarian sleep worry.") is kept
    assert [p["phrase"] for p in out["phrases"]] == ["sleep worry"]
    assert dropped == (0 if kept else 2)


def test_phrase_repeated_by_one_user_does_not_count():
    texts = ["zebra nightmare"] * 20 + ["sleep"] * 4
    users = ["heavy"] * 20 + ["a", "b", "c", "d"]
    summary = {"name": None, "description": None,
               "phrases": [{"phrase": "zebra nightmare", "score": 1.0, "n_users": 20}]}
    out, _ = checked_strings(summary, texts, users, PRIVACY, frozenset())
    assert out["phrases"] == []


def test_name_with_a_rare_word_is_dropped():
    texts = ["sleep worry"] * 9 + ["sleep worry zanzibarian"]
    users = [f"u{i}" for i in range(10)]
    summary = {"name": "Sleep worry zanzibarian", "description": "Requests about sleep worry.",
               "phrases": []}
    out, dropped = checked_strings(summary, texts, users, PRIVACY, frozenset({"requests", "about"}))
    assert out["name"] is None and out["description"] == "Requests about sleep worry."
    assert dropped == 1


def test_a_cluster_without_summary_publishes_no_string():
    out, dropped = checked_strings(None, ["sleep"] * K, [f"u{i}" for i in range(K)], PRIVACY,
                                   frozenset())
    assert out == {"name": None, "description": None, "phrases": []} and dropped == 0
