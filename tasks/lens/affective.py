"""The affective facet: is the request about emotional or psychological needs?

Interpersonal advice, coaching, counselling, companionship count as affective; getting
a task done (small talk included) does not. The request's embedding (the embed stage's
vector: nothing is embedded twice) is scored against the hand-written prototypes
(``tasks.lens.prototypes``): the prototype margin is (mean cosine to the k nearest
affective prototypes) - (the same for the task prototypes). Where the fitted model
(``tasks.lens.model``) applies, its logit is the score (it also reads the request's
self-disclosure count, ``tasks.lens.disclosure``); otherwise the margin, shifted so
that ``affective = score >= LensSettings.threshold`` holds either way.

Shapes: vectors are (n, d) unit float32 rows; prototype vectors (a, d) and (t, d);
scores (n,) float32. Text in, numbers out: nothing here logs or raises with text.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from chorus.core.errors import text_safe_errors
from chorus.core.settings import LensSettings
from tasks.lens.disclosure import disclosure_counts
from tasks.lens.model import AffectiveModel, applicable_model
from tasks.lens.prototypes import AFFECTIVE_PROTOTYPES, TASK_PROTOTYPES


@lru_cache(maxsize=4)
def _prototype_vectors(embedder_id: str, embedder) -> tuple[np.ndarray, np.ndarray]:
    # keyed by model id; the embedder object is only used on a miss
    return embedder.embed(list(AFFECTIVE_PROTOTYPES)), embedder.embed(list(TASK_PROTOTYPES))


def prototype_vectors(embedder) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors of (AFFECTIVE_PROTOTYPES, TASK_PROTOTYPES), cached per model id."""
    return _prototype_vectors(getattr(embedder, "model_id", repr(embedder)), embedder)


def clear_prototype_cache() -> None:
    """Forget the cached prototype vectors (the next call embeds them again)."""
    _prototype_vectors.cache_clear()


def scores_from_vectors(vectors: np.ndarray, affective: np.ndarray, task: np.ndarray,
                        top_k: int = 1) -> np.ndarray:
    """Affective score of already-embedded texts.

    Args:
        vectors: (n, d) unit float32 rows (e.g. the embed stage's output).
        affective: (a, d) unit prototype vectors of the affective class.
        task: (t, d) unit prototype vectors of the task class.
        top_k: per class, average the k highest cosines (1: the max; k >= the number of
            prototypes: the mean over all).

    Returns:
        (n,) float32: top-k mean cosine to affective minus top-k mean cosine to task.
    """
    if len(vectors) == 0:
        return np.zeros(0, dtype=np.float32)

    def top(sims: np.ndarray) -> np.ndarray:
        k = min(top_k, sims.shape[1])
        return np.sort(sims, axis=1)[:, -k:].mean(axis=1)

    return (top(vectors @ affective.T) - top(vectors @ task.T)).astype(np.float32)


def model_scores_from_vectors(vectors: np.ndarray, model: AffectiveModel,
                              affective: np.ndarray, task: np.ndarray,
                              disclosures: np.ndarray | None = None) -> np.ndarray:
    """The fitted model's logit for already-embedded texts (higher: more affective).

    Args:
        disclosures: (n,) ``disclosure_counts`` of the texts (None: zeros; required in
            effect when ``model.disclosure_weight`` is not 0).

    Returns:
        (n,) float32: vectors . coef + intercept + disclosure_weight * disclosures +
        prototype_weight * margin, the margin with the model's own top_k.
    """
    if len(vectors) == 0:
        return np.zeros(0, dtype=np.float32)
    margin = scores_from_vectors(vectors, affective, task, model.top_k)
    score = vectors @ model.coef + model.intercept + model.prototype_weight * margin
    if disclosures is not None and model.disclosure_weight:
        score = score + model.disclosure_weight * disclosures
    return score.astype(np.float32)


@text_safe_errors("lens")
def affective_scores(texts: list[str], embedder, settings: LensSettings,
                     vectors: np.ndarray | None = None) -> np.ndarray:
    """Affective score per text (higher: more affective); affective = score >= threshold.

    With the fitted model (``settings.affective_model``, fit for this embedder): its logit.
    Otherwise the zero-shot prototype margin (``scores_from_vectors`` with
    ``settings.top_k``) shifted by ``threshold - prototype_threshold``.

    Args:
        texts: n requests (scrubbed user text).
        embedder: any ``tasks.embedders.Embedder`` (unit float32 rows).
        settings: ``LensSettings``.
        vectors: the texts' embeddings from the same embedder, to skip embedding again.

    Returns:
        (n,) float32 array; compare with ``settings.threshold``.

    Raises:
        ConfigError: ``settings.affective_model`` names a missing or malformed file.
    """
    affective, task = prototype_vectors(embedder)
    if vectors is None:
        vectors = embedder.embed(list(texts)) if texts else np.zeros((0, affective.shape[1]),
                                                                    dtype=np.float32)
    model = applicable_model(embedder, settings, affective.shape[1])
    if model is not None:
        disclosures = disclosure_counts(list(texts)) if model.disclosure_weight else None
        return model_scores_from_vectors(vectors, model, affective, task, disclosures)
    margin = scores_from_vectors(vectors, affective, task, settings.top_k)
    return (margin + np.float32(settings.threshold - settings.prototype_threshold)).astype(
        np.float32)
