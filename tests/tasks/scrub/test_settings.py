"""The scrub stage's settings (``chorus.core.settings.ScrubSettings``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from chorus.core.env import PROJECT_ROOT
from chorus.core.settings import ScrubSettings


def test_settings_forbid_unknown_fields() -> None:
    with pytest.raises(ValidationError):
        ScrubSettings(progres=False)


def test_settings_validate_ranges_and_entities() -> None:
    with pytest.raises(ValidationError):
        ScrubSettings(score_threshold=1.5)
    with pytest.raises(ValidationError):
        ScrubSettings(batch_size=0)
    with pytest.raises(ValidationError):
        ScrubSettings(entities=[])
    assert ScrubSettings(entities=["URL", " URL", "PERSON"]).entities == ["URL", "PERSON"]


def test_relative_recognizers_config_resolves_against_project_root() -> None:
    assert ScrubSettings().resolved_recognizers_config() == (
        PROJECT_ROOT / "configs" / "recognizers.yaml"
    )
    absolute = Path("/somewhere/else.yaml")
    assert ScrubSettings(recognizers_config=absolute).resolved_recognizers_config() == absolute
