"""Whole-file checks: each fault is a one-line ChorusError, from the preflight, from the
ingest stage called directly, and from ``chorus run`` (exit 2, before the orchestrator)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from chorus.cli import app
from chorus.core.errors import ChorusError
from chorus.core.settings import IngestSettings
from tasks.ingest import preflight_inputs, read_conversations
from tests.tasks.ingest.helpers import SECRET, good, line, write_lines

CONTRACT = pl.DataFrame([good(1)])


def _parquet(frame: pl.DataFrame):
    def make(path: Path) -> Path:
        frame.write_parquet(path)
        return path
    return make


def _zero_row_group(path: Path) -> Path:
    table = CONTRACT.to_arrow().slice(0, 0)
    pq.write_table(table, path)  # one row group of 0 rows
    return path


def _dir(path: Path) -> Path:
    path.mkdir()
    return path


def _bytes(data: bytes):
    def make(path: Path) -> Path:
        path.write_bytes(data)
        return path
    return make


# (name, make(path) -> path, the one-line message, a regex)
FAULTS = [
    ("nope.jsonl", lambda p: p, r"^input file not found: .*nope\.jsonl$"),
    ("x.jsonl", _dir, r"^input path .*x\.jsonl is a directory, not a file$"),
    ("null.jsonl", lambda p: (p.symlink_to("/dev/null"), p)[1],
     r"^input path .*null\.jsonl is not a regular file$"),
    ("x.csv", _bytes(b"a,b\n"), r"^unknown input type '\.csv' for .*x\.csv \(use \.jsonl"),
    ("noext", _bytes(b"{}\n"), r"^unknown input type '' for "),
    ("empty.jsonl", _bytes(b""), r"^input file .*empty\.jsonl is empty \(0 bytes\)$"),
    ("empty.parquet", _bytes(b""), r"^input file .*empty\.parquet is empty \(0 bytes\)$"),
    ("blank.jsonl", _bytes(b"\xef\xbb\xbf\n  \n\t\r\n"),
     r"^input file .*blank\.jsonl holds only blank lines$"),
    ("rows0.parquet", _parquet(CONTRACT.clear()),
     r"^Parquet file .*rows0\.parquet holds no rows \(0 row groups\)$"),
    ("group0.parquet", _zero_row_group,
     r"^Parquet file .*group0\.parquet holds no rows \(1 row groups\)$"),
    ("junk.parquet", _bytes(b"PAR1" + SECRET.encode() + b"PAR1"),
     r"^could not read Parquet file .*junk\.parquet \(\w+; is it a complete Parquet file\?\)$"),
    ("cut.parquet", lambda p: _bytes(_parquet(CONTRACT)(p).read_bytes()[:-20])(p),
     r"^could not read Parquet file .*cut\.parquet"),
    ("cols.parquet", _parquet(CONTRACT.drop("messages", "user_id")),
     r"^Parquet file .*cols\.parquet lacks the column\(s\) \['user_id', 'messages'\] of the "
     r"input contract$"),
    ("uid.parquet", _parquet(CONTRACT.with_columns(pl.lit(7).alias("user_id"))),
     r"^Parquet file .*uid\.parquet: column 'user_id' is Int32, the input contract wants "
     r"String$"),
    ("date.parquet", _parquet(CONTRACT.with_columns(pl.date(2026, 1, 1).alias("created_at"))),
     r"column 'created_at' is Date, the input contract wants String \(ISO-8601\) or Datetime$"),
    ("msgs.parquet", _parquet(CONTRACT.with_columns(pl.lit(SECRET).alias("messages"))),
     r"column 'messages' is String, the input contract wants List\(Struct\{role: String, "
     r"content: String\}\)$"),
    ("inner.parquet", _parquet(CONTRACT.with_columns(
        pl.lit([{"role": "user", "text": "x"}]).alias("messages"))), r"column 'messages' is "),
    ("content.parquet", _parquet(CONTRACT.with_columns(
        pl.lit([{"role": "user", "content": 3}]).alias("messages"))), r"column 'messages' is "),
]
IDS = [name for name, _, _ in FAULTS]


@pytest.mark.parametrize(("name", "make", "pattern"), FAULTS, ids=IDS)
def test_each_whole_file_fault_is_one_clear_line(tmp_path, name, make, pattern):
    path = make(tmp_path / name)
    with pytest.raises(ChorusError) as info:
        preflight_inputs([path])
    message = str(info.value)
    assert "\n" not in message and SECRET not in message
    assert info.value.__cause__ is None and info.value.__context__ is None
    assert re.search(pattern, message), message
    # the ingest stage's reader raises the same error when called directly
    with pytest.raises(ChorusError) as direct:
        read_conversations([path], IngestSettings())
    assert str(direct.value) == message


def test_fit_files_pass_with_their_kind_and_rows(tmp_path):
    jsonl = write_lines(tmp_path / "a.ndjson", [b"", line(good(1))])
    parquet = _parquet(pl.concat([CONTRACT, CONTRACT]))(tmp_path / "b.parquet")
    nulls = _parquet(CONTRACT.with_columns(pl.lit(None).alias("user_id"),
                                           pl.lit(None).alias("messages")))(tmp_path / "c.PARQUET")
    checked = preflight_inputs([jsonl, parquet, nulls])
    assert [(f.kind, f.n_rows) for f in checked] == [("jsonl", None), ("parquet", 2),
                                                      ("parquet", 1)]


def test_no_path_or_a_path_twice_is_an_error(tmp_path):
    path = write_lines(tmp_path / "a.jsonl", [line(good(1))])
    with pytest.raises(ChorusError, match="no input files given"):
        preflight_inputs([])
    with pytest.raises(ChorusError, match="listed twice"):
        preflight_inputs([path, tmp_path / "." / "a.jsonl"])


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file of mode 000")
def test_an_unreadable_file_is_a_clear_error(tmp_path):
    path = write_lines(tmp_path / "a.jsonl", [line(good(1))])
    path.chmod(0)
    with pytest.raises(ChorusError,
                       match=r"^cannot read input file .*a\.jsonl \(PermissionError\)$"):
        preflight_inputs([path])


# --- through the face: `chorus run` checks before the orchestrator starts -----------------

runner = CliRunner()


@pytest.mark.parametrize(("name", "make", "pattern"),
                         [f for f in FAULTS if f[0] in ("nope.jsonl", "x.jsonl", "empty.parquet",
                                                        "junk.parquet", "uid.parquet")],
                         ids=["missing", "directory", "empty", "unreadable", "schema"])
def test_chorus_run_fails_with_exit_2_and_one_line_before_prefect(tmp_path, monkeypatch, name,
                                                                  make, pattern):
    import flows.pipeline

    started = []
    monkeypatch.setattr(flows.pipeline, "chorus_pipeline", lambda *a, **k: started.append(1))
    path = make(tmp_path / name)
    result = runner.invoke(app, ["run", "--set", f"run.inputs=['{path}']"])
    assert result.exit_code == 2, result.output
    assert not started, "the flow must not start"
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert re.search(pattern, lines[0].removeprefix("error: "))
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)  # typer.Exit(2), nothing uncaught
