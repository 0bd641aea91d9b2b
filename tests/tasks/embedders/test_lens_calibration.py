"""Per-backend lens calibration: a backend's fitted model and thresholds fill the lens
settings the configuration left unset; explicit values win."""

from __future__ import annotations

import pytest

from chorus.core.settings import LensSettings
from chorus.core.settings.embed import BACKENDS
from chorus.core.settings.lens import CALIBRATIONS, calibrated


@pytest.mark.parametrize("backend", sorted(CALIBRATIONS))
def test_unset_fields_take_the_backends_calibration(backend):
    out = calibrated(LensSettings(), backend)
    entry = CALIBRATIONS[backend]
    assert (out.affective_model, out.threshold, out.prototype_threshold,
            out.calibration_tpr, out.calibration_fpr) == tuple(entry)


@pytest.mark.parametrize("backend", sorted(CALIBRATIONS))
def test_explicit_values_win(backend):
    mine = LensSettings(threshold=1.5, affective_model="")
    out = calibrated(mine, backend)
    assert out.threshold == 1.5 and out.affective_model == ""
    assert out.prototype_threshold == CALIBRATIONS[backend].prototype_threshold


def test_every_calibration_names_a_known_backend_and_a_shipped_model():
    from chorus.core.env import PROJECT_ROOT

    assert set(CALIBRATIONS) <= set(BACKENDS)
    for entry in CALIBRATIONS.values():
        assert (PROJECT_ROOT / entry.affective_model).is_file()


def test_an_uncalibrated_backend_keeps_the_settings():
    settings = LensSettings()
    uncalibrated = [b for b in BACKENDS if b not in CALIBRATIONS]
    for backend in uncalibrated:
        assert calibrated(settings, backend) is settings


@pytest.mark.slow
@pytest.mark.parametrize("backend", sorted(CALIBRATIONS))
def test_each_calibrated_model_applies_to_its_backend(backend):
    from chorus.core.settings import EmbedSettings
    from tasks.embedders import build_embedder
    from tasks.lens import applicable_model, load_affective_model, prototype_fingerprint

    embedder = build_embedder(EmbedSettings(backend=backend, progress=False))
    dim = embedder.embed(["hello"]).shape[1]
    settings = calibrated(LensSettings(), backend)
    model = load_affective_model(settings.affective_model)
    assert model.embedder_model_id == embedder.model_id and len(model.coef) == dim
    assert model.prototypes == prototype_fingerprint(), "prototypes changed: refit"
    assert applicable_model(embedder, settings, dim) is model
