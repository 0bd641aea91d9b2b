"""How affective groups use the assistant: depth medians and reliance histograms (rule 4).

Derived from the facet rows the gate has already decided (``tasks.release.facet_rows``):

* every 'affective' / 'task' row gets its group's medians (``depth``);
* every top-level row that shows its affective row gets a reliance histogram, and the
  run gets one when its affective count is published (``reliance``);
* the run's own rows (``run_facets``): its 'affective' and 'task' groups with medians,
  and its histogram, only when ``runs.n_affective`` is published.

Nothing here is published under DP or without the lens (the caller passes no values).
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
import polars as pl

from chorus.core.schemas import RUN_FACET_SCHEMA
from tasks.release.depth import add_depth, run_depth_rows
from tasks.release.reliance import MeetsFn, reliance_histograms


def affective_use_rows(rows: list[dict], members: dict[int, np.ndarray],
                       top_rows: dict[int, set[str] | None], users: np.ndarray,
                       affective: np.ndarray, facets: pl.DataFrame, run_published: bool,
                       meets: MeetsFn) -> tuple[list[dict], pl.DataFrame]:
    """The cluster facet rows with medians and reliance rows added, and the run's rows.

    Args:
        rows: the gate's facet rows ({cluster_id, facet, value, n_conversations,
            n_users}), ordered by cluster id.
        members: published cluster id (clusters and 'other' rows) -> member indices.
        top_rows: top-level published id -> the 'affective' values it shows.
        users: (n,) user ids.
        affective: (n,) bool.
        facets: the run's facets frame (n_user_turns, user_chars when present).
        run_published: ``runs.n_affective`` is published.
        meets: the gate's thresholds on (conversations, distinct users).

    Returns:
        (rows in cluster id order, ``RUN_FACET_SCHEMA`` frame).
    """
    _, codes = np.unique(users, return_inverse=True)
    codes = codes.astype(np.int64)
    add_depth(rows, members, affective, codes, facets)
    showing: dict[Hashable, np.ndarray] = {
        cid: members[cid] for cid, shown in top_rows.items() if shown and "affective" in shown}
    run_hist, by_row = reliance_histograms(codes, affective, run_published, showing, meets)
    for cid, hist in by_row.items():
        rows += [{"cluster_id": cid, **r, "median_user_turns": None,
                  "median_user_chars": None} for r in hist]
    rows.sort(key=lambda r: r["cluster_id"])  # stable: each cluster's facets keep their order
    run_rows = (run_depth_rows(affective, codes, facets) + run_hist) if run_published else []
    return rows, pl.DataFrame(run_rows, schema=RUN_FACET_SCHEMA)
