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
    model_scores_from_vectors,
    prototype_fingerprint,
)
from tasks.lens.disclosure import disclosure_counts, disclosure_fingerprint


def test_shipped_model_matches_embedder_and_prototypes(embedder):
    model = load_affective_model(LensSettings().affective_model)
    assert model.embedder_model_id == embedder.model_id
    assert model.coef.shape == (384,) and model.coef.dtype == np.float32
    # editing the prototype lists or the disclosure patterns means refitting:
    # python -m bench.lens_fit
    assert model.prototypes == prototype_fingerprint()
    assert model.disclosure == disclosure_fingerprint()
    assert model.disclosure_weight > 0  # fitted: disclosing a feeling reads as affective
    assert applicable_model(embedder, LensSettings(), 384) is model


def test_missing_or_bad_model_file_is_a_config_error(embedder, tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        affective_scores(["hi"], embedder,
                         LensSettings(affective_model=str(tmp_path / "none.json")))
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": 1, "dim": 3, "coef": [1, 2]}')
    with pytest.raises(ConfigError, match="not a lens model"):
        affective_scores(["hi"], embedder, LensSettings(affective_model=str(bad)))


def _write_model(path, fmt, **extra):
    import json

    doc = {"format": fmt, "dim": 3, "coef": [0.0, 0.0, 0.0], "intercept": 0.0,
           "prototype_weight": 0.0, "top_k": 1, "embedder_model_id": "m",
           "prototypes": prototype_fingerprint(), **extra}
    path.write_text(json.dumps(doc))
    return str(path)


def test_format_1_file_loads_without_disclosure(tmp_path):
    model = load_affective_model(_write_model(tmp_path / "v1.json", 1))
    assert model.disclosure_weight == 0.0 and model.disclosure == ""


@pytest.mark.parametrize("weight", [0.0, 0.5, 2.0])
def test_disclosure_weight_adds_per_disclosure(tmp_path, weight):
    model = load_affective_model(_write_model(
        tmp_path / f"v2-{weight}.json", 2, disclosure_weight=weight,
        disclosure=disclosure_fingerprint()))
    texts = ["book a table", "I feel so lonely", "I'm so anxious and I keep crying"]
    vectors = np.zeros((3, 3), dtype=np.float32)
    proto = np.eye(3, dtype=np.float32)[:1]
    scores = model_scores_from_vectors(vectors, model, proto, proto, disclosure_counts(texts))
    assert scores.tolist() == pytest.approx([0.0, weight, 2 * weight])
