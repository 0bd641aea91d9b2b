"""Length and depth: median user turns and user characters of affective and task groups.

The medians ride on rows that already count their group: the 'affective' facet's
'affective' and 'task' rows of every published cluster and 'other' row
(``cluster_facets``), and the run's own 'affective' and 'task' rows (``run_facets``,
written only when ``runs.n_affective`` is). So a median is published only for a group the
gate shows, of at least k users and conversations, and for no group it hid.

Each user counts once: a group's median is the median over its users of each user's
median (a user with 50 conversations moves it no more than a user with one). With m >= k
users, at least ceil(m / 2) users lie at or below it and at or above it, so no one user
sets it. A median is not additive: a parent's and its children's medians give no
subgroup's median, only bounds on it, and the only subgroups those bounds are about are
the ones the affective facet's cross-level rule already leaves empty or at k or more.
Published rounded: turns to the nearest 0.5, characters to the nearest 10.
"""

from __future__ import annotations

import numpy as np
import polars as pl

DEPTH_COLUMNS = {"median_user_turns": "n_user_turns", "median_user_chars": "user_chars"}
ROUNDING = {"median_user_turns": 0.5, "median_user_chars": 10.0}


def user_medians(groups: list[np.ndarray], user_codes: np.ndarray,
                 facets: pl.DataFrame) -> list[dict[str, float | None]]:
    """Per group of row indices, {median column: the median over its users of each user's
    median, rounded (None without the facets column or members)}."""
    present = {out: src for out, src in DEPTH_COLUMNS.items() if src in facets.columns}
    empty: dict[str, float | None] = dict.fromkeys(DEPTH_COLUMNS)
    if not groups:
        return []
    if not present:
        return [dict(empty) for _ in groups]
    idx = np.concatenate(groups) if groups else np.array([], dtype=np.int64)
    frame = pl.DataFrame({
        "g": np.repeat(np.arange(len(groups)), [g.size for g in groups]),
        "u": user_codes[idx],
        **{out: facets[src].to_numpy()[idx].astype(np.float64)
           for out, src in present.items()},
    })
    medians = (frame.group_by("g", "u").agg(pl.col(list(present)).median())
               .group_by("g").agg(pl.col(list(present)).median()))
    by_group = {r["g"]: r for r in medians.iter_rows(named=True)}
    out = []
    for g in range(len(groups)):
        row = dict(empty)
        for col in present:
            value = by_group.get(g, {}).get(col)
            if value is not None:
                step = ROUNDING[col]
                row[col] = float(np.round(value / step) * step)
        out.append(row)
    return out


def add_depth(rows: list[dict], members: dict[int, np.ndarray], affective: np.ndarray,
              user_codes: np.ndarray, facets: pl.DataFrame) -> None:
    """Set the median columns on every 'affective' / 'task' row of the 'affective' facet
    (in place; other rows get None)."""
    targets, groups = [], []
    for row in rows:
        row.update(dict.fromkeys(DEPTH_COLUMNS))
        if row["facet"] == "affective" and row["value"] in ("affective", "task"):
            idx = members[row["cluster_id"]]
            targets.append(row)
            groups.append(idx[affective[idx] == (row["value"] == "affective")])
    for row, medians in zip(targets, user_medians(groups, user_codes, facets), strict=True):
        row.update(medians)


def run_depth_rows(affective: np.ndarray, user_codes: np.ndarray,
                   facets: pl.DataFrame) -> list[dict]:
    """The run's 'affective' and 'task' rows with their medians (call only when the
    run's affective count is published)."""
    groups = [np.flatnonzero(affective), np.flatnonzero(~affective)]
    return [{"facet": "affective", "value": value, "n_conversations": int(g.size),
             "n_users": int(np.unique(user_codes[g]).size), **medians}
            for value, g, medians in zip(("affective", "task"), groups,
                                         user_medians(groups, user_codes, facets),
                                         strict=True)]
