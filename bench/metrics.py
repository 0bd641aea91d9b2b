"""Clustering quality against true labels: ARI, NMI, V-measure, coverage, cluster count.

Two conventions for noise (label -1), both reported:

* ``noise_as_cluster``: every noise point is put in one extra cluster "-1" (how a reader
  of the published tree sees it: one "unclustered" bucket). This is the headline.
* ``non_noise``: scored on non-noise points only; ``coverage`` (share not noise) is
  reported beside it, since dropping hard points flatters any score.

NMI uses scikit-learn's default arithmetic normalisation, so it equals the V-measure
(beta = 1); both are kept because papers quote one or the other.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score, v_measure_score

NOISE = -1


def _scores(truth: Sequence, pred: Sequence) -> dict[str, float | None]:
    if len(truth) == 0:
        return {"ari": None, "nmi": None, "v_measure": None}
    return {"ari": float(adjusted_rand_score(truth, pred)),
            "nmi": float(normalized_mutual_info_score(truth, pred)),
            "v_measure": float(v_measure_score(truth, pred))}


def cluster_scores(truth: Sequence | np.ndarray,
                   pred: np.ndarray) -> dict[str, float | int | None]:
    """Score predicted cluster ids against true labels, both noise conventions.

    Args:
        truth: (n,) true labels (any hashable values).
        pred: (n,) int cluster ids, -1 noise.

    Returns:
        ``ari``, ``nmi``, ``v_measure`` (noise as one cluster), ``ari_non_noise``,
        ``nmi_non_noise``, ``v_measure_non_noise`` (None when everything is noise),
        ``coverage`` (share of points not noise), ``n_clusters`` (excluding noise),
        ``n_noise``, ``n``.
    """
    truth = np.asarray(truth, dtype=object)
    pred = np.asarray(pred)
    if truth.shape != pred.shape:
        raise ValueError(f"truth {truth.shape} and pred {pred.shape} differ in shape")
    mask = pred != NOISE
    out: dict[str, float | int | None] = dict(_scores(list(truth), list(pred)))
    for key, value in _scores(list(truth[mask]), list(pred[mask])).items():
        out[f"{key}_non_noise"] = value
    n = int(pred.size)
    out["coverage"] = float(mask.mean()) if n else None
    out["n_clusters"] = int(np.unique(pred[mask]).size)
    out["n_noise"] = int(n - mask.sum())
    out["n"] = n
    return out
