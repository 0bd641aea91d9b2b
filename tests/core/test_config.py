"""Config: defaults validate, overrides apply, invalid values fail loudly with the field."""

from __future__ import annotations

import re

import pytest

from chorus.core.config import ChorusConfig, apply_overrides, load_config
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


@pytest.mark.parametrize("raw, value", [
    ("20", 20),
    ("0.5", 0.5),
    ("true", True),
    ("'quoted'", "quoted"),
    ("['a', 'b']", ["a", "b"]),
    ("not toml at all", "not toml at all"),  # not a TOML value: taken as a string
    (" 7 ", 7),
])
def test_override_values_parse_as_toml_else_string(raw, value):
    data = apply_overrides({}, [f"section.key={raw}"])
    assert data == {"section": {"key": value}}


def test_overrides_create_nested_sections_and_keep_others():
    data = apply_overrides({"privacy": {"min_users": 10}}, ["privacy.dp.epsilon=2.0"])
    assert data == {"privacy": {"min_users": 10, "dp": {"epsilon": 2.0}}}


@pytest.mark.parametrize("override, message", [
    ("privacy.min_users", "not of the form section.key=value"),
    ("privacy.min_users.deeper=1", "'min_users' is not a section"),
])
def test_malformed_overrides_are_config_errors(override, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        apply_overrides({"privacy": {"min_users": 10}}, [override])


@pytest.mark.parametrize("override, field", [
    ("privacy.min_users=1", "privacy.min_users"),
    ("privacy.dp.epsilon=-1", "privacy.dp.epsilon"),
    ("privacy.dp.bogus=1", "privacy.dp.bogus"),
    ("cluster.levels=0", "cluster.levels"),
    ("cluster.levls=2", "cluster.levls"),
    ("embed.batch_size=-1", "embed.batch_size"),
    ("run.inputs=[]", "run.inputs"),
    ("nonsense.key=1", "nonsense"),
])
def test_invalid_values_name_the_field(override, field):
    # the full dotted name, as a field of the message ("field: problem")
    with pytest.raises(ConfigError, match=rf"(?:: |; ){re.escape(field)}: "):
        load_config("configs/chorus.toml", [override])


def test_no_path_reads_the_shipped_config_when_present_else_defaults(tmp_path, monkeypatch):
    shipped = load_config("configs/chorus.toml")
    assert load_config(None).config_hash() == shipped.config_hash()
    monkeypatch.chdir(tmp_path)  # no configs/chorus.toml here
    assert load_config(None).config_hash() == ChorusConfig().config_hash()


def test_config_hash_changes_with_config():
    a = load_config("configs/chorus.toml").config_hash()
    b = load_config("configs/chorus.toml", ["privacy.min_users=11"]).config_hash()
    assert a != b and len(a) == 64
    assert load_config("configs/chorus.toml").config_hash() == a, "deterministic"


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "none.toml")


def test_invalid_toml_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[privacy\nmin_users = ")
    with pytest.raises(ConfigError, match=re.escape(f"{bad}: invalid TOML")):
        load_config(bad)


@pytest.mark.parametrize("overrides, model, threshold", [
    ([], "tasks/lens_affective.json", None),  # the default backend, onnx-int8
    (['embed.backend="sentence-transformers"'], "tasks/lens_affective.fp32.json", None),
    (['embed.backend="model2vec"'], "tasks/lens_affective.model2vec.json", None),
    (['embed.backend="model2vec"', "lens.threshold=2.0"],
     "tasks/lens_affective.model2vec.json", 2.0),
])
def test_the_lens_takes_the_calibration_of_the_configured_embedder(overrides, model, threshold):
    from chorus.core.settings.lens import CALIBRATIONS

    cfg = load_config("configs/chorus.toml", overrides)
    assert cfg.lens.affective_model == model
    entry = CALIBRATIONS[cfg.embed.backend]
    assert cfg.lens.threshold == (threshold if threshold is not None else entry.threshold)
