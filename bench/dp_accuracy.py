"""Error of DP-published cluster counts against the true counts, on demo data.

    python -m bench.dp_accuracy [--n 2000] [--reps 20] [--epsilons 1 2 4 8]

Runs the pipeline's own stages once (scrub, facets, embed, cluster) on ``n`` demo
conversations, then the DP release (tasks.dp_release) ``reps`` times per epsilon, and
prints, for clusters of 100+ distinct users, the mean relative error of n_users and
n_conversations, the share within 10%, and how often such a cluster was not selected.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np

import chorus  # noqa: F401


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--epsilons", type=float, nargs="+", default=[1.0, 2.0, 4.0, 8.0])
    args = parser.parse_args()

    from chorus.config import load_config
    from chorus.demo_data import write_demo_data
    from tasks.cluster import cluster_embeddings
    from tasks.dp_release import dp_cluster_counts
    from tasks.embed import build_embedder, embed_with_cache
    from tasks.facets import compute_facets
    from tasks.ingest import read_conversations
    from tasks.scrub import build_analyzer, scrub_conversations

    cfg = load_config("configs/chorus.toml", ["scrub.progress=false", "embed.progress=false"])
    with tempfile.TemporaryDirectory() as tmp:
        data, _ = write_demo_data(args.n, 7, Path(tmp) / "demo.jsonl")
        raw = read_conversations([data], cfg.ingest).conversations
    scrubbed, _ = scrub_conversations(raw, build_analyzer(cfg.scrub), cfg.scrub)
    facets = compute_facets(scrubbed, cfg.facets)
    vectors, _ = embed_with_cache(facets["request"].to_list(), build_embedder(cfg.embed), None)
    labels = cluster_embeddings(vectors, cfg.cluster).labels
    users = facets["user_id"].to_numpy()
    truth = {}
    for level, row in enumerate(labels):
        for key in set(row.tolist()) - {-1}:
            mask = row == key
            truth[(level, key)] = (int(mask.sum()), len(set(users[mask])))
    big = [k for k, (_, u) in truth.items() if u >= 100]
    print(f"{len(big)} clusters with 100+ users over {labels.shape[0]} levels; bounds: "
          f"{cfg.privacy.dp.max_clusters_per_user} clusters/user/level, "
          f"{cfg.privacy.dp.max_conversations_per_cluster} conversations/user/cluster")
    print("epsilon | users: mean rel err, within 10% | conversations: mean rel err, "
          "within 10% | not selected")
    for eps in args.epsilons:
        settings = cfg.privacy.dp.model_copy(update={"enabled": True, "epsilon": eps})
        err_u, err_c, missing = [], [], 0
        for _ in range(args.reps):
            dp = dp_cluster_counts(labels, users, cfg.privacy.min_users, settings)
            for key in big:
                if key not in dp:
                    missing += 1
                    continue
                err_c.append(abs(dp[key][0] - truth[key][0]) / truth[key][0])
                err_u.append(abs(dp[key][1] - truth[key][1]) / truth[key][1])
        eu, ec = np.array(err_u or [np.nan]), np.array(err_c or [np.nan])
        print(f"{eps:7.1f} | {eu.mean():.3f}, {np.mean(eu <= 0.1):.0%} | {ec.mean():.3f}, "
              f"{np.mean(ec <= 0.1):.0%} | {missing}/{args.reps * len(big)}")


if __name__ == "__main__":
    main()
