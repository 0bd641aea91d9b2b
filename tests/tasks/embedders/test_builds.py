"""Local model builds: keyed by source and settings, atomic, built once across processes.

A tiny source folder and a build function that writes a file stand in for a model (the
thing under test is ``ensure_build``, which never looks inside what is built)."""

from __future__ import annotations

import json
import multiprocessing
import time
from pathlib import Path

import pytest

from chorus.core.errors import ChorusError
from tasks.embedders.builds import (
    BUILD_FILE,
    build_info,
    build_key,
    ensure_build,
    models_root,
    source_fingerprint,
)


def make_source(root: Path, weights: bytes = b"w1") -> Path:
    source = root / "source"
    (source / "sub").mkdir(parents=True, exist_ok=True)
    (source / "weights.bin").write_bytes(weights)
    (source / "sub" / "config.json").write_text("{}")
    return source


def writer(calls: Path | None = None, seconds: float = 0.0):
    def build(out: Path) -> None:
        if calls is not None:
            with calls.open("a") as fh:
                fh.write("x")
        time.sleep(seconds)
        (out / "model.bin").write_bytes(b"built")
    return build


def test_builds_once_then_reuses(tmp_path):
    source, calls = make_source(tmp_path), tmp_path / "calls"
    first = ensure_build("toy", source, {"dims": 8}, str(tmp_path / "models"), writer(calls))
    again = ensure_build("toy", source, {"dims": 8}, str(tmp_path / "models"), writer(calls))
    assert first == again and calls.read_text() == "x"
    assert (first / "model.bin").read_bytes() == b"built"
    info = build_info(first)
    assert info["kind"] == "toy" and info["settings"] == {"dims": 8}
    assert info["key"] == build_key(source, {"dims": 8}) and first.name == f"toy-{info['key']}"
    assert info["source_sha256"] == source_fingerprint(source) and info["seconds"] >= 0


@pytest.mark.parametrize(("change", "old_kept"), [
    ("settings", True),   # another setting is another build; both stay usable
    ("content", False),   # a changed source makes the old build stale: removed
    ("new_file", False),
])
def test_key_follows_source_and_settings(tmp_path, change, old_kept):
    source, models = make_source(tmp_path), str(tmp_path / "models")
    old = ensure_build("toy", source, {"dims": 8}, models, writer())
    settings = {"dims": 8}
    if change == "settings":
        settings = {"dims": 16}
    elif change == "content":
        time.sleep(0.01)
        (source / "weights.bin").write_bytes(b"w2")
    else:
        (source / "sub" / "extra.txt").write_text("more")
    new = ensure_build("toy", source, settings, models, writer())
    assert new != old and (new / BUILD_FILE).exists()
    assert old.exists() == old_kept


def test_a_failed_build_leaves_nothing(tmp_path):
    source, models = make_source(tmp_path), tmp_path / "models"

    def broken(out: Path) -> None:
        (out / "half.bin").write_bytes(b"half")
        raise RuntimeError("boom")

    with pytest.raises(ChorusError, match="toy model failed \\(RuntimeError\\)"):
        ensure_build("toy", source, {}, str(models), broken)
    assert [p.name for p in models.iterdir()] == [".toy.lock"]  # no build, no temp folder
    built = ensure_build("toy", source, {}, str(models), writer())
    assert (built / "model.bin").exists()


def test_an_incomplete_folder_is_rebuilt(tmp_path):
    source, models = make_source(tmp_path), str(tmp_path / "models")
    final = models_root(models) / f"toy-{build_key(source, {})}"
    final.mkdir(parents=True)
    (final / "model.bin").write_bytes(b"left over by hand")  # no build.json
    assert ensure_build("toy", source, {}, models, writer()) == final
    assert (final / "model.bin").read_bytes() == b"built"
    assert json.loads((final / BUILD_FILE).read_text())["kind"] == "toy"


def test_relative_models_dir_is_under_the_project_root():
    from chorus.core.env import PROJECT_ROOT

    assert models_root("warehouse/models") == PROJECT_ROOT / "warehouse" / "models"
    assert models_root("/abs/models") == Path("/abs/models")


def _race(source: str, models: str, calls: str) -> None:
    ensure_build("toy", Path(source), {}, models, writer(Path(calls), seconds=0.5))


def test_concurrent_processes_build_once(tmp_path):
    source, calls = make_source(tmp_path), tmp_path / "calls"
    models = str(tmp_path / "models")
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_race, args=(str(source), models, str(calls)))
             for _ in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    assert calls.read_text() == "x", "one process built, the others waited and reused it"
    assert len([p for p in Path(models).iterdir() if p.name.startswith("toy-")]) == 1
