"""Error of DP-published cluster counts against the true counts, on demo data.

    python -m bench.dp_accuracy [--n 2000] [--reps 30] [--epsilons 0.5 1 2 4 8]

Runs the pipeline's own stages once (scrub, facets, embed, cluster) on ``n`` demo
conversations, then the DP release (``tasks.release.dp``) ``reps`` times per setting,
and reports, over the clusters (all levels) with 100+ true distinct users: the mean and
90th-percentile relative error of the published n_users (and n_conversations when it
is published), the share within 10%, and how often such a cluster was not selected.
The default config is measured at every epsilon; at epsilon = 1 a few variants too.
Results: printed, ``bench/results/dp.json``, and ``latest.json`` under ``dp``.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).parent / "results"
VARIANTS: dict[str, dict[str, float]] = {  # name -> DPSettings overrides, at epsilon = 1
    "equal level weights": {"base_level_weight": 1.0},
    "no base level": {"base_level_weight": 0.0},
    "delta 1e-5": {"delta": 1e-5},
    "2 clusters per user": {"max_clusters_per_user": 2},
    "conversations 30% of budget": {"conversation_budget": 0.3},
}


def stage_outputs(n: int) -> tuple[np.ndarray, np.ndarray]:
    """(labels (levels, n), users (n,)) from the real stages on demo data."""
    from bench.chorus_path import run_chorus
    from bench.throughput import Meter
    from chorus.demo import generate

    conversations, truth = generate(n, 7)
    records = [{**c, "label": t["topic"]} for c, t in zip(conversations, truth, strict=True)]
    out = run_chorus("demo", records, Meter())
    return out.cluster_labels, out.users


def measure(labels, users, settings, pre_threshold: int, reps: int) -> dict:
    """Errors over clusters with 100+ true users, ``reps`` independent releases."""
    from tasks.release import dp_cluster_counts

    truth = {}
    for level, row in enumerate(labels):
        for key in set(row.tolist()) - {-1}:
            mask = row == key
            truth[(level, key)] = (int(mask.sum()), len(set(users[mask])))
    big = [k for k, (_, u) in truth.items() if u >= 100]
    err_u, err_c, missing = [], [], 0
    for _ in range(reps):
        dp = dp_cluster_counts(labels, users, pre_threshold, settings)
        for key in big:
            if key not in dp:
                missing += 1
                continue
            n_conv, n_users = dp[key]
            err_u.append(abs(n_users - truth[key][1]) / truth[key][1])
            if n_conv is not None:
                err_c.append(abs(n_conv - truth[key][0]) / truth[key][0])

    def summary(errors: list[float]) -> dict | None:
        if not errors:
            return None
        e = np.array(errors)
        return {"mean_rel_error": round(float(e.mean()), 4),
                "p90_rel_error": round(float(np.quantile(e, 0.9)), 4),
                "within_10pct": round(float(np.mean(e <= 0.1)), 4)}

    return {"epsilon": settings.epsilon, "delta": settings.delta, "n_big": len(big),
            "n_users": summary(err_u), "n_conversations": summary(err_c),
            "not_selected": round(missing / (reps * len(big)), 4) if big else None}


def _line(name: str, r: dict) -> str:
    u, c = r["n_users"] or {}, r["n_conversations"] or {}
    conv = (f"{c['mean_rel_error']:.3f} / {c['p90_rel_error']:.3f} / {c['within_10pct']:.0%}"
            if c else "not published")
    return (f"{name:<30} eps {r['epsilon']:<4} | users {u.get('mean_rel_error', np.nan):.3f} / "
            f"{u.get('p90_rel_error', np.nan):.3f} / {u.get('within_10pct', 0):.0%} | "
            f"conversations {conv} | not selected {r['not_selected']:.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--epsilons", type=float, nargs="+", default=[0.5, 1.0, 2.0, 4.0, 8.0])
    args = parser.parse_args()

    from chorus.core.config import load_config

    cfg = load_config("configs/chorus.toml")
    pre = max(cfg.privacy.min_users, cfg.privacy.min_conversations)
    labels, users = stage_outputs(args.n)
    base = cfg.privacy.dp.model_copy(update={"enabled": True})
    print(f"{args.n} demo conversations, {len(set(users))} users, {labels.shape[0]} levels; "
          f"pre-threshold {pre} users; {args.reps} releases per row")
    print("columns: mean rel. error / p90 rel. error / share within 10%, over clusters "
          "with 100+ users")
    rows = []
    for eps in args.epsilons:
        r = measure(labels, users, base.model_copy(update={"epsilon": eps}), pre, args.reps)
        rows.append({"setting": "default", **r})
        print(_line("default", r))
    for name, update in VARIANTS.items():
        r = measure(labels, users, base.model_copy(update={"epsilon": 1.0, **update}), pre,
                    args.reps)
        rows.append({"setting": name, **r})
        print(_line(name, r))
    out = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "n": args.n,
           "n_users": int(len(set(users))), "levels": int(labels.shape[0]),
           "reps": args.reps, "defaults": base.model_dump(), "rows": rows}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "dp.json").write_text(json.dumps(out, indent=2) + "\n")
    latest = RESULTS / "latest.json"
    merged = json.loads(latest.read_text()) if latest.exists() else {}
    merged["dp"] = out
    latest.write_text(json.dumps(merged, indent=2) + "\n")


if __name__ == "__main__":
    main()
