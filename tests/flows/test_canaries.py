"""The canary suite: 1,000 planted canaries through the full flow, then every file, log
record and artifact the run produced is scanned.

Canaries: 300 PII values (names, e-mails, phones, cards, IPs, URLs, street addresses), each
written by one user, and 700 made-up tokens: 300 written by one user, 200 by k-1 users and
200 by k users. No PII value may appear anywhere, and no token written by fewer than k
users may appear anywhere (tokens of k users may become published phrases, by design).

"Anywhere" is scanned decoded (``tests.flows.canary_scan``): raw bytes, base64 copies,
compressed and pickled payloads, every row of Prefect's SQLite database and every text
column of both DuckDB files, plus every log record.
"""

from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path

import pytest

from chorus.demo import generate
from chorus.demo.pii import luhn_digit
from tests.flows.canary_scan import Collect, scan_files, scan_prefect, scan_text

pytestmark = [pytest.mark.privacy, pytest.mark.integration, pytest.mark.slow]

K = 5
FIRST = ["Quilla", "Brannoch", "Ysolde", "Tarquin", "Merewen", "Oswin", "Zephrine", "Caedmon",
         "Ilsabet", "Rowenna", "Thaddeus", "Elowen", "Jorvik", "Sabriel", "Corwin"]
LAST = ["Vantreuse", "Moskowitzky", "Pellinore", "Quarrington", "Devereux", "Halloway",
        "Strathmore", "Wolcott", "Ashcombe", "Trevelyan"]


def pii_canaries(rng: random.Random) -> list[tuple[str, str]]:
    """300 (value, sentence) pairs, all values distinct."""
    out = []
    for i in range(300):
        kind = i % 7
        if kind == 0:
            v = f"{FIRST[i % 15]} {LAST[(i // 15) % 10]}{'' if i < 150 else 'son'}"
            s = f"My name is {v} and I cannot sleep at night."
        elif kind == 1:
            v = f"canary.{i}.{rng.randrange(10**6)}@protonmail.com"
            s = f"Email me at {v} about my sleep."
        elif kind == 2:
            v = f"(646) 555-{1000 + i:04d}"
            s = f"My phone number is {v} if you need it."
        elif kind == 3:
            body = "4532" + f"{rng.randrange(10**11):011d}"
            digits = body + luhn_digit(body)
            v = " ".join(digits[j:j + 4] for j in range(0, 16, 4))
            s = f"I paid the sleep clinic with card {v} yesterday."
        elif kind == 4:
            v = f"198.51.{i % 250}.{rng.randrange(1, 250)}"
            s = f"My sleep tracker at {v} keeps disconnecting."
        elif kind == 5:
            v = f"https://canary{i}.sleep-example.net/p/{rng.randrange(10**5)}"
            s = f"I read {v} about insomnia."
        else:
            v = f"{100 + i} {LAST[i % 10]} Lane"
            s = f"The traffic outside {v} keeps me awake."
        out.append((v, s))
    return out


def token(rng: random.Random) -> str:
    return "zq" + "".join(rng.choice("bcdfghjklmnpqrstvwxz") + rng.choice("aeiou")
                          for _ in range(4))


def conv(cid: str, uid: str, first: str, second: str) -> dict:
    return {"conversation_id": cid, "user_id": uid, "created_at": "2026-10-07T09:00:00+00:00",
            "messages": [{"role": "user", "content": first},
                         {"role": "assistant", "content": "I hear you. What happens at night?"},
                         {"role": "user", "content": second}]}


