"""Failure paths of the real flow leak no text (issue 13).

* Records whose content, user_id or conversation_id hold a lone surrogate (or a NUL), with
  canaries beside the fault, are quarantined: the run goes on, and no canary reaches
  stdout/stderr, a log record, Prefect's home (database and result storage, decoded) or
  either DuckDB file.
* A stage that raises with a canary in its exception fails the run cleanly: the ``runs``
  row says ``failed`` and names the exception type only, and the canary reaches no log,
  no Prefect database row and no storage file (decoded).

Plus a quick check that the decoding scanner sees encoded copies at all.
"""

from __future__ import annotations

import base64
import inspect
import io
import json
import logging
import sqlite3
import sys
import zlib
from pathlib import Path

import cloudpickle
import duckdb
import pytest

from tests.flows.canary_scan import (
    Collect,
    files_under,
    scan_files,
    scan_prefect,
    scan_text,
)

pytestmark = [pytest.mark.privacy]

K = 5
CREATED = "2026-10-06T08:00:00+00:00"


def _conv(cid: str, uid: str, *turns: str) -> dict:
    messages = []
    for turn in turns:
        messages += [{"role": "user", "content": turn},
                     {"role": "assistant", "content": "That sounds hard. Tell me more."}]
    return {"conversation_id": cid, "user_id": uid, "created_at": CREATED, "messages": messages}


def _line(record: dict) -> bytes:
    return json.dumps(record, ensure_ascii=True).encode()  # a surrogate as the escape \ud800


def _demo(n: int, seed: int) -> list[bytes]:
    from chorus.demo import generate

    return [_line(c) for c in generate(n, seed=seed)[0]]


def _run(base: Path, lines: list[bytes], run_id: str) -> tuple[Path, dict | BaseException]:
    from flows.pipeline import chorus_pipeline

    out = base / "out"
    path = base / "input.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    overrides = [f"run.inputs=['{path}']", f"run.warehouse='{out / 'chorus.duckdb'}'",
                 f"run.private_store='{out / 'private' / 'p.duckdb'}'",
                 f"privacy.min_users={K}", f"privacy.min_conversations={K}",
                 "ingest.max_quarantine_share=0.5",
                 "scrub.progress=false", "embed.progress=false"]
    try:
        return out, chorus_pipeline("configs/chorus.toml", overrides, run_id)
    except Exception as exc:  # noqa: BLE001 - a failing run is a result here
        return out, exc


def _query(path: Path, sql: str, *params) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


@pytest.fixture
def console(capfd):
    """``capfd``, with Prefect's own console handler writing to the captured stderr (as a
    command-line run has it) and a second one whose stream is closed (a terminal or pipe
    gone mid-run).

    Prefect binds its console handler to the stream of the moment it configures logging
    (maybe an earlier test's capture, closed since), so without the live one the stderr
    check could miss everything Prefect prints. The dead one makes ``logging`` report its
    failures to stderr with the exception being handled at the time: a log call made
    while handling an exception that quotes text would print that text.
    """
    from prefect.logging.handlers import PrefectConsoleHandler

    dead = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    dead.close()
    handlers = [PrefectConsoleHandler(stream=sys.stderr, level=logging.DEBUG),
                PrefectConsoleHandler(stream=dead, level=logging.DEBUG)]
    loggers = [logging.getLogger(), logging.getLogger("prefect")]
    for handler in handlers:
        handler.setFormatter(logging.Formatter("%(levelname)s | %(name)s - %(message)s"))
        for lg in loggers:
            lg.addHandler(handler)
    yield capfd
    for handler in handlers:
        for lg in loggers:
            lg.removeHandler(handler)


def _leaks(secrets: list[str], out: Path, logs: list[str], captured, prefect_home: Path,
           database: Path | None) -> list[str]:
    assert "Finished in state" in captured.err + captured.out, "Prefect's console is captured"
    hits = scan_text(captured.out, secrets, "stdout") + scan_text(captured.err, secrets, "stderr")
    hits += scan_text("\n".join(logs), secrets, "log records")
    hits += scan_prefect(prefect_home, database, secrets)
    hits += scan_files(files_under(out), secrets)  # warehouse + private store, raw and SQL
    return hits


# --- the scanner itself -------------------------------------------------------------------

def test_the_scanner_sees_encoded_copies(tmp_path):
    secret = "zqscannercanary"
    exc = UnicodeEncodeError("utf-8", f"text {secret} \ud800", 5, 6, "surrogates not allowed")
    pickled = cloudpickle.dumps(exc)
    copies = {
        "raw.txt": f"say {secret}".encode(),
        "b64.bin": base64.b64encode(pickled),
        "record.json": json.dumps({"metadata": {}, "result": base64.b64encode(
            pickled).decode()}).encode(),
        "zlib.bin": zlib.compress(f"... {secret} ...".encode() * 3),
        "plain.pickle": pickled,
    }
    for name, blob in copies.items():
        (tmp_path / name).write_bytes(blob)
    encoded = ("b64.bin", "record.json", "zlib.bin")
    assert not [n for n in encoded if secret.encode() in copies[n]]  # invisible byte-wise
    con = sqlite3.connect(tmp_path / "api.db")
    con.execute("CREATE TABLE log (id INTEGER, message TEXT)")
    con.execute("INSERT INTO log VALUES (1, ?)", (f"Task failed: {secret.upper()}",))
    con.commit()
    con.close()
    (tmp_path / "clean.txt").write_text("nothing to see")
    hits = scan_files(files_under(tmp_path), [secret])
    hit_files = {name for name in [*copies, "api.db", "clean.txt"]
                 if any(h.startswith(str(tmp_path / name)) for h in hits)}
    assert hit_files == {*copies, "api.db"}
    assert any(":log.message" in h for h in scan_files([tmp_path / "api.db"], [secret]))


