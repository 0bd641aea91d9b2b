"""LensSettings: unknown keys and out-of-range values are rejected; the defaults."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from chorus.core.settings import LensSettings


def test_settings_forbid_unknown_keys_and_bad_values():
    with pytest.raises(ValidationError):
        LensSettings(treshold=0.1)
    with pytest.raises(ValidationError):
        LensSettings(max_user_turns=4)  # removed: the request comes from tasks.facets
    with pytest.raises(ValidationError):
        LensSettings(top_k=0)


@pytest.mark.parametrize("field, value, ok", [
    ("outcome_margin", -0.01, False), ("outcome_margin", 0.0, True),
    ("outcome_margin", 0.05, True),
    ("concern_min_level", -1, False), ("concern_min_level", 0, True),
    ("concern_min_level", 2, True),
])
def test_lens_settings_bounds(field, value, ok):
    if ok:
        assert getattr(LensSettings(**{field: value}), field) == value
    else:
        with pytest.raises(ValidationError):
            LensSettings(**{field: value})


def test_lens_defaults():
    settings = LensSettings()
    assert settings.enabled and settings.outcome_margin == 0.05
    assert settings.concern_min_level == 1