@pytest.fixture(scope="module", params=["local", "dask"])
def canary_run(request, tmp_path_factory, prefect_harness):
    """The canary run, in this process (``local``, chunks of 500 in two processes when
    more than one chunk) and on a real Dask ``LocalCluster`` (``dask``)."""
    from flows.pipeline import chorus_pipeline

    mode = [f"run.dask_address='{request.getfixturevalue('dask_cluster')['address']}'"
            ] if request.param == "dask" else []
    dask_dir = (request.getfixturevalue("dask_cluster")["local_directory"]
                if request.param == "dask" else None)

    rng = random.Random(2026)
    base = tmp_path_factory.mktemp("canaries")
    out = base / "out"
    conversations, _ = generate(400, seed=5)
    pii = pii_canaries(rng)
    for i, (_, sentence) in enumerate(pii):
        conversations.append(conv(f"p{i}", f"pu{i}", sentence, "I wake up tired every day."))
    groups = [(1, 300), (K - 1, 200), (K, 200)]
    tokens: dict[str, int] = {}
    plantings: list[tuple[str, int]] = []
    for n_users, count in groups:
        for _ in range(count):
            t = token(rng)
            while t in tokens:
                t = token(rng)
            tokens[t] = n_users
            plantings += [(t, u) for u in range(n_users)]
    rng.shuffle(plantings)
    for j in range(0, len(plantings), 5):
        chunk = plantings[j:j + 5]
        words = " ".join(t for t, _ in chunk)
        conversations.append(conv(f"t{j}", f"tu{j % 997}",
                                  f"I keep dreaming about {words} and cannot sleep.",
                                  "Sleep is hard and I feel tired all day."))
    path = base / "input.jsonl"
    path.write_text("\n".join(json.dumps(c) for c in conversations) + "\n")
    assert len(pii) + len(tokens) == 1000
    before = {p for p in Path(tempfile.gettempdir()).rglob("*") if p.is_file()}
    with Collect() as handler:
        result = chorus_pipeline("configs/chorus.toml", [
            f"run.inputs=['{path}']", f"run.warehouse='{out / 'chorus.duckdb'}'",
            f"run.private_store='{out / 'private' / 'p.duckdb'}'",
            f"privacy.min_users={K}", f"privacy.min_conversations={K}",
            "scrub.progress=false", "embed.progress=false", "run.chunk_size=500", *mode],
            f"canary-run-{request.param}")
    # Files other pytest sessions write meanwhile (their own inputs) are not this run's;
    # this run's outputs under `out` are scanned in full below.
    created = [p for p in Path(tempfile.gettempdir()).rglob("*")
               if p.is_file() and p not in before and p != path
               and not any(part.startswith("pytest-of-") for part in p.parts)]
    return {"out": out, "result": result, "pii": [v for v, _ in pii], "tokens": tokens,
            "logs": handler.lines, "created": created, "dask_dir": dask_dir,
            "mode": request.param}


def test_run_succeeded_with_everything_accepted(canary_run):
    assert canary_run["result"]["status"] == "succeeded"
    assert canary_run["result"]["n_quarantined"] == 0


def test_no_canary_below_k_and_no_pii_anywhere(canary_run, prefect_home, prefect_harness):
    forbidden = canary_run["pii"] + [t for t, n in canary_run["tokens"].items() if n < K]
    assert len(forbidden) == 800
    out = canary_run["out"]
    assert (out / "chorus.duckdb").is_file() and (out / "private" / "p.duckdb").is_file()
    # Prefect's home (storage included) and database, the run's outputs (both DuckDB files
    # read through SQL too), decoded
    # (and, on Dask, the workers' local directory)
    hits = scan_prefect(prefect_home, prefect_harness["database"], forbidden, out,
                        canary_run["dask_dir"])
    hits += scan_files(canary_run["created"], forbidden, strict=False)
    hits += scan_text("\n".join(canary_run["logs"]), forbidden, "log records")
    assert canary_run["logs"], "the run logged something"
    # The private chunk store keeps the scrubbed requests (operators only, PRIVACY.md
    # item 1): tokens of fewer than k users may be there, and nowhere else; PII never.
    chunks = str(out / "private" / "chunks")
    pii = {v.lower() for v in canary_run["pii"]}
    # (found by the byte scan where a Parquet page is stored plain, and by the decoded scan)
    in_chunks = [h for h in hits if h.startswith(chunks) and h.rsplit(": ", 1)[1] not in pii]
    assert [h for h in in_chunks if "(Parquet)" in h], \
        "the scan reads the chunk store's Parquet files, decoded"
    hits = [h for h in hits if h not in in_chunks]
    assert not hits, f"{len(hits)} canary hits, first: {hits[:5]}"


def test_artifacts_hold_no_canary(canary_run, prefect_harness):
    import asyncio

    from prefect.client.orchestration import get_client

    async def read():
        async with get_client() as client:
            return await client.read_artifacts()

    bodies = " ".join(str(a.data) for a in asyncio.run(read())).lower()
    forbidden = canary_run["pii"] + [t for t, n in canary_run["tokens"].items() if n < K]
    assert "canary-run" in bodies
    assert not [c for c in forbidden if c.lower() in bodies]
