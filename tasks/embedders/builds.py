"""Local model builds: keyed by source and settings, built once, atomically.

A built model (the ONNX export, the distilled static model) lives in
``<models_dir>/<kind>-<key>/`` where ``key`` is a sha256 over the source model folder's
files (names, sizes and contents) and the build settings. ``ensure_build`` returns that
folder, building it when missing: the builder writes into a temporary sibling folder,
which is renamed into place only when complete, under an exclusive file lock so that
concurrent processes build once and never see half a build. Builds of the same kind with
another source (stale: never usable again) are removed after a new build lands; builds
with other settings stay. Each build
holds ``build.json`` (kind, key, source, settings, seconds, library versions).

Nothing here touches conversation text; paths and counts only.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path

from chorus.core.errors import ChorusError

log = logging.getLogger(__name__)

BUILD_FILE = "build.json"


def models_root(models_dir: str) -> Path:
    """``models_dir`` as an absolute path (a relative one is under the project root)."""
    from chorus.core.env import PROJECT_ROOT

    path = Path(models_dir)
    return path if path.is_absolute() else PROJECT_ROOT / path


def source_fingerprint(folder: Path) -> str:
    """hex sha256 over every file of a model folder (relative name, size, content)."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    stats = tuple((str(p.relative_to(folder)), p.stat().st_size, p.stat().st_mtime_ns)
                  for p in files)
    return _fingerprint(str(folder), stats)


@lru_cache(maxsize=8)
def _fingerprint(folder: str, stats: tuple[tuple[str, int, int], ...]) -> str:
    # cached per (folder, names, sizes, mtimes): content is hashed once per process
    digest = hashlib.sha256()
    for name, size, _ in stats:
        digest.update(f"{name}\0{size}\0".encode())
        with open(Path(folder) / name, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def build_key(source: Path, settings: Mapping[str, object]) -> str:
    """16 hex digits naming a build of ``source`` with ``settings`` (JSON-able values)."""
    blob = json.dumps({"source": source_fingerprint(source), "settings": dict(settings)},
                      sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _complete(folder: Path, key: str) -> bool:
    try:
        return json.loads((folder / BUILD_FILE).read_text(encoding="utf-8"))["key"] == key
    except (OSError, ValueError, KeyError, TypeError):
        return False


def ensure_build(kind: str, source: Path, settings: Mapping[str, object], models_dir: str,
                 build: Callable[[Path], None]) -> Path:
    """The folder of ``kind`` built from ``source`` with ``settings``; built if missing.

    Args:
        kind: a short name (``onnx-int8``, ``model2vec``), the folder's prefix.
        source: the source model folder (its files are part of the key).
        settings: the build's settings (part of the key and of ``build.json``).
        models_dir: ``EmbedSettings.models_dir``.
        build: writes the model's files into the (empty, temporary) folder it is given.

    Returns:
        ``<models_dir>/<kind>-<key>``, complete (holding ``build.json``).

    Raises:
        ChorusError: the build failed (the temporary folder is removed; the message names
            the kind and the error type only).
    """
    root = models_root(models_dir)
    key = build_key(source, settings)
    final = root / f"{kind}-{key}"
    if _complete(final, key):
        return final
    root.mkdir(parents=True, exist_ok=True)
    with open(root / f".{kind}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if _complete(final, key):  # another process built it while we waited
            return final
        tmp = Path(tempfile.mkdtemp(prefix=f".{kind}-{key}.", dir=root))
        try:
            t0 = time.perf_counter()
            log.info("building %s from %s into %s", kind, source, final)
            build(tmp)
            seconds = time.perf_counter() - t0
            source_sha256 = source_fingerprint(source)
            doc = {"kind": kind, "key": key, "source": str(source),
                   "source_sha256": source_sha256, "settings": dict(settings),
                   "seconds": round(seconds, 1), "versions": _versions()}
            (tmp / BUILD_FILE).write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
            tmp.chmod(0o755)  # mkdtemp makes it private to its creator
            if final.exists():  # an incomplete leftover (no or another build.json)
                shutil.rmtree(final)
            os.rename(tmp, final)
        except BaseException as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            if isinstance(exc, ChorusError | KeyboardInterrupt | SystemExit):
                raise
            # a build reads model files only, never conversation text: its message is safe
            # (cut short: torch errors can print whole weight tensors)
            log.error("building %s failed: %s: %.300s", kind, type(exc).__name__, exc)
            log.debug("building %s failed", kind, exc_info=True)
            raise ChorusError(f"building the {kind} model failed "
                              f"({type(exc).__name__}); see the log above") from None
        log.info("built %s in %.1f s", kind, seconds)
        _remove_stale(root, kind, final, source_sha256)
    return final


def _remove_stale(root: Path, kind: str, keep: Path, source_sha256: str) -> None:
    # builds of an older source can never be used again; other settings' builds can
    for other in root.glob(f"{kind}-*"):
        if other == keep or not other.is_dir():
            continue
        try:
            stale = build_info(other).get("source_sha256") != source_sha256
        except (OSError, ValueError):
            stale = True  # no readable build.json: an incomplete leftover
        if stale:
            shutil.rmtree(other, ignore_errors=True)


def build_info(folder: Path) -> dict:
    """The ``build.json`` of a built folder."""
    return json.loads((folder / BUILD_FILE).read_text(encoding="utf-8"))


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for package in ("torch", "transformers", "onnx", "onnxruntime", "model2vec", "tokenizers"):
        try:
            out[package] = version(package)
        except PackageNotFoundError:
            continue
    return out
