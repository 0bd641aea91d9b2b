"""The explorer's page model: a ``RunView`` (published rows) -> what the page draws.

Contract: a pure function of the published rows; it adds no number the gate did not
publish, only presentation: each cluster's top-level topic, its map colour in each
colour mode, its marker size, a fallback position when the run stored no layout (DP
runs, databases older than the layout), plain sentences saying what was withheld, and
the reliance rows (``reliance_model``, ``run_reliance``) put in bucket order.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any

from tasks.explore.read import RunView

# Tableau 10 and its light companions: categorical, distinguishable on white.
PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1",
           "#ff9da7", "#9c755f", "#8cd17d", "#a0cbe8", "#ffbe7d", "#499894", "#d37295",
           "#b6992d", "#86bcb6", "#fabfd2", "#79706e", "#d4a6c8", "#f1ce63")
WITHHELD = "#bdbdbd"
LOW, HIGH = (0xf2, 0xf0, 0xf7), (0x3f, 0x00, 0x7d)  # affective share 0 -> 1 (purples)
MODES = {"topic": "top-level topic", "affective": "affective share",
         "language": "main language", "growth": "growth since the previous run"}
MIN_SIZE, MAX_SIZE = 7.0, 52.0


def _ramp(t: float) -> str:
    t = min(max(t, 0.0), 1.0)
    return "#" + "".join(f"{round(a + (b - a) * t):02x}" for a, b in zip(LOW, HIGH, strict=True))


def top_ancestors(clusters: list[dict[str, Any]]) -> dict[int, int]:
    """cluster id -> the id of its top-level ancestor (itself at the top)."""
    parent = {c["cluster_id"]: c["parent_id"] for c in clusters}
    out: dict[int, int] = {}
    for cid in parent:
        top = cid
        while parent.get(top) is not None:
            top = parent[top]
        out[cid] = top
    return out


def main_language(facets: dict[str, list[dict[str, Any]]]) -> str | None:
    """The published language value with the most conversations ('other' excluded)."""
    rows = [r for r in facets.get("language", []) if r["value"] != "other"]
    return max(rows, key=lambda r: (r["n_conversations"], r["value"]))["value"] if rows else None


def hierarchy_layout(clusters: list[dict[str, Any]]) -> dict[int, tuple[float, float]]:
    """A deterministic radial layout from the tree alone, for runs without a stored one:
    top-level topics on a circle (arcs by size), each child on a smaller ring around its
    parent, in cluster-id order."""
    kids: dict[int | None, list[dict[str, Any]]] = {}
    for c in clusters:
        if c["kind"] == "cluster":
            kids.setdefault(c["parent_id"], []).append(c)
    pos: dict[int, tuple[float, float]] = {}

    def place(parent: int | None, cx: float, cy: float, radius: float, depth: int) -> None:
        group = kids.get(parent, [])
        total = sum(c["n_users"] for c in group) or 1
        angle = 0.0
        for c in group:
            arc = 2 * math.pi * c["n_users"] / total
            mid = angle + arc / 2
            x, y = ((cx + radius * math.cos(mid), cy + radius * math.sin(mid))
                    if len(group) > 1 or depth == 0 else (cx, cy))
            pos[c["cluster_id"]] = (round(x, 6), round(y, 6))
            place(c["cluster_id"], x, y, radius * 0.38, depth + 1)
            angle += arc

    place(None, 0.0, 0.0, 0.7, 0)
    return pos


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def withheld_statement(run: dict[str, Any], n_other_rows: int, dp: bool) -> list[str]:
    """Plain sentences: what this run did not publish, and why."""
    k_users, k_conv = run.get("min_users"), run.get("min_conversations")
    out = [f"Every count, name and phrase here is backed by at least {k_users} distinct "
           f"users and {k_conv} conversations (k-anonymity); nothing smaller is shown."]
    if run.get("status") == "blocked":
        out.append("The release audit blocked this run: nothing of it was published.")
        return out
    if run.get("n_suppressed"):
        out.append(f"Not shown by name: {_n(run['n_suppressed'], 'cluster')} (all levels) "
                   "below k. Their conversations are counted in "
                   f"{_n(n_other_rows, chr(39) + 'Other (suppressed)' + chr(39) + ' row')}, "
                   "or folded into a sibling so that no small group can be worked out by "
                   "subtraction.")
    if run.get("n_noise") is None:
        out.append("The number of conversations that fit no cluster (noise) is withheld: "
                   "it was below k.")
    out.append("Key phrases are those used by at least k users of their cluster; facet "
               "values below k are shown as 'other'.")
    if run.get("n_affective") is None:
        out.append("The affective share is withheld (lens off, DP on, or the affective or "
                   "task-oriented group below k).")
    if dp:
        out.append(f"Differential privacy is on (epsilon {run.get('dp_epsilon')}, delta "
                   f"{run.get('dp_delta')}): user counts are noisy, conversation counts "
                   "and shares are withheld unless budgeted, and no 'other' rows, facet "
                   "rows or stored map layout are published (positions come from the "
                   "tree alone).")
    if run.get("n_quarantined"):
        out.append(f"{_n(run['n_quarantined'], 'malformed input record')} quarantined "
                   "(counted, never shown).")
    return out


def bucket_order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Reliance rows ('1', '2-3', '4-9', '10+' or merged ranges such as '2-9', '4+') by
    their lower bound."""
    def lower(row: dict[str, Any]) -> int:
        m = re.match(r"\d+", str(row["value"]))
        return int(m.group(0)) if m else 0
    return sorted(rows, key=lower)


