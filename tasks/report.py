"""Render the published tree for people: plain text for the terminal, markdown for Prefect.

Input is only what the release gate published (``Release.clusters`` or the warehouse's
``clusters`` table: cluster_id, level, parent_id, kind, name, n_conversations, n_users,
share; the ``runs`` row; the ``cluster_support`` and ``cluster_reliance`` views and
``run_facets`` for the lens). Nothing here can show more than an analyst may see.
"""

from __future__ import annotations

import polars as pl

BAR_WIDTH = 24


def _children(clusters: pl.DataFrame) -> dict[int | None, list[dict]]:
    kids: dict[int | None, list[dict]] = {}
    for row in clusters.sort("cluster_id").iter_rows(named=True):
        kids.setdefault(row["parent_id"], []).append(row)
    return kids


def _size(row: dict) -> int:
    """Drawing size: conversations, or (DP without a conversation budget) users."""
    return row["n_conversations"] if row["n_conversations"] is not None else row["n_users"]


def _counts(row: dict) -> str:
    if row["n_conversations"] is None:
        return f"{row['n_users']} users (DP)"
    return f"{row['share']:.1%} · {row['n_conversations']} conversations, {row['n_users']} users"


def _short(row: dict) -> str:
    if row["share"] is None:
        return f"{row['n_users']} users (DP)"
    return f"{row['share']:.1%} · {row['n_users']} users"


def tree_lines(clusters: pl.DataFrame, max_depth: int | None = None,
               bars: bool = True) -> list[str]:
    """Indented lines, one per cluster, depth-first, children by size, 'other' last."""
    kids = _children(clusters)
    top = max((_size(r) for r in kids.get(None, [])), default=1) or 1
    lines: list[str] = []

    def walk(parent: int | None, depth: int) -> None:
        for row in kids.get(parent, []):
            name = row["name"] or "(unnamed: no phrase met the k-user rule)"
            bar = ""
            if bars:
                filled = max(1, round(BAR_WIDTH * _size(row) / top))
                bar = f"{'█' * filled:<{BAR_WIDTH}} "
            share = "" if row["share"] is None else f"{row['share']:6.1%}  "
            counts = (f"{row['n_users']} users, DP" if row["n_conversations"] is None
                      else f"{row['n_conversations']} conversations, {row['n_users']} users")
            lines.append(f"{'    ' * depth}{bar}{share}{name}  [{counts}]")
            if max_depth is None or depth + 1 < max_depth:
                walk(row["cluster_id"], depth + 1)

    walk(None, 0)
    return lines


def _pct(value: float | None) -> str:
    return "withheld" if value is None else f"{value:.1%}"


def affective_summary(run: dict) -> str:
    """One line: the run's affective share as published (counts only)."""
    if run.get("n_affective") is None:
        return ("affective conversations: withheld (lens off, DP on, or the affective or "
                "task group below k)")
    adjusted = run.get("affective_share_adjusted")
    return (f"affective conversations: {run['n_affective']} of {run.get('n_accepted')} "
            f"({_pct(run.get('affective_share'))}; adjusted for the facet's error rates "
            f"{_pct(adjusted)}), {run.get('n_affective_users')} users")


