"""A synthetic analyst warehouse of any size, for measuring the explorer (not a test).

``synthetic_warehouse(path, n_clusters)`` writes one succeeded run whose published tree
has three levels (about 3% top-level topics, 17% parents, 80% base clusters), each
cluster with a name, a description, five phrases, language / turns / affective facet
rows and a map position near its parent's: rows shaped like the release gate's, made up,
for sizes the demo does not reach (1,000 published clusters and more).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from tasks.store import connect

WORDS = ("sleep", "budget", "python", "resume", "garden", "recipe", "travel", "grief",
         "spreadsheet", "manager", "exam", "wedding", "invoice", "router", "novel", "loan",
         "diet", "piano", "tenant", "visa", "startup", "essay", "puppy", "insurance")


def _tree(n: int, rng: random.Random) -> list[dict]:
    n_top = max(1, round(0.03 * n))
    n_mid = max(1, round(0.17 * n))
    n_base = max(1, n - n_top - n_mid)
    rows: list[dict] = []

    def add(level: int, parent: dict | None, spread: float) -> dict:
        px, py = (parent["x"], parent["y"]) if parent else (0.0, 0.0)
        words = rng.sample(WORDS, 3)
        row = {"cluster_id": len(rows) + 1, "level": level,
               "parent_id": parent["cluster_id"] if parent else None, "kind": "cluster",
               "name": ", ".join(w.capitalize() if i == 0 else w for i, w in enumerate(words)),
               "description": f"Conversations about {words[0]}, {words[1]} and {words[2]}.",
               "x": px + rng.gauss(0, spread), "y": py + rng.gauss(0, spread)}
        rows.append(row)
        return row

    tops = [add(2, None, 0.5) for _ in range(n_top)]
    mids = [add(1, rng.choice(tops), 0.12) for _ in range(n_mid)]
    for _ in range(n_base):
        add(0, rng.choice(mids), 0.04)
    return rows


def synthetic_warehouse(path: str | Path, n_clusters: int = 1000, seed: int = 11,
                        run_id: str = "synthetic") -> Path:
    """Write a warehouse at ``path`` with one run of ``n_clusters`` published clusters."""
    rng = random.Random(seed)
    rows = _tree(n_clusters, rng)
    size = {r["cluster_id"]: 0 for r in rows}
    for r in sorted(rows, key=lambda r: r["level"]):
        if r["level"] == 0:
            size[r["cluster_id"]] = rng.randint(15, 400)
        else:
            size[r["cluster_id"]] = sum(size[c["cluster_id"]] for c in rows
                                        if c["parent_id"] == r["cluster_id"]) or 15
    total = sum(size[r["cluster_id"]] for r in rows if r["level"] == 2)
    scale = max(abs(v) for r in rows for v in (r["x"], r["y"])) or 1.0
    clusters = pl.DataFrame([{
        **r, "x": r["x"] / scale, "y": r["y"] / scale, "n_conversations": size[r["cluster_id"]],
        "n_users": max(10, int(size[r["cluster_id"]] * 0.8)),
        "share": size[r["cluster_id"]] / total, "mean_sentiment_shift": rng.uniform(-.2, .3),
    } for r in rows])
    phrases = pl.DataFrame([{"cluster_id": r["cluster_id"], "rank": i + 1, "phrase": w,
                             "score": 1.0 / (i + 1)}
                            for r in rows for i, w in enumerate(rng.sample(WORDS, 5))])
    facets = []
    for r in rows:
        n = size[r["cluster_id"]]
        aff = rng.randint(0, n)
        facets += [{"cluster_id": r["cluster_id"], "facet": f, "value": v,
                    "n_conversations": c, "n_users": max(10, int(c * 0.8))}
                   for f, v, c in (("language", "en", n), ("turns_bucket", "1", n // 2),
                                   ("turns_bucket", "2-3", n - n // 2),
                                   ("affective", "affective", aff),
                                   ("affective", "task", n - aff))]
    now = datetime.now(UTC)
    run = pl.DataFrame([{"run_id": run_id, "started_at": now, "finished_at": now,
                         "status": "succeeded", "min_users": 10, "min_conversations": 15,
                         "n_read": total, "n_accepted": total, "n_quarantined": 0,
                         "n_noise": 0, "n_published": len(rows), "n_suppressed": 0}])
    con = connect(path)
    try:
        for table, frame in (("runs", run), ("clusters", clusters),
                             ("cluster_phrases", phrases),
                             ("cluster_facets", pl.DataFrame(facets))):
            frame = frame if "run_id" in frame.columns else frame.with_columns(
                pl.lit(run_id).alias("run_id"))
            con.register("frame", frame)
            cols = ", ".join(f'"{c}"' for c in frame.columns)
            con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM frame")
            con.unregister("frame")
    finally:
        con.close()
    return Path(path)
