"""The llm_names stage against a real HTTP server on 127.0.0.1: canned names replace the
offline ones where they pass the word rule and the PII check, fallbacks are counted, the
budget is kept, and no request ever carries a request text or a below-k word."""

from __future__ import annotations

import json
import logging

import pytest

from chorus.core.settings import ScrubSettings
from tasks.llm import llm_names_stage
from tasks.llm.budget import estimate_prompt
from tests.tasks.llm.conftest import (
    BELOW_K_WORD,
    PRIVACY,
    SMALL_CLUSTER_WORD,
    TEXTS,
    llm_settings,
    make_run,
)
from tests.tasks.llm.fake_llm import MODEL_WORD, FakeLLM, Reply, chat, naming_reply, user_payload

SCRUB = ScrubSettings(progress=False)
N_CANDIDATES = 5  # base 0, 1, 2 and both parents (base 3 is below k)


def names(run) -> dict[tuple[int, int], tuple[str, str]]:
    return {(r["level"], r["cluster_key"]): (r["name"], r["description"])
            for r in run.summaries.iter_rows(named=True)}


def stage(run, server, **kw):
    return llm_names_stage(run, llm_settings(server.url, **kw), PRIVACY, SCRUB, nlp="none")


def test_canned_names_replace_offline_ones_bottom_up(run):
    with FakeLLM() as server:
        counts = stage(run, server)
    got = names(run)
    assert got[(0, 0)] == (f"Sleep {MODEL_WORD}", "Quendrilic sleep.")
    assert got[(0, 1)][0] == f"Spreadsheet formula {MODEL_WORD}"
    assert got[(0, 3)] == ("Grumplewhisk hobby", "Requests about grumplewhisk hobby."), \
        "a cluster below k is never sent and keeps its summary"
    assert (counts["clusters"], counts["named"], counts["fallbacks"]) == (N_CANDIDATES, 5, 0)
    assert counts["llm_calls"] == len(server.bodies) == N_CANDIDATES
    assert counts["llm_prompt_tokens"] == 100 * N_CANDIDATES  # the server's usage
    parents = [user_payload(b)["topic"] for b in server.bodies
               if "subtopics" in user_payload(b)["topic"]]
    assert sorted(map(sorted, (p["subtopics"] for p in parents))) == [
        [f"Cover letter {MODEL_WORD}"],
        [f"Sleep {MODEL_WORD}", f"Spreadsheet formula {MODEL_WORD}"]]
    first = user_payload(server.bodies[0])
    assert len(first["neighbouring_topics"]) == 2, "contrast with the other candidates"


@pytest.mark.parametrize("name, accepted", [
    (f"Sleep {BELOW_K_WORD}", False),         # 2 members wrote it (k = 3)
    (f"Sleep {SMALL_CLUSTER_WORD}", False),   # no member; 2 users of the run
    ("Sleep and spreadsheet", True),          # 'spreadsheet': no member, 6 users of the run
    ("Restless nights troubleshooting", True),  # nobody wrote these: the model's words
    ("Sleep jo.doe@example.com", False),      # PII analyzer
    ("Sleep 212-555-0143", False),
])
def test_the_word_rule_and_the_pii_check_decide_a_name(run, name, accepted):
    def respond(body, _n):
        topic = user_payload(body)["topic"]
        if topic["key_phrases"][0] == "sleep" and "subtopics" not in topic:
            return Reply(body=chat(json.dumps({"name": name, "description": "Quendrilic."})))
        return naming_reply(body)

    with FakeLLM(respond) as server:
        counts = stage(run, server)
    assert (names(run)[(0, 0)][0] == name) is accepted
    if not accepted:
        assert names(run)[(0, 0)][0] == "Sleep, night, tired", "falls back to offline"
        assert counts["rejected"] == 1 and counts["fallbacks"] == 1


def test_failures_fall_back_to_offline_names_and_are_counted(run):
    with FakeLLM(lambda body, n: Reply(status=500)) as server:
        counts = stage(run, server, max_retries=2)
    assert names(run)[(0, 0)] == ("Sleep, night, tired", "Requests about sleep, night, tired.")
    assert counts["named"] == 0 and counts["fallbacks"] == N_CANDIDATES
    assert counts["llm_failures"] == counts["llm_calls"] == 3 * N_CANDIDATES


