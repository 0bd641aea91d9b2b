"""Config: defaults validate, overrides apply, invalid values fail loudly with the field."""

from __future__ import annotations

import pytest

from chorus.core.config import load_config
from chorus.core.errors import ConfigError


def test_shipped_config_is_valid():
    cfg = load_config("configs/chorus.toml")
    assert cfg.privacy.min_users >= 2 and cfg.cluster.levels == 3


def test_overrides_apply_with_toml_types():
    cfg = load_config("configs/chorus.toml", ["privacy.min_users=20",
                                              "privacy.min_conversations=25",
                                              "cluster.noise_reassign_min_similarity=0.5",
                                              "run.inputs=['a.jsonl', 'b.parquet']"])
    assert cfg.privacy.min_users == 20
    assert cfg.cluster.noise_reassign_min_similarity == 0.5
    assert cfg.run.inputs == ["a.jsonl", "b.parquet"]


@pytest.mark.parametrize("override, field", [
    ("privacy.min_users=1", "privacy.min_users"),
    ("cluster.levels=0", "cluster.levels"),
    ("cluster.levls=2", "cluster.levls"),
    ("embed.batch_size=-1", "embed.batch_size"),
    ("nonsense.key=1", "nonsense"),
])
def test_invalid_values_name_the_field(override, field):
    with pytest.raises(ConfigError, match=field.split(".")[0]):
        load_config("configs/chorus.toml", [override])


def test_config_hash_changes_with_config():
    a = load_config("configs/chorus.toml").config_hash()
    b = load_config("configs/chorus.toml", ["privacy.min_users=11"]).config_hash()
    assert a != b and len(a) == 64


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "none.toml")
