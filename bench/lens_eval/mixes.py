"""The lens on seeded mixes of the evaluation split at known affective shares.

Mixes: affective share 3%, 10% and 30% (``MIXES``); ``n`` conversations per mix, but
never more affective ones than the evaluation split holds (ESConv test, 195: so 10% uses
195 of 1,950 and 30% 195 of 650); task items half SGD, half BANKING77; seeded samples.
Each mix goes through ``tasks.lens.lens_facets`` with the pool's precomputed request
vectors. Per mix (first seed): true, estimated and adjusted share, precision, recall,
concern and referral shares of each class, the lens's seconds; over ``seeds`` resamples:
the worst precision, recall and share error; on the 3% mix: seconds per part.
"""

from __future__ import annotations

import logging
import random
import time
from pathlib import Path

import numpy as np

from bench.lens_data import embed, requests, splits

log = logging.getLogger("bench.lens_eval")

MIXES = (0.03, 0.10, 0.30)


def share_errors(tpr: float, fpr: float) -> list[float]:
    """Expected estimated-minus-true share at each mix for a classifier with tpr/fpr."""
    return [s * (tpr - 1) + (1 - s) * fpr for s in MIXES]


def lens_frame(items: list[dict]):
    """The lens's input as the flow builds it: request (tasks.facets) and referral
    (tasks.scrub, from the assistant turns); assistant_turns kept only for time_parts."""
    import polars as pl

    from tasks.scrub import referral_flags

    user_turns = [c["user_turns"] for c in items]
    assistant_turns = [c["assistant_turns"] for c in items]
    return pl.DataFrame({
        "user_turns": user_turns,
        "assistant_turns": assistant_turns,
        "request": requests(items),
        "referral": referral_flags(assistant_turns),
    }, schema={"user_turns": pl.List(pl.Utf8), "assistant_turns": pl.List(pl.Utf8),
               "request": pl.Utf8, "referral": pl.Boolean})


def sample_mix(pos: list[int], sgd: list[int], bank: list[int], share: float, n: int,
               rng: random.Random) -> list[tuple[str, int]]:
    """(pool, index) pairs of one mix at ``share``: at most ``n`` items, task items half
    SGD, half BANKING77, shuffled."""
    n_aff = min(round(share * n), len(pos))
    n_total = round(n_aff / share)
    n_task = n_total - n_aff
    items = ([("es", i) for i in rng.sample(pos, n_aff)]
             + [("sgd", i) for i in rng.sample(sgd, n_task // 2)]
             + [("banking77", i) for i in rng.sample(bank, n_task - n_task // 2)])
    rng.shuffle(items)
    return items


def rates(pred: np.ndarray, truth: np.ndarray) -> dict:
    """True and estimated share, precision and recall of Boolean predictions."""
    tp = int((pred & truth).sum())
    return {"true_share": float(truth.mean()), "estimated_share": float(pred.mean()),
            "precision": tp / max(int(pred.sum()), 1), "recall": tp / max(int(truth.sum()), 1)}


def evaluate_mixes(embedder, settings, n: int, seed: int, seeds: int,
                   cache_dir: Path | None = None) -> tuple[list[dict], dict, dict]:
    """(rows, spread, timing): one row per mix (seed ``seed``), the spread over ``seeds``
    resamples (``seed``, ``seed + 1``, ...) per mix, and time_parts on the 3% mix."""
    from tasks.lens import lens_facets
    from tasks.release import adjusted_share

    es, task = splits("evaluation")
    pool = {"es": es, **task}
    vectors = {k: embed(requests(v), embedder, cache_dir) for k, v in pool.items()}
    log.info("evaluation split: %s", {k: len(v) for k, v in pool.items()})
    index = {k: list(range(len(v))) for k, v in pool.items()}

    rows, spread, timing = [], {}, {}
    for share in MIXES:
        per_seed = []
        for s in range(seed, seed + max(1, seeds)):
            rng = random.Random(f"{s}-{share}")
            picked = sample_mix(index["es"], index["sgd"], index["banking77"], share, n, rng)
            items = [pool[k][i] for k, i in picked]
            truth = np.array([c["affective"] for c in items])
            frame = lens_frame(items)
            vec = np.stack([vectors[k][i] for k, i in picked])
            t0 = time.perf_counter()
            out = lens_facets(frame.drop("assistant_turns"), embedder, settings, vec)
            elapsed = time.perf_counter() - t0
            pred = out["affective"].to_numpy()
            row_rates = rates(pred, truth)
            per_seed.append(row_rates)
            if s != seed:
                continue
            concern, referral = out["concern"].to_numpy(), out["referral"].to_numpy()
            rows.append({"mix": f"{share:.0%}", "n": len(items), **row_rates,
                         "adjusted_share": adjusted_share(pred, settings),
                         "concern_share_affective": float(concern[truth].mean()),
                         "concern_share_task": float(concern[~truth].mean()),
                         "referral_share_affective": float(referral[truth].mean()),
                         "referral_share_task": float(referral[~truth].mean()),
                         "lens_seconds_without_embedding": round(elapsed, 2)})
            if share == 0.03:
                timing = time_parts(frame, embedder, settings, elapsed)
        spread[f"{share:.0%}"] = {
            "seeds": len(per_seed),
            "min_precision": min(r["precision"] for r in per_seed),
            "min_recall": min(r["recall"] for r in per_seed),
            "max_abs_share_error": max(abs(r["estimated_share"] - r["true_share"])
                                       for r in per_seed)}
    return rows, spread, timing


def time_parts(frame, embedder, settings, total: float) -> dict:
    """Seconds per part on one mix: request embedding vs the lens's own work."""
    from tasks.lens import (
        affective_scores,
        clear_prototype_cache,
        concern_flags,
        sentiment_trajectory,
    )
    from tasks.scrub import referral_flags

    users = frame["user_turns"].to_list()
    texts = frame["request"].to_list()
    t0 = time.perf_counter()
    vectors = embedder.embed(texts)
    t1 = time.perf_counter()
    clear_prototype_cache()
    affective_scores(texts, embedder, settings, vectors)  # prototypes + scoring only
    t2 = time.perf_counter()
    sentiment_trajectory(users)
    t3 = time.perf_counter()
    concern_flags(users)
    referral_flags(frame["assistant_turns"].to_list())
    t4 = time.perf_counter()
    return {"n": frame.height, "lens_facets_total_s": round(total, 2),
            "embed_requests_s": round(t1 - t0, 2),
            "prototypes_and_scoring_s": round(t2 - t1, 3), "vader_s": round(t3 - t2, 3),
            "regex_s": round(t4 - t3, 3),
            "lens_without_request_embedding_s": round(t4 - t1, 3)}
