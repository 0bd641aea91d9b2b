"""Environment defaults: offline and quiet, but an operator's own value always wins."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from chorus.core.env import OFFLINE_DEFAULTS, PROJECT_ROOT, apply_offline_defaults

KEYS = sorted(OFFLINE_DEFAULTS)


@pytest.fixture
def operator_env(monkeypatch, tmp_path):
    """Every variable set by the operator to a value of their own."""
    values = {key: f"operator-{key.lower()}" for key in KEYS}
    values["NUMBA_CACHE_DIR"] = str(tmp_path / "operator-numba")
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


def test_operator_values_are_kept(operator_env):
    apply_offline_defaults()
    assert {key: os.environ[key] for key in KEYS} == operator_env
    assert os.path.isdir(operator_env["NUMBA_CACHE_DIR"]), "the operator's cache dir is made"


@pytest.mark.parametrize("key", KEYS)
def test_unset_variables_get_the_default(key, operator_env, monkeypatch, tmp_path):
    if key == "NUMBA_CACHE_DIR":  # its default lives in the home folder: point home here
        monkeypatch.setitem(OFFLINE_DEFAULTS, key, str(tmp_path / "default-numba"))
    monkeypatch.delenv(key)
    apply_offline_defaults()
    assert os.environ[key] == OFFLINE_DEFAULTS[key]
    others = {k: os.environ[k] for k in KEYS if k != key}
    assert others == {k: v for k, v in operator_env.items() if k != key}


def test_empty_operator_value_counts_as_set(operator_env, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "")
    apply_offline_defaults()
    assert os.environ["HF_HUB_OFFLINE"] == ""


def test_defaults_keep_the_process_offline():
    assert OFFLINE_DEFAULTS["HF_HUB_OFFLINE"] == "1"
    assert OFFLINE_DEFAULTS["TRANSFORMERS_OFFLINE"] == "1"
    assert OFFLINE_DEFAULTS["PREFECT_RESULTS_PERSIST_BY_DEFAULT"] == "false"
    assert (PROJECT_ROOT / "chorus" / "core" / "env.py").is_file()


def test_importing_chorus_applies_the_defaults_first(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in OFFLINE_DEFAULTS}
    env.update(HOME=str(tmp_path), HF_HUB_OFFLINE="0", PYTHONPATH=str(PROJECT_ROOT))
    code = "import json, os, chorus; print(json.dumps(dict(os.environ)))"
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path,
                         capture_output=True, text=True, check=True).stdout
    seen = json.loads(out)
    assert seen["HF_HUB_OFFLINE"] == "0", "the operator's value is kept"
    expected = {**OFFLINE_DEFAULTS, "HF_HUB_OFFLINE": "0",
                "NUMBA_CACHE_DIR": str(tmp_path / ".cache" / "chorus" / "numba")}
    assert {key: seen[key] for key in KEYS} == expected
    assert (tmp_path / ".cache" / "chorus" / "numba").is_dir()
