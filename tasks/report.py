"""Render the published tree for people: plain text for the terminal, markdown for Prefect.

Input is only what the release gate published (``Release.clusters`` or the warehouse's
``clusters`` table): cluster_id, level, parent_id, kind, name, n_conversations,
n_users, share. Nothing here can show more than an analyst may see.
"""

from __future__ import annotations

import polars as pl

BAR_WIDTH = 24


def _children(clusters: pl.DataFrame) -> dict[int | None, list[dict]]:
    kids: dict[int | None, list[dict]] = {}
    for row in clusters.sort("cluster_id").iter_rows(named=True):
        kids.setdefault(row["parent_id"], []).append(row)
    return kids


def tree_lines(clusters: pl.DataFrame, max_depth: int | None = None,
               bars: bool = True) -> list[str]:
    """Indented lines, one per cluster, depth-first, children by size, 'other' last."""
    kids = _children(clusters)
    top = max((r["n_conversations"] for r in kids.get(None, [])), default=1) or 1
    lines: list[str] = []

    def walk(parent: int | None, depth: int) -> None:
        for row in kids.get(parent, []):
            name = row["name"] or "(unnamed: no phrase met the k-user rule)"
            bar = ""
            if bars:
                filled = max(1, round(BAR_WIDTH * row["n_conversations"] / top))
                bar = f"{'█' * filled:<{BAR_WIDTH}} "
            lines.append(f"{'    ' * depth}{bar}{row['share']:6.1%}  {name}  "
                         f"[{row['n_conversations']} conversations, {row['n_users']} users]")
            if max_depth is None or depth + 1 < max_depth:
                walk(row["cluster_id"], depth + 1)

    walk(None, 0)
    return lines


def render_markdown(run: dict, release, max_depth: int = 2) -> str:
    """Markdown for the Prefect artifact: the run's counts and the top of the tree."""
    counts = [
        ("records read", run.get("n_read")), ("accepted", run.get("n_accepted")),
        ("quarantined", run.get("n_quarantined")), ("noise (no cluster)", run.get("n_noise")),
        ("noise reassigned", run.get("n_noise_reassigned")),
        ("clusters published", run.get("n_published")),
        ("clusters suppressed (below k)", run.get("n_suppressed")),
    ]
    out = [f"# Chorus run `{run['run_id']}`", "",
           f"k-anonymity: at least {run.get('min_users')} users and "
           f"{run.get('min_conversations')} conversations behind every row.", "",
           "| count | value |", "|---|---|"]
    out += [f"| {label} | {value} |" for label, value in counts]
    out += ["", f"## Published tree (top {max_depth} levels)", "", "```"]
    out += tree_lines(release.clusters, max_depth=max_depth, bars=False) or ["(nothing published)"]
    out += ["```"]
    return "\n".join(out)