def support_lines(support: pl.DataFrame, max_depth: int | None = None) -> list[str]:
    """The published tree pruned to clusters with a published 'affective' row (and their
    ancestors, for context), one line each with the lens's published numbers.

    Input: rows of the warehouse view ``cluster_support`` for one run.
    """
    if support.is_empty():
        return []
    rows = {r["cluster_id"]: r for r in support.iter_rows(named=True)}
    keep: set[int] = set()
    for cid, row in rows.items():
        if row["n_affective"]:
            while cid is not None and cid not in keep:
                keep.add(cid)
                cid = rows[cid]["parent_id"] if cid in rows else None
    kids: dict[int | None, list[dict]] = {}
    for row in sorted(rows.values(), key=lambda r: (-(r["n_affective"] or 0), r["cluster_id"])):
        if row["cluster_id"] in keep:
            kids.setdefault(row["parent_id"], []).append(row)
    lines: list[str] = []

    def part(label: str, value: float | None, signed: bool = False) -> str | None:
        if value is None:
            return None
        return f"{label} {value:+.2f}" if signed else f"{label} {value:.0%}"

    def walk(parent: int | None, depth: int) -> None:
        for row in kids.get(parent, []):
            name = row["name"] or "(unnamed: no phrase met the k-user rule)"
            if not row["n_affective"]:
                lines.append(f"{'    ' * depth}{name}  [affective rows withheld; "
                             f"{row['n_conversations']} conversations]")
            else:
                parts = [(f"{row['n_affective']} affective of {row['n_conversations']} "
                          f"({row['affective_share']:.0%})"),
                         part("shift", row["mean_sentiment_shift"], signed=True),
                         part("better", row["share_better"]), part("worse", row["share_worse"]),
                         part("concern", row["concern_rate"]),
                         part("referred", row["referral_rate_among_concern"])]
                lines.append(f"{'    ' * depth}{name}  [{', '.join(p for p in parts if p)}]")
            if max_depth is None or depth + 1 < max_depth:
                walk(row["cluster_id"], depth + 1)

    walk(None, 0)
    return lines


def _num(value: float | None) -> str:
    return "withheld" if value is None else f"{value:g}"


def reliance_summary(run_facets: pl.DataFrame) -> list[str]:
    """The run's reliance histogram and depth medians as published (``run_facets`` rows
    of one run)."""
    rows = {(r["facet"], r["value"]): r for r in run_facets.iter_rows(named=True)}
    aff, task = rows.get(("affective", "affective")), rows.get(("affective", "task"))
    if aff is None or task is None:
        return ["reliance: withheld (lens off, DP on, or the affective or task group "
                "below k)"]
    hist = sorted((r for (f, _), r in rows.items() if f == "reliance"),
                  key=lambda r: int(r["value"].split("-")[0].rstrip("+")))
    ranges = " · ".join(f"{r['value']}: {r['n_users']}" for r in hist) or "withheld (below k)"
    return [f"affective users by their affective conversations in the run "
            f"({aff['n_users']} users): {ranges}",
            f"median user turns: affective {_num(aff['median_user_turns'])}, task "
            f"{_num(task['median_user_turns'])}; median user characters: affective "
            f"{_num(aff['median_user_chars'])}, task {_num(task['median_user_chars'])}"]