# --- invalid Unicode in the input ---------------------------------------------------------

CANARY_CONTENT = "zqcanarycontentvolumix"
CANARY_USER = "zqcanaryuserbrindle"
CANARY_CONV = "zqcanaryconvtessaly"
CANARY_NUL = "zqcanarynulfarrowgate"
CANARY_BYTES = "zqcanarybytesmolvane"
UNICODE_SECRETS = [CANARY_CONTENT, CANARY_USER, CANARY_CONV, CANARY_NUL, CANARY_BYTES]


def unicode_bad_lines() -> list[tuple[bytes, str]]:
    """(line, expected reason); each record carries canaries beside its fault."""
    say = f"My neighbour {CANARY_CONTENT} keeps me awake at night"
    return [
        (_line(_conv("sur-1", "sur-user-1", "I cannot sleep at night.",
                     f"{say} \ud800 again.")),
         "messages[2].content holds invalid Unicode (lone surrogate)"),
        (_line(_conv("sur-2", f"{CANARY_USER}\ud800", f"{say}.")),
         "user_id holds invalid Unicode (lone surrogate)"),
        (_line(_conv(f"{CANARY_CONV}-\udc00", "sur-user-3", f"{say}.")),
         "conversation_id holds invalid Unicode (lone surrogate)"),
        (_line(_conv("sur-4", "sur-user-4", f"{CANARY_NUL}\x00 cannot sleep.")),
         "messages[0].content holds invalid Unicode (NUL)"),
        (_line(_conv("sur-5", "sur-user-5", f"{CANARY_BYTES} XX sleep.")).replace(
            b"XX", b"\xed\xa0\x80"),
         "messages[0].content holds invalid Unicode (lone surrogate)"),
    ]


@pytest.mark.integration
@pytest.mark.slow
def test_invalid_unicode_is_quarantined_and_leaks_nowhere(tmp_path, console, prefect_home,
                                                          prefect_harness):
    good = _demo(260, seed=13)
    bad = unicode_bad_lines()
    lines = good[:100] + [line for line, _ in bad] + good[100:]
    with Collect() as handler:
        out, result = _run(tmp_path, lines, "unicode-run")
    captured = console.readouterr()
    leaks = _leaks(UNICODE_SECRETS, out, handler.lines, captured, prefect_home,
                   prefect_harness["database"])
    assert not leaks, f"{len(leaks)} canary hits, first: {leaks[:5]}"
    assert not isinstance(result, BaseException), type(result).__name__
    assert result["status"] in ("succeeded", "blocked")
    assert (result["n_read"], result["n_quarantined"]) == (len(lines), len(bad))
    rows = _query(out / "chorus.duckdb", "SELECT record, reason FROM quarantine "
                  "WHERE run_id = ? ORDER BY record", "unicode-run")
    assert rows == [(101 + i, reason) for i, (_, reason) in enumerate(bad)]
    assert _query(out / "chorus.duckdb", "SELECT status, n_quarantined FROM runs "
                  "WHERE run_id = ?", "unicode-run") == [(result["status"], len(bad))]
    assert handler.lines, "the run logged something"


# --- a stage that raises with text in its exception ---------------------------------------

def _raiser(kind: str, canary: str):
    def stage(*args, **kwargs):
        if kind == "ValueError":
            raise ValueError(f"could not handle the record saying '{canary} is my name'")
        f"my name is {canary} \ud800".encode()  # the real UnicodeEncodeError, text inside
        raise AssertionError("unreachable")

    return stage


@pytest.mark.integration
@pytest.mark.slow
@pytest.mark.parametrize(("stage_name", "kind"), [("ingest", "ValueError"),
                                                  ("ingest", "UnicodeEncodeError"),
                                                  ("facets", "ValueError")])
def test_a_stage_raising_with_text_fails_cleanly(tmp_path, console, monkeypatch, prefect_home,
                                                 prefect_harness, stage_name, kind):
    from flows.composition import STAGES
    from tasks.ingest import ingest_chunk_stage, ingest_chunk_task

    canary = f"zqstagecanary{stage_name}{kind.lower()}"
    stage = next(s for s in STAGES if s.name == stage_name)
    # A run's ingest reads its chunks (one here, in this process: flows.chunked).
    task_obj, func = ((ingest_chunk_task, ingest_chunk_stage) if stage_name == "ingest"
                      else (stage.task, stage.func))
    # The task looks its stage function up in its own module: replace it there (a faked
    # failure of the stage, not a faked component), beneath any decorator of the task.
    module_globals = inspect.unwrap(task_obj.fn).__globals__
    assert module_globals[func.__name__] is func
    monkeypatch.setitem(module_globals, func.__name__, _raiser(kind, canary))
    run_id = f"fail-{stage_name}-{kind.lower()}"
    with Collect() as handler:
        out, result = _run(tmp_path, _demo(40, seed=17), run_id)
    captured = console.readouterr()
    leaks = _leaks([canary], out, handler.lines, captured, prefect_home,
                   prefect_harness["database"])
    assert not leaks, f"{len(leaks)} canary hits: {leaks}"
    assert isinstance(result, BaseException), "the run must fail"
    rows = _query(out / "chorus.duckdb", "SELECT status, error FROM runs WHERE run_id = ?",
                  run_id)
    assert len(rows) == 1 and rows[0][0] == "failed"
    assert kind in rows[0][1] and canary not in rows[0][1]
