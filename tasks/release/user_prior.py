"""A user's other affective conversations as evidence: the run-level user prior.

The affective flag is decided per conversation (``affective_score >= threshold``). A
person who already has several clearly affective conversations in the run is more
likely than a stranger to be looking for support in a borderline one too ("the visa
forms are overwhelming, can you make me a checklist?"): missing those is what pulls
repeated users down a reliance bucket (``tasks.release.reliance``). So, over the whole
run (users span chunks, so the lens's map stage cannot; the release gate applies it in
``tasks.release.lens_facets.lens_values``, before any affective number is counted):

    affective' = affective or (score >= threshold - margin
                               and the user has >= min_affective affective conversations)

``min_affective = 0`` turns it off. ``margin`` is in ``affective_score`` units (the fitted
model's logit). Chosen on demo seeds 1-5 (``bench.lens_eval``'s reliance part; seeds 7 and 0 are the
reported ones): min 3, margin 1.0. Conversations of users with fewer affective ones, and
runs where every user has one conversation (the public evaluation mixes), are unchanged.

Input are arrays of user keys and scores; nothing here reads text.
"""

from __future__ import annotations

import numpy as np

from chorus.core.settings import LensSettings


def with_user_prior(users: np.ndarray, scores: np.ndarray, affective: np.ndarray,
                    threshold: float, min_affective: int, margin: float) -> np.ndarray:
    """(n,) bool: ``affective`` plus each borderline conversation of a repeated user.

    Args:
        users: (n,) user keys (any hashable dtype).
        scores: (n,) float ``affective_score``.
        affective: (n,) bool per-conversation flags (``scores >= threshold``).
        threshold: ``LensSettings.threshold``.
        min_affective: a user needs this many flagged conversations (0: off).
        margin: how far below the threshold a borderline score may be.
    """
    affective = np.asarray(affective, dtype=bool)
    if min_affective <= 0 or margin <= 0 or not affective.any():
        return affective.copy()
    users = np.asarray(users).astype(str)
    keys, inverse = np.unique(users, return_inverse=True)
    per_user = np.bincount(inverse, weights=affective, minlength=len(keys))
    repeated = per_user[inverse] >= min_affective
    borderline = np.asarray(scores, dtype=np.float64) >= threshold - margin
    return affective | (repeated & borderline)


def run_affective(users: np.ndarray, scores: np.ndarray, affective: np.ndarray,
                  lens: LensSettings) -> np.ndarray:
    """(n,) bool: the run's affective flags as the gate counts them: ``with_user_prior``
    under ``lens``'s settings when a fitted model scored the run (its logit is what
    ``user_prior_margin`` is measured in), else ``affective`` as it is."""
    if not lens.affective_model:
        return np.asarray(affective, dtype=bool).copy()
    return with_user_prior(users, scores, affective, lens.threshold, lens.user_prior_min,
                           lens.user_prior_margin)