def reliance_lines(reliance: pl.DataFrame, max_depth: int | None = None) -> list[str]:
    """The published tree pruned to clusters with a published 'affective' row (and their
    ancestors), one line each with reliance, depth and boundary numbers.

    Input: rows of the warehouse view ``cluster_reliance`` for one run.
    """
    rows = {r["cluster_id"]: r for r in reliance.iter_rows(named=True)}
    keep: set[int] = set()
    for cid, row in rows.items():
        if row["n_affective_users"]:
            while cid is not None and cid not in keep:
                keep.add(cid)
                cid = rows[cid]["parent_id"] if cid in rows else None
    kids: dict[int | None, list[dict]] = {}
    for row in sorted(rows.values(), key=lambda r: (-(r["n_affective_users"] or 0),
                                                    r["cluster_id"])):
        if row["cluster_id"] in keep:
            kids.setdefault(row["parent_id"], []).append(row)
    lines: list[str] = []

    def walk(parent: int | None, depth: int) -> None:
        for row in kids.get(parent, []):
            name = row["name"] or "(unnamed: no phrase met the k-user rule)"
            if not row["n_affective_users"]:
                parts = ["affective rows withheld"]
            else:
                parts = [f"{row['n_affective_users']} affective users"]
                if row["reliance"]:
                    parts.append(f"reliance {row['reliance']}")
                for label, col in (("turns", "median_turns"), ("chars", "median_chars")):
                    task = row[f"{col}_task"]  # None: no task row (none, or withheld)
                    parts.append(f"median {label} {_num(row[f'{col}_affective'])}"
                                 + ("" if task is None else f" (task {_num(task)})"))
                if row["boundary_rate"] is not None:
                    parts.append(f"boundary {row['boundary_rate']:.0%}")
                if row["boundary_rate_among_concern"] is not None:
                    parts.append(f"boundary with concern "
                                 f"{row['boundary_rate_among_concern']:.0%}")
            lines.append(f"{'    ' * depth}{name}  [{'; '.join(parts)}]")
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
        ("affective conversations (lens)", run.get("n_affective")),
        ("affective share (raw / adjusted)",
         None if run.get("affective_share") is None else
         f"{run['affective_share']:.1%} / {_pct(run.get('affective_share_adjusted'))}"),
    ]
    out = [f"# Chorus run `{run['run_id']}`", "",
           f"k-anonymity: at least {run.get('min_users')} users and "
           f"{run.get('min_conversations')} conversations behind every row.", "",
           "| count | value |", "|---|---|"]
    out += [f"| {label} | {value} |" for label, value in counts]
    if release.blocked:
        out += ["", f"**Blocked by the release audit**: {int(release.findings['blocking'].sum())}"
                " blocking findings (table `release_findings`); nothing was published."]
        return "\n".join(out)
    out += ["", f"## Published tree (top {max_depth} levels)", "", "```"]
    out += tree_lines(release.clusters, max_depth=max_depth, bars=False) or ["(nothing published)"]
    out += ["```"]
    return "\n".join(out)


def icicle_svg(clusters: pl.DataFrame, title: str, width: int = 1200,
               row_height: int = 64) -> str:
    """An icicle chart of the published tree as a standalone SVG document.

    The top row holds the top-level clusters; each cluster's children sit below it, each
    as wide as its share of conversations. "Other (suppressed)" rows are grey. Only
    published rows are drawn, so the picture shows nothing an analyst may not see.
    """
    from html import escape

    kids = _children(clusters)
    depth_of: dict[int, int] = {}
    palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
               "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]
    total = sum(_size(r) for r in kids.get(None, [])) or 1
    boxes: list[str] = []

    def walk(parent: int | None, x0: float, span: float, depth: int, colour: str | None) -> None:
        x = x0
        for i, row in enumerate(kids.get(parent, [])):
            w = span * _size(row) / max(sum(_size(r) for r in kids[parent]), 1)
            fill = "#c8c8c8" if row["kind"] == "other" else (colour or palette[i % len(palette)])
            y = 40 + depth * row_height
            label = escape(row["name"] or "(unnamed)")
            tip = escape(f"{row['name'] or '(unnamed)'}: {_counts(row)}")
            boxes.append(
                f'<g><title>{tip}</title><rect x="{x:.1f}" y="{y}" width="{max(w - 1, 0.5):.1f}" '
                f'height="{row_height - 2}" fill="{fill}" fill-opacity="{0.95 - 0.2 * depth:.2f}" '
                f'stroke="white"/>')
            if w > 60:
                chars = int(w / 7)
                boxes.append(
                    f'<text x="{x + 4:.1f}" y="{y + 18}" font-size="12">{label[:chars]}</text>')
            if w > 110:
                boxes.append(
                    f'<text x="{x + 4:.1f}" y="{y + 36}" font-size="11" fill="#333">'
                    f'{_short(row)}</text>')
            boxes.append("</g>")
            depth_of[row["cluster_id"]] = depth
            walk(row["cluster_id"], x, w, depth + 1, fill if depth == 0 else colour)
            x += w

    walk(None, 10, width - 20, 0, None)
    height = 40 + (max(depth_of.values(), default=0) + 1) * row_height + 10
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'font-family="sans-serif"><rect width="100%" height="100%" fill="white"/>'
            f'<text x="10" y="24" font-size="16" font-weight="bold">{escape(title)}</text>'
            + "".join(boxes) + f"<!-- {total} (conversations or DP users) drawn --></svg>")