def reliance_model(cluster: dict[str, Any], view: RunView) -> dict[str, Any] | None:
    """A cluster's published reliance rows: its histogram (``cluster_facets`` facet
    'reliance', top level only, in bucket order; empty where withheld), the medians and
    boundary rates of ``cluster_reliance``; None where the warehouse has no such view
    (or no row for the cluster)."""
    cols = view.reliance.get(cluster["cluster_id"])
    if cols is None:
        return None
    facets = view.facets.get(cluster["cluster_id"], {})
    return {**cols, "histogram": bucket_order(facets.get("reliance", [])),
            "top_level": cluster["parent_id"] is None}


def run_reliance(view: RunView) -> dict[str, Any] | None:
    """The run's published reliance overview from ``run_facets``: ``histogram`` (bucket
    order) and ``groups`` ('affective' / 'task' -> n_conversations, n_users, medians);
    None where the run published none of it (lens off, DP, a group below k)."""
    rows = view.run_facets
    if not rows:
        return None
    return {"histogram": bucket_order(rows.get("reliance", [])),
            "groups": {r["value"]: r for r in rows.get("affective", [])}}


def _size(n_users: int, top: int) -> float:
    return round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt(n_users / max(top, 1)), 2)


def page_model(view: RunView) -> dict[str, Any]:
    """The page's data (JSON-able) and the map's columns (``map``: one list per column,
    one row per published cluster, parents first so children draw on top)."""
    clusters, run = view.clusters, view.run
    dp = run.get("dp_epsilon") is not None
    tops = top_ancestors(clusters)
    top_ids = [c["cluster_id"] for c in clusters if c["parent_id"] is None
               and c["kind"] == "cluster"]
    topic_colour = {cid: PALETTE[i % len(PALETTE)] for i, cid in enumerate(top_ids)}
    published = [c for c in clusters if c["kind"] == "cluster"]
    stored = bool(published) and all(c["x"] is not None for c in published)
    pos = ({c["cluster_id"]: (c["x"], c["y"]) for c in published} if stored
           else hierarchy_layout(clusters))
    languages: dict[int, str | None] = {c["cluster_id"]: main_language(
        view.facets.get(c["cluster_id"], {})) for c in clusters}
    lang_counts = Counter(v for v in languages.values() if v)
    lang_order = sorted(lang_counts, key=lambda v: (-lang_counts[v], v))
    lang_colour = {v: PALETTE[i % len(PALETTE)] for i, v in enumerate(lang_order[:10])}
    top_users = max((c["n_users"] for c in published), default=1)
    max_level = max((c["level"] for c in clusters), default=0)
    rows = []
    for c in clusters:
        cid = c["cluster_id"]
        aff = view.support.get(cid, {}).get("affective_share")
        rows.append({
            "id": cid, "level": c["level"], "parent": c["parent_id"], "kind": c["kind"],
            "name": c["name"], "description": c["description"],
            "n_conversations": c["n_conversations"], "n_users": c["n_users"],
            "share": c["share"], "shift": c["mean_sentiment_shift"], "top": tops[cid],
            "phrases": view.phrases.get(cid, []), "facets": view.facets.get(cid, {}),
            "support": view.support.get(cid), "language": languages[cid],
            "reliance": reliance_model(c, view),
            "colors": {"topic": topic_colour.get(tops[cid], WITHHELD),
                       "affective": WITHHELD if aff is None else _ramp(aff),
                       "language": lang_colour.get(languages[cid] or "", WITHHELD)},
        })
    drawn = sorted((r for r in rows if r["kind"] == "cluster"),
                   key=lambda r: (-r["level"], r["id"]))
    columns = {
        "cluster_id": [r["id"] for r in drawn],
        "x": [pos[r["id"]][0] for r in drawn], "y": [pos[r["id"]][1] for r in drawn],
        "size": [_size(r["n_users"], top_users) for r in drawn],
        "level": [r["level"] for r in drawn],
        "alpha": [0.85 if r["level"] == 0 else 0.2 for r in drawn],
        "line_width": [1.0 if r["level"] == 0 else 2.0 for r in drawn],
        "name": [r["name"] or "(unnamed)" for r in drawn],
        "users": [r["n_users"] for r in drawn],
        "share": ["DP" if r["share"] is None else f"{r['share']:.1%}" for r in drawn],
        "label": ["" for _ in drawn],
        **{f"color_{m}": [r["colors"][m] for r in drawn] for m in ("topic", "affective",
                                                                     "language")},
    }
    columns["color"] = list(columns["color_topic"])
    legends = {
        "topic": [{"label": next(r["name"] or "(unnamed)" for r in rows if r["id"] == t),
                   "color": topic_colour[t]} for t in top_ids],
        "affective": [{"label": "0%", "color": _ramp(0)}, {"label": "50%", "color": _ramp(.5)},
                      {"label": "100%", "color": _ramp(1)},
                      {"label": "withheld", "color": WITHHELD}],
        "language": [{"label": v, "color": c} for v, c in lang_colour.items()]
                    + [{"label": "other / withheld", "color": WITHHELD}],
    }
    return {
        "run": run, "clusters": rows, "map": columns, "legends": legends,
        "modes": MODES, "max_level": max_level, "pii": view.pii,
        "layout": "pca" if stored else "hierarchy",
        "withheld": withheld_statement(run, sum(r["kind"] == "other" for r in rows), dp),
        "earlier_runs": view.earlier_runs, "run_reliance": run_reliance(view),
        "trends": None,  # no cluster matching across runs yet: no sparkline, no growth
    }