def test_malformed_answers_are_retried_then_fall_back(run):
    with FakeLLM(lambda body, n: Reply(body=chat("not json at all"))) as server:
        counts = stage(run, server, max_retries=1)
    assert counts["fallbacks"] == N_CANDIDATES and counts["llm_failures"] == 2 * N_CANDIDATES
    assert len(server.bodies) == 2 * N_CANDIDATES


@pytest.mark.parametrize("budget_calls", [0, 2])
def test_an_exhausted_budget_falls_back_to_offline_names_and_says_so(run, caplog,
                                                                     budget_calls):
    with FakeLLM() as server:
        stage(run, server, concurrency=1, max_completion_tokens=16)
        bounds = [estimate_prompt(b["messages"]) + 16 for b in server.bodies]
    # enough for ``budget_calls`` requests at the server's usage of 120 tokens a call
    budget = 120 * budget_calls + max(bounds) - 1 if budget_calls else 10
    fresh = make_run()
    caplog.set_level(logging.INFO)
    with FakeLLM() as server:
        counts = stage(fresh, server, concurrency=1, max_completion_tokens=16,
                       token_budget=budget)
    assert counts["budget_exhausted"] and counts["llm_budget_exhausted"]
    assert len(server.bodies) <= budget_calls + 1 and counts["named"] == len(server.bodies)
    assert counts["fallbacks"] == N_CANDIDATES - counts["named"]
    assert counts["llm_prompt_tokens"] + counts["llm_completion_tokens"] <= budget
    warning = [r for r in caplog.records if "budget" in r.getMessage()]
    assert warning and "exhausted" in warning[0].getMessage()
    assert all(w not in warning[0].getMessage() for w in ("sleep", "spreadsheet"))


@pytest.mark.privacy
def test_default_mode_sends_no_request_text_no_below_k_word_and_no_id(run):
    with FakeLLM() as server:
        stage(run, server)
    sent = server.sent_text()
    assert server.bodies and BELOW_K_WORD not in sent and SMALL_CLUSTER_WORD not in sent
    for texts in TEXTS.values():
        for text in texts:
            assert text.lower() not in sent
    for cid in run.facets["conversation_id"].to_list() + run.facets["user_id"].to_list():
        assert cid.lower() not in sent


@pytest.mark.privacy
def test_scrubbed_samples_mode_sends_a_few_samples_one_per_user(run):
    with FakeLLM() as server:
        stage(run, server, mode="scrubbed_samples", auditor=True, samples_per_cluster=2,
              sample_chars=60)
    base = [user_payload(b)["topic"] for b in server.bodies][:3]
    for topic in base:
        assert len(topic["example_requests"]) == 2
        assert all(len(s) <= 60 for s in topic["example_requests"])
    sent = server.sent_text()
    assert SMALL_CLUSTER_WORD not in sent, "a cluster below k is never sent, in any mode"
    assert all(uid.lower() not in sent for uid in run.facets["user_id"].to_list())


def test_a_copied_below_k_sample_word_is_refused(run):
    """In samples mode the model may copy a word of a sample; below k it never passes."""
    def respond(body, _n):
        topic = user_payload(body)["topic"]
        if topic["key_phrases"][0] == "sleep" and "subtopics" not in topic:
            return Reply(body=chat(json.dumps({"name": f"The {BELOW_K_WORD} dream",
                                               "description": "x"})))
        return naming_reply(body)

    with FakeLLM(respond) as server:
        stage(run, server, mode="scrubbed_samples", auditor=True)
    assert names(run)[(0, 0)][0] == "Sleep, night, tired"


def test_name_source_says_llm_where_the_llm_named(run):
    import polars as pl

    run.summaries = run.summaries.with_columns(pl.lit("title").alias("name_source"))
    with FakeLLM() as server:
        stage(run, server)
    source = {(r["level"], r["cluster_key"]): r["name_source"]
              for r in run.summaries.iter_rows(named=True)}
    assert source[(0, 0)] == "llm" and source[(0, 3)] == "title"
