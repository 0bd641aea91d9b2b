"""The shipped affective model file: it matches the embedder and the prototypes; a missing
or malformed file is a configuration error."""

from __future__ import annotations

import numpy as np
import pytest

from chorus.core.errors import ConfigError
from chorus.core.settings import LensSettings
from tasks.lens import (
    affective_scores,
    applicable_model,
    load_affective_model,
    prototype_fingerprint,
)


def test_shipped_model_matches_embedder_and_prototypes(embedder):
    model = load_affective_model(LensSettings().affective_model)
    assert model.embedder_model_id == embedder.model_id
    assert model.coef.shape == (384,) and model.coef.dtype == np.float32
    # editing the prototype lists means refitting: python -m bench.lens_fit
    assert model.prototypes == prototype_fingerprint()
    assert applicable_model(embedder, LensSettings(), 384) is model


def test_missing_or_bad_model_file_is_a_config_error(embedder, tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        affective_scores(["hi"], embedder,
                         LensSettings(affective_model=str(tmp_path / "none.json")))
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": 1, "dim": 3, "coef": [1, 2]}')
    with pytest.raises(ConfigError, match="not a lens model"):
        affective_scores(["hi"], embedder, LensSettings(affective_model=str(bad)))
