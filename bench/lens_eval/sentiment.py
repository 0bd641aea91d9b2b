"""The sentiment trajectory against ESConv seekers' own survey: does the lens's shift
(end - start VADER compound) rank conversations as the seekers rated their improvement?

Improvement is ``survey_score.seeker.initial_emotion_intensity - final_emotion_intensity``
(1-5 scale, strings in the file); conversations without both are skipped. Nothing is fit
on it. Output holds counts and correlations only.
"""

from __future__ import annotations

import numpy as np

from bench.lens_data import esconv

FIELD = ("survey_score.seeker.initial_emotion_intensity - "
         "survey_score.seeker.final_emotion_intensity")


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman rank correlation of two equal-length arrays."""
    from scipy.stats import spearmanr

    return float(spearmanr(a, b).statistic)


def intensity(survey: dict, key: str) -> float | None:
    """A survey intensity as a float, or None where it is absent or not a number."""
    try:
        return float(survey[key])
    except (KeyError, TypeError, ValueError):
        return None


def sentiment_eval() -> dict:
    """Spearman of shift vs improvement over every ESConv split, per split, and for the
    first-vs-last-turn variant; mean shift and mean improvement."""
    from tasks.lens import compound, sentiment_trajectory

    by_split, shifts, gains, firstlast = {}, [], [], []
    for split in ("train", "valid", "test"):
        have = [c for c in esconv(split)
                if intensity(c["survey"], "initial_emotion_intensity") is not None
                and intensity(c["survey"], "final_emotion_intensity") is not None]
        _, _, shift = sentiment_trajectory([c["user_turns"] for c in have])
        # ``have`` holds only conversations whose two intensities parse as floats
        gain = np.array([float(c["survey"]["initial_emotion_intensity"])
                         - float(c["survey"]["final_emotion_intensity"]) for c in have])
        by_split[split] = {"n": len(have), "spearman": round(spearman(shift, gain), 4)}
        shifts.append(shift)
        gains.append(gain)
        firstlast += [compound(c["user_turns"][-1]) - compound(c["user_turns"][0])
                      for c in have]
    shift, gain = np.concatenate(shifts), np.concatenate(gains)
    return {"n": len(gain), "spearman": spearman(shift, gain),
            "spearman_first_last_turn": spearman(np.array(firstlast), gain),
            "by_split": by_split, "mean_shift": float(shift.mean()),
            "mean_improvement": float(gain.mean()), "field": FIELD}
