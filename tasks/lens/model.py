"""The fitted affective scorer: its JSON file, loading, and when it applies.

A logistic regression on the request embedding and the request's self-disclosure count
(``tasks.lens.disclosure``), with the prototype margin as one more feature: score =
vector . coef + intercept + disclosure_weight * disclosures + prototype_weight * margin
(a logit). Fitted
by ``python -m bench.lens_fit`` on a training split only (see its docstring) and shipped
as JSON (``LensSettings.affective_model``). Its fields::

    format              MODEL_FORMAT (format 1 files, without the disclosure fields,
                        still load, with disclosure_weight 0)
    dim                 embedding dimension d
    coef                d floats
    intercept           float
    disclosure_weight   float (the fitted coefficient of disclosure_counts)
    disclosure          disclosure_fingerprint() at fit time
    prototype_weight    float
    top_k               int (the prototype margin's k at fit time)
    embedder_model_id   the embedder's model_id it was fit with
    prototypes          prototype_fingerprint() at fit time

The model applies only to the embedder it was fit with (model id and dimension); with
another one the lens scores with the prototypes alone. Logs carry model ids only.
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

from chorus.core.errors import ConfigError
from chorus.core.settings import LensSettings
from tasks.lens.prototypes import prototype_fingerprint

log = logging.getLogger(__name__)

MODEL_FORMAT = 2
_READABLE_FORMATS = (1, 2)


class AffectiveModel(NamedTuple):
    """The fitted scorer read from ``LensSettings.affective_model``."""

    coef: np.ndarray          # (d,) float32
    intercept: float
    prototype_weight: float
    top_k: int
    embedder_model_id: str
    prototypes: str           # prototype_fingerprint() at fit time
    disclosure_weight: float = 0.0
    disclosure: str = ""      # disclosure_fingerprint() at fit time ("" in format 1)


def _model_path(path: str) -> Path:
    from chorus.core.env import PROJECT_ROOT

    p = Path(path)
    return p if p.is_absolute() else PROJECT_ROOT / p


@lru_cache(maxsize=4)
def load_affective_model(path: str) -> AffectiveModel:
    """Read a model file written by ``bench.lens_fit`` (cached per path).

    Args:
        path: relative to the project root, or absolute.

    Raises:
        ConfigError: the file is missing or malformed.
    """
    file = _model_path(path)
    try:
        doc = json.loads(file.read_text(encoding="utf-8"))
        if doc.get("format") not in _READABLE_FORMATS:
            raise ValueError(f"format {doc.get('format')!r}, expected one of "
                             f"{_READABLE_FORMATS}")
        coef = np.asarray(doc["coef"], dtype=np.float32)
        if coef.ndim != 1 or len(coef) != int(doc["dim"]):
            raise ValueError("coef length does not match dim")
        return AffectiveModel(coef, float(doc["intercept"]), float(doc["prototype_weight"]),
                              int(doc["top_k"]), str(doc["embedder_model_id"]),
                              str(doc["prototypes"]),
                              float(doc.get("disclosure_weight", 0.0)),
                              str(doc.get("disclosure", "")))
    except FileNotFoundError:
        raise ConfigError(f"lens.affective_model: {file} not found (python -m "
                          "bench.lens_fit writes it; empty: prototypes only)") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"lens.affective_model: {file} is not a lens model ({exc})") from None


def applicable_model(embedder, settings: LensSettings, dim: int) -> AffectiveModel | None:
    """The fitted model, or None where it does not apply (no model configured, or an
    embedder other than the one it was fit with: then the prototypes score alone).

    Raises:
        ConfigError: ``settings.affective_model`` names a missing or malformed file.
    """
    if not settings.affective_model:
        return None
    model = load_affective_model(settings.affective_model)
    model_id = getattr(embedder, "model_id", None)
    if model.embedder_model_id != model_id or len(model.coef) != dim:
        _warn_once(f"lens: affective model fit for embedder {model.embedder_model_id!r} "
                   f"(dim {len(model.coef)}), not {model_id!r} (dim {dim}); scoring with "
                   "the prototypes alone (prototype_threshold)")
        return None
    if model.prototypes != prototype_fingerprint():
        _warn_once("lens: the prototype lists changed since the affective model was fit; "
                   "refit it (python -m bench.lens_fit)")
    return model


@lru_cache(maxsize=8)
def _warn_once(message: str) -> None:
    log.warning(message)  # model ids and counts only, never text
