"""The whole flow with the LLM backend on, against a real HTTP server on 127.0.0.1.

One flow run under prefect_test_harness (small demo input plus planted canaries) with
``llm.enabled``: LLM names reach the warehouse through the gate and the audit, the
accounting lands on the runs row and matches what the server saw, and no request body
ever held a PII value, a raw-only string, a token below k or an id.
"""

from __future__ import annotations

import json

import pytest

from chorus.demo import generate
from tests.tasks.llm.fake_llm import MODEL_WORD, FakeLLM, Reply, canned

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.privacy]

K = 5
N_DEMO = 240
PII = ["Zebulon Quaxley", "q7.canary.tester@protonmail.com", "(646) 555-0162",
       "203.0.113.77", "77 Quillfeather Lane"]
BELOW_K = "blentharop"           # written by k-1 users
RAW_ONLY = "vorpelquist remedy"  # only in assistant turns: never leaves scrub


def conv(cid: str, uid: str, text: str) -> dict:
    return {"conversation_id": cid, "user_id": uid, "created_at": "2026-10-05T12:00:00Z",
            "messages": [{"role": "user", "content": text},
                         {"role": "assistant",
                          "content": f"Try the {RAW_ONLY} before bed. Tell me more."},
                         {"role": "user", "content": "I have trouble sleeping most nights."}]}


def tokens(text: str) -> int:
    """The server's tokenizer: 4 characters a token (rounded up), like common ones."""
    return -(-len(text) // 4)


def with_usage(body: dict, n: int) -> Reply:
    """The canned answers, with ``usage`` counted by ``tokens`` over what was sent."""
    reply = canned(body, n)
    reply.body["usage"] = {
        "prompt_tokens": sum(tokens(m["content"]) for m in body["messages"]),
        "completion_tokens": tokens(reply.body["choices"][0]["message"]["content"])}
    return reply


def canaries() -> list[dict]:
    rows = []
    for p, value in enumerate(PII):
        for u in range(6):  # six users each: above k, still must never be sent
            rows.append(conv(f"pii-{p}-{u}", f"pii-user-{p}-{u}",
                             f"My details are {value} and I cannot sleep at night."))
    for u in range(K - 1):
        rows.append(conv(f"tok-{u}", f"tok-user-{u}",
                         f"I keep having {BELOW_K} thoughts and I cannot sleep at night, "
                         "I wake up tired and worried about sleep again."))
    return rows


@pytest.fixture(scope="module")
def llm_run(tmp_path_factory, prefect_harness):
    from flows.pipeline import chorus_pipeline

    base = tmp_path_factory.mktemp("llm-flow")
    conversations, _ = generate(N_DEMO, seed=5)
    records = conversations + canaries()
    path = base / "input.jsonl"
    path.write_text("\n".join(json.dumps(c) for c in records) + "\n")
    with FakeLLM(with_usage) as server:
        overrides = [f"run.inputs=['{path}']", f"run.warehouse='{base / 'w.duckdb'}'",
                     f"run.private_store='{base / 'p.duckdb'}'",
                     f"privacy.min_users={K}", f"privacy.min_conversations={K}",
                     "scrub.progress=false", "embed.progress=false",
                     "llm.enabled=true", f"llm.base_url='{server.url}'", "llm.model='fake'",
                     "llm.backoff_s=0.01"]
        result = chorus_pipeline("configs/chorus.toml", overrides, "llm-run-1")
    return {"result": result, "server": server, "warehouse": base / "w.duckdb",
            "records": records}


def test_llm_names_are_published_and_the_run_succeeds(llm_run, query):
    assert llm_run["result"]["status"] == "succeeded"
    names = [n for (n,) in query(llm_run["warehouse"],
                                 "SELECT name FROM clusters WHERE kind = 'cluster'")]
    llm_names = [n for n in names if n and MODEL_WORD in n.lower()]
    assert llm_names, "some LLM names passed the gate and the audit"


def test_the_accounting_matches_what_the_server_saw(llm_run, query):
    server = llm_run["server"]
    row = query(llm_run["warehouse"], "SELECT llm_model, llm_mode, llm_calls, "
                "llm_prompt_tokens, llm_completion_tokens, llm_seconds, llm_failures, "
                "llm_fallbacks, llm_named, llm_audited, llm_budget_exhausted FROM runs")[0]
    (model, mode, calls, prompt, completion, seconds, failures, fallbacks, named, audited,
     exhausted) = row
    print(f"\nLLM accounting on the demo ({N_DEMO} conversations + canaries): "
          f"{calls} calls, {prompt} prompt + {completion} completion tokens, {seconds} s, "
          f"{failures} failures, {named} named, {fallbacks} fallbacks, {audited} rated")
    assert (model, mode, exhausted, failures) == ("fake", "published", False, 0)
    assert calls == len(server.bodies) > 0
    assert prompt == sum(tokens(m["content"]) for b in server.bodies for m in b["messages"])
    assert completion > 0, "the server's usage, summed"
    audits = sum("privacy auditor" in b["messages"][0]["content"] for b in server.bodies)
    assert named + fallbacks == calls - audits and named > 0 and audited > 0
    assert seconds > 0


def test_no_request_held_pii_raw_text_a_below_k_token_or_an_id(llm_run):
    sent = llm_run["server"].sent_text()
    for value in PII:
        assert value.lower() not in sent, value
    assert RAW_ONLY not in sent and BELOW_K not in sent
    for record in llm_run["records"]:
        assert record["user_id"].lower() not in sent
        assert record["conversation_id"].lower() not in sent
        for message in record["messages"]:
            if message["role"] == "user" and len(message["content"]) >= 40:
                assert message["content"].lower() not in sent


def test_nothing_below_k_reached_the_warehouse(llm_run, query):
    rows = query(llm_run["warehouse"], "SELECT coalesce(name, '') || ' ' || "
                 "coalesce(description, '') FROM clusters UNION ALL "
                 "SELECT phrase FROM cluster_phrases")
    text = " ".join(r[0] for r in rows).lower()
    assert BELOW_K not in text and RAW_ONLY not in text
    assert all(v.lower() not in text for v in PII)
