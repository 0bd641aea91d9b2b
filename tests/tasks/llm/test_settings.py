"""[llm] settings: off by default, validated, the key only ever named."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from chorus.core.config import load_config
from chorus.core.errors import ConfigError
from chorus.core.settings import LLMSettings


def test_off_by_default_and_in_the_shipped_config():
    assert not LLMSettings().enabled
    cfg = load_config("configs/chorus.toml")
    assert not cfg.llm.enabled and cfg.llm.mode == "published"


@pytest.mark.parametrize("values, ok", [
    ({"enabled": True, "model": "m"}, True),
    ({"enabled": True}, False),                                         # no model
    ({"enabled": True, "model": "m", "names": False, "auditor": False}, False),
    ({"mode": "scrubbed_samples"}, True),                               # auditor on
    ({"mode": "scrubbed_samples", "auditor": False}, False),            # mandatory
    ({"mode": "scrubbed_samples", "audit_unrated_blocks": False}, False),
    ({"mode": "published", "auditor": False}, True),
    ({"mode": "everything"}, False),
    ({"api_key_env": "CHORUS_LLM_KEY"}, True),
    ({"base_url": "ftp://host/v1"}, False),
    ({"concurrency": 0}, False), ({"concurrency": 64}, True), ({"concurrency": 65}, False),
    ({"audit_threshold": 0}, False), ({"audit_threshold": 5}, True),
    ({"audit_budget_share": 1.0}, False), ({"token_budget": 0}, False),
    ({"surprise": 1}, False),
])
def test_settings_table(values, ok):
    if ok:
        LLMSettings(**values)
    else:
        with pytest.raises(ValidationError):
            LLMSettings(**values)


def test_a_key_pasted_into_api_key_env_is_refused_without_echoing_it():
    key = "sk-live-9f8e7d6c5b4a"
    with pytest.raises(ConfigError) as err:
        load_config("configs/chorus.toml", [f"llm.api_key_env='{key}'"])
    assert "api_key_env" in str(err.value) and key not in str(err.value)


def test_base_url_loses_its_trailing_slash():
    assert LLMSettings(base_url="http://127.0.0.1:8080/v1/").base_url == \
        "http://127.0.0.1:8080/v1"
