"""A small synthetic run for the LLM stages: scrubbed requests (as the facets stage
leaves them), two levels of labels, unit embeddings and offline summaries.

k = 3. Base clusters: 0 sleep (6 users; the canary word ``blentharop`` written by k-1 = 2
of them), 1 spreadsheets (6 users), 2 cover letters (5 users), 3 a cluster below k (2
users; ``grumplewhisk``). Parents: {0, 1} -> 0, {2, 3} -> 1.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from chorus.core.rundata import RunData
from chorus.core.schemas import SUMMARY_SCHEMA
from chorus.core.settings import LLMSettings, PrivacySettings

K = 3
PRIVACY = PrivacySettings(min_users=K, min_conversations=K)
BELOW_K_WORD = "blentharop"      # 2 users of cluster 0
SMALL_CLUSTER_WORD = "grumplewhisk"  # cluster 3 only, 2 users

TEXTS = {
    0: [f"I cannot sleep at night and wake up tired, {extra} my sleep is bad"
        for extra in ("honestly", f"the {BELOW_K_WORD} dream", f"a {BELOW_K_WORD} noise",
                      "so", "and <PERSON> says", "every night")],
    1: [f"My spreadsheet formula with vlookup shows an error in column {c}"
        for c in ("alpha", "beta", "gamma", "delta", "epsilon", "zeta")],
    2: [f"Please write a cover letter for a nursing job at <LOCATION> {tone}"
        for tone in ("formal", "warm", "short", "friendly", "plain")],
    3: [f"My {SMALL_CLUSTER_WORD} hobby question {i}" for i in ("one", "two")],
}
PARENT = {0: 0, 1: 0, 2: 1, 3: 1}
SUMMARIES = {
    (0, 0): ("Sleep, night, tired", "Requests about sleep, night, tired.",
             ["sleep", "night", "wake tired", BELOW_K_WORD]),
    (0, 1): ("Spreadsheet, formula", "Requests about spreadsheet, formula.",
             ["spreadsheet formula", "vlookup", "error"]),
    (0, 2): ("Cover letter, nursing", "Requests about cover letter, nursing.",
             ["cover letter", "nursing job"]),
    (0, 3): ("Grumplewhisk hobby", "Requests about grumplewhisk hobby.",
             [f"{SMALL_CLUSTER_WORD} hobby"]),
    (1, 0): ("Sleep, spreadsheet", "Requests about sleep, spreadsheet.", ["sleep", "error"]),
    (1, 1): ("Cover letter", "Requests about cover letter.", ["cover letter"]),
}


def make_run(run_id: str = "llm-test") -> RunData:
    rows, base = [], []
    for key, texts in TEXTS.items():
        for i, text in enumerate(texts):
            rows.append({"conversation_id": f"conv-{key}-{i}", "user_id": f"user-{key}-{i}",
                         "request": text, "language": "en",
                         "turns_bucket": "1" if i % 3 else "2-3"})
            base.append(key)
    facets = pl.DataFrame(rows)
    base_arr = np.array(base, dtype=np.int32)
    labels = np.vstack([base_arr, np.array([PARENT[b] for b in base], dtype=np.int32)])
    rng = np.random.default_rng(3)
    centers = rng.normal(size=(4, 8))
    emb = centers[base_arr] + 0.1 * rng.normal(size=(len(base), 8))
    emb = (emb / np.linalg.norm(emb, axis=1, keepdims=True)).astype(np.float32)
    summaries = pl.DataFrame([
        {"level": lvl, "cluster_key": key, "name": name, "description": desc,
         "phrases": [{"phrase": p, "score": 1.0 / (r + 1), "n_users": 5}
                     for r, p in enumerate(phrases)]}
        for (lvl, key), (name, desc, phrases) in SUMMARIES.items()], schema=SUMMARY_SCHEMA)
    return RunData(run_id, facets=facets, labels=labels, embeddings=emb,
                   summaries=summaries)


def llm_settings(url: str, **kw) -> LLMSettings:
    base = {"enabled": True, "base_url": url, "model": "test-model", "backoff_s": 0.01,
            "backoff_max_s": 0.05, "timeout_s": 5.0, "max_retries": 1, "auditor": False,
            "concurrency": 2}
    return LLMSettings(**{**base, **kw})


@pytest.fixture
def run() -> RunData:
    return make_run()
