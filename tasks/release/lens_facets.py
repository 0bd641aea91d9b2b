"""The facets the gate publishes, the emotional-support lens's among them (rule 4).

The lens columns (``tasks.lens``: affective, sentiment_shift, concern, referral) become
the values of three facets, whose fixed vocabulary is ``chorus.core.release``'s
``LENS_FACET_VALUES``; ``facet_specs`` lists every facet in publication order for
``tasks.release.facet_rows``; ``lens_run_counts`` is the run's affective count, published
only when the run's root node shows both the affective and the task group.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from chorus.core.release import FACETS, LENS_RUN_COLUMNS
from chorus.core.settings import LensSettings
from tasks.release.facet_rows import FacetSpec
from tasks.release.user_prior import run_affective


def affective_labels(affective: np.ndarray) -> np.ndarray:
    """'affective' / 'task' per conversation."""
    return np.where(np.asarray(affective, dtype=bool), "affective", "task")


def outcome_labels(shift: np.ndarray, margin: float) -> np.ndarray:
    """'better' (shift > margin), 'worse' (shift < -margin) or 'same' per conversation.

    Compared in float32, the precision of the ``sentiment_shift`` column, so a shift equal
    to the margin is 'same'.
    """
    shift32, margin32 = np.asarray(shift, dtype=np.float32), np.float32(margin)
    return np.where(shift32 > margin32, "better",
                    np.where(shift32 < -margin32, "worse", "same"))


def support_path_labels(concern: np.ndarray,
                        referral: np.ndarray | Sequence[bool | None]) -> np.ndarray:
    """'no concern', 'concern, referred' or 'concern, not referred' per conversation
    (a null referral reads as not referred)."""
    concern = np.asarray(concern, dtype=bool)
    referral = np.array([bool(r) for r in referral], dtype=bool)
    return np.where(~concern, "no concern",
                    np.where(referral, "concern, referred", "concern, not referred"))


def adjusted_share(flags: np.ndarray, settings: LensSettings) -> float:
    """Affective share corrected for the facet's known error rates ("adjusted classify
    and count"): (observed - fpr) / (tpr - fpr), clipped to [0, 1].

    Args:
        flags: (n,) bool, the ``affective`` column.
        settings: ``LensSettings`` (``calibration_tpr``, ``calibration_fpr``; they hold
            for the default threshold only).

    Returns:
        The corrected share (the raw share when tpr <= fpr or n == 0).
    """
    observed = float(np.mean(flags)) if len(flags) else 0.0
    tpr, fpr = settings.calibration_tpr, settings.calibration_fpr
    if tpr <= fpr or not len(flags):
        return observed
    return float(min(1.0, max(0.0, (observed - fpr) / (tpr - fpr))))


def lens_values(facets: pl.DataFrame, lens: LensSettings) -> dict[str, np.ndarray] | None:
    """Per-conversation values of the lens facets (affective, outcome, support_path: (n,)
    str; multi_turn: (n,) bool), or None when the lens did not run. ``affective`` holds
    the run-level user prior (``tasks.release.user_prior``) when a fitted model scored the run."""
    if not lens.enabled or "affective" not in facets.columns:
        return None
    affective = facets["affective"].to_numpy()
    if "affective_score" in facets.columns and "user_id" in facets.columns:
        affective = run_affective(facets["user_id"].to_numpy(),
                                  facets["affective_score"].to_numpy(), affective, lens)
    return {
        "affective": affective_labels(affective),
        "outcome": outcome_labels(facets["sentiment_shift"].to_numpy(), lens.outcome_margin),
        "support_path": support_path_labels(facets["concern"].to_numpy(),
                                            facets["referral"].to_list()),
        # a conversation with one user turn has no trajectory: outside the outcome facet
        "multi_turn": facets["turns_bucket"].to_numpy() != "1",
    }


def facet_specs(facets: pl.DataFrame, lens_vals: dict[str, np.ndarray] | None,
                n_levels: int, lens: LensSettings) -> list[FacetSpec]:
    """The facets the gate publishes, in order (outcome refers to turns_bucket)."""
    top = n_levels - 1
    specs = [FacetSpec(f, facets[f].cast(pl.Utf8).to_numpy().astype(str), max_level=top)
             for f in FACETS]
    if lens_vals is not None:
        specs += [
            # 'affective' also at the run level (the root): the run's affective share
            FacetSpec("affective", lens_vals["affective"], relaxed=True),
            # multi-turn conversations only: a single turn has no trajectory; the rest of
            # the node is the turns_bucket '1' row, which must then be shown itself
            FacetSpec("outcome", lens_vals["outcome"], domain=lens_vals["multi_turn"],
                      max_level=top, requires=("turns_bucket", "1")),
            FacetSpec("support_path", lens_vals["support_path"],
                      min_level=lens.concern_min_level, max_level=top),
        ]
    return specs


def lens_run_counts(values: dict[str, np.ndarray] | None, users: np.ndarray, n_accepted: int,
                    lens: LensSettings, root_shown: dict | None) -> dict[str, float | None]:
    """The run's affective count (``LENS_RUN_COLUMNS``), published only when the run (the
    root node of the facet rows) shows both the affective and the task group (else every
    value is None)."""
    out: dict[str, float | None] = dict.fromkeys(LENS_RUN_COLUMNS)
    if values is None or not root_shown or not root_shown.get("affective"):
        return out
    if root_shown["affective"] != {"affective", "task"}:
        return out
    flags = values["affective"] == "affective"
    n_conv = int(flags.sum())
    out.update(n_affective=n_conv, n_affective_users=int(np.unique(users[flags]).size),
               affective_share=n_conv / n_accepted if n_accepted else None,
               affective_share_adjusted=adjusted_share(flags, lens))
    return out


def mean_shift(facets: pl.DataFrame, idx: np.ndarray) -> float | None:
    """Mean ``sentiment_shift`` of the rows ``idx``, rounded to 4 places (None without the
    column or members)."""
    if "sentiment_shift" not in facets.columns or idx.size == 0:
        return None
    return round(float(facets["sentiment_shift"].gather(idx).to_numpy().mean()), 4)
