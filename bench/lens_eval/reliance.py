"""Users per reliance bucket (``chorus.core.release.RELIANCE_BUCKETS``: 1, 2-3, 4-9, 10+
affective conversations), from the lens's predicted ``affective`` flags against the demo
truth: the issue's target is each bucket within 5% of the truth.

This counts every bucket as it is (no merging); the release gate publishes the run's
histogram from the same per-user counts, merging neighbours only where a bucket would
fall below k. Output holds counts only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from bench.lens_eval.boundary import flag_scores
from bench.lens_eval.demo import (
    DEMO_N,
    DEMO_SEEDS,
    demo_set,
    demo_vectors,
    truth_flags,
)

TARGET = "each bucket's user count within 5% of the demo truth"
NOTE = ("request built from the raw demo user turns (bench.lens_data.requests); the flow "
        "embeds the scrubbed ones")


def reliance_bucket(count: int) -> str:
    """The ``RELIANCE_BUCKETS`` label of a user's number of affective conversations (>= 1)."""
    from chorus.core.release import RELIANCE_BUCKETS, reliance_label

    for lower, upper in RELIANCE_BUCKETS:
        if count >= lower and (upper is None or count <= upper):
            return reliance_label(lower, upper)
    raise ValueError(f"no reliance bucket for {count}")


def reliance_counts(user_ids: Sequence[str],
                    affective: Sequence[bool] | np.ndarray) -> dict[str, int]:
    """Users per reliance bucket by their number of affective conversations (every bucket
    listed, zeros included; users without one skipped)."""
    from chorus.core.release import RELIANCE_BUCKETS, reliance_label

    per_user = Counter(u for u, a in zip(user_ids, affective, strict=True) if a)
    counts = Counter(reliance_bucket(c) for c in per_user.values())
    return {reliance_label(lo, hi): counts.get(reliance_label(lo, hi), 0)
            for lo, hi in RELIANCE_BUCKETS}


def relative_errors(estimate: dict[str, int], truth: dict[str, int]) -> dict[str, float | None]:
    """Per key of ``truth``: |estimate - truth| / truth (None where the truth is zero)."""
    return {k: abs(estimate.get(k, 0) - v) / v if v else None for k, v in truth.items()}


def demo_reliance(seed: int, embedder, settings, n: int = DEMO_N) -> dict:
    """Truth and predicted users per bucket on ``generate(n, seed)``, each bucket's
    relative error, and the affective flag's own precision and recall there; the flags
    with the release gate's user prior (``tasks.release.user_prior``), as published."""
    from tasks.lens import affective_scores
    from tasks.release.user_prior import run_affective

    demo = demo_set(seed, n)
    scores = affective_scores(demo.texts, embedder, settings,
                              demo_vectors(seed, demo, embedder))
    users = [t["user_id"] for t in demo.truth]
    pred = run_affective(np.asarray(users), scores, scores >= settings.threshold, settings)
    labels = truth_flags(demo.truth, "affective")
    true_counts, pred_counts = reliance_counts(users, labels), reliance_counts(users, pred)
    return {"truth": true_counts, "predicted": pred_counts,
            "relative_error": relative_errors(pred_counts, true_counts),
            "affective": flag_scores(pred, labels)}


def reliance_eval(embedder, settings, seeds: Sequence[int] = DEMO_SEEDS,
                  sizes: Sequence[int] | None = None) -> dict:
    """The reliance part of lens.json: the bucket labels, the target, and one entry per
    demo seed and size (``demo_{n}_seed{seed}``; the target is read at ``DEMO_N``, the
    demo of ``make run``; a larger n shows how much of an error is the few users per
    bucket at that size: the heavy-reliance group scales with n). ``sizes``: default
    ``(DEMO_N,)``."""
    from chorus.core.release import RELIANCE_BUCKETS, reliance_label

    out: dict[str, object] = {
        "buckets": [reliance_label(lo, hi) for lo, hi in RELIANCE_BUCKETS],
        "target": TARGET, "note": NOTE}
    for n in sizes or (DEMO_N,):
        for seed in seeds:
            out[f"demo_{n}_seed{seed}"] = demo_reliance(seed, embedder, settings, n)
    return out
