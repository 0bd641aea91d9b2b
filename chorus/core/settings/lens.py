"""Settings of the emotional-support lens stage."""

from __future__ import annotations

from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field

# Calibrated defaults for the default embed.backend, onnx-int8 (python -m bench.lens_fit
# prints them; see LensSettings).
THRESHOLD_DEFAULT = -0.643
PROTOTYPE_THRESHOLD_DEFAULT = 0.034
CALIBRATION_TPR_DEFAULT = 0.9795
CALIBRATION_FPR_DEFAULT = 0.0016


class Calibration(NamedTuple):
    """The lens fields that hold for one embedding backend only (``calibrated``)."""

    affective_model: str
    threshold: float
    prototype_threshold: float
    calibration_tpr: float
    calibration_fpr: float


# Per embed.backend: `python -m bench.lens_fit --backend B --out F` fits F on the training
# split and prints the rest (calibration split). A backend not listed keeps the defaults
# (its vectors do not fit the shipped model: the lens scores with the prototypes alone).
CALIBRATIONS: dict[str, Calibration] = {
    # python -m bench.lens_fit (the default backend) --out tasks/lens_affective.json
    "onnx-int8": Calibration("tasks/lens_affective.json", THRESHOLD_DEFAULT,
                             PROTOTYPE_THRESHOLD_DEFAULT, CALIBRATION_TPR_DEFAULT,
                             CALIBRATION_FPR_DEFAULT),
    # python -m bench.lens_fit --backend sentence-transformers --out
    # tasks/lens_affective.fp32.json
    "sentence-transformers": Calibration("tasks/lens_affective.fp32.json", -0.168, 0.029,
                                         0.9795, 0.0016),
    # python -m bench.lens_fit --backend model2vec --out tasks/lens_affective.model2vec.json
    "model2vec": Calibration("tasks/lens_affective.model2vec.json", 1.738, 0.062, 0.9538,
                             0.0036),
}


class LensSettings(BaseModel):
    """How the emotional-support lens scores conversations."""

    model_config = ConfigDict(extra="forbid")

    affective_model: str = Field(
        "tasks/lens_affective.json",
        description="The fitted affective scorer (logistic regression on the request "
                    "embedding and its self-disclosure count, plus prototype_weight x the "
                    "prototype margin; written by "
                    "python -m bench.lens_fit). A path relative to the project root or "
                    "absolute; empty: zero-shot prototypes only. It applies only to the "
                    "embedder it was fit with (model id and dimension); with another "
                    "embedder the lens falls back to the prototypes.",
    )
    threshold: float = Field(
        THRESHOLD_DEFAULT, ge=-50.0, le=50.0,
        description="A conversation is affective when affective_score >= threshold. "
                    "Calibrated for the fitted model on the calibration split (ESConv "
                    "valid + held-out SGD first half + held-out BANKING77 train; "
                    "python -m bench.lens_fit), never on the evaluation split.",
    )
    prototype_threshold: float = Field(
        PROTOTYPE_THRESHOLD_DEFAULT, ge=-2.0, le=2.0,
        description="Threshold of the zero-shot prototype margin, used when no fitted "
                    "model applies (affective_model empty, or another embedder). Its "
                    "scores are shifted by threshold - prototype_threshold so that "
                    "affective_score >= threshold holds either way. Calibrated on the "
                    "same split.",
    )
    calibration_tpr: float = Field(
        CALIBRATION_TPR_DEFAULT, ge=0.0, le=1.0,
        description="Share of affective conversations flagged at the default threshold on "
                    "the calibration split (for adjusted_share).",
    )
    calibration_fpr: float = Field(
        CALIBRATION_FPR_DEFAULT, ge=0.0, le=1.0,
        description="Share of task conversations flagged at the default threshold on the "
                    "calibration split (for adjusted_share).",
    )
    top_k: int = Field(
        3, ge=1,
        description="Per class, the mean cosine of a text to its k most similar prototypes "
                    "(1: the max), for the prototype-only score; the fitted model records "
                    "and uses its own (bench.lens_fit passes this value).",
    )
    enabled: bool = Field(
        True, description="Run the lens stage and publish its aggregates (false: skip it; "
                          "no lens column, facet row or run count is written).",
    )
    outcome_margin: float = Field(
        0.05, ge=0.0,
        description="A conversation ended 'better' when sentiment_shift > margin, 'worse' "
                    "when < -margin, else 'same' (the 'outcome' facet).",
    )
    user_prior_min: int = Field(
        3, ge=0,
        description="Run level: a user with at least this many affective conversations has "
                    "each further one within user_prior_margin below the threshold counted "
                    "as affective too (tasks.release.user_prior; 0: off; chosen on demo "
                    "seeds 1-5).",
    )
    user_prior_margin: float = Field(
        1.0, ge=0.0,
        description="How far below threshold (affective_score units: the fitted model's "
                    "logit) a repeated user's conversation still counts as affective. "
                    "With no fitted model (affective_model empty) the prior is off.",
    )
    concern_min_level: int = Field(
        1, ge=0,
        description="The 'support_path' facet (concern and referral) is published only "
                    "for clusters at this level or coarser (0 = base): concern is rare "
                    "and sensitive, so it is shown on large clusters only.",
    )


def calibrated(settings: LensSettings, backend: str) -> LensSettings:
    """``settings`` with ``backend``'s ``CALIBRATIONS`` entry in every one of those fields
    the configuration did not set itself (an explicit value always wins).

    Args:
        settings: the run's lens settings.
        backend: ``EmbedSettings.backend``.

    Returns:
        A copy (or ``settings`` itself when nothing changes).
    """
    entry = CALIBRATIONS.get(backend)
    if entry is None:
        return settings
    update = {k: v for k, v in entry._asdict().items() if k not in settings.model_fields_set}
    return settings.model_copy(update=update) if update else settings
