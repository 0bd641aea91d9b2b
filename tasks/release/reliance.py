"""The reliance histogram: affective users by how many affective conversations they had.

A scope is the run or one top-level row of the published tree (a cluster or the top
'other' row). In a scope, every user with an affective conversation there counts once,
in the bucket of their number of affective conversations in that scope
(``chorus.core.release.RELIANCE_BUCKETS``: 1, 2-3, 4-9, 10+). A published row is a range
of adjacent buckets: its users and their affective conversations in the scope. No row is
below k (both thresholds), and no row is about one user: a per-user count is published
only as a k-gated histogram (PRIVACY.md, "Reliance").

Rules:

1. A scope has a histogram only where its affective group is published with both values
   (the run: ``runs.n_affective``; a top-level row: its 'affective' and 'task' facet
   rows): the histogram's users and conversations sum to those published numbers, so
   the histogram adds no total to subtract from.
2. Ranges: the finest partition of the buckets into adjacent ranges in which every range
   meets k (most ranges, then the most even, then the lowest cuts). With fewer than two
   ranges the scope has no rows (one range would repeat the total).
3. Across scopes. A user's count in a top-level row is at most their count in the run,
   so the row's users at or above t are a subset of the run's users at or above t' <= t.
   For every pair of published lower bounds (t' of the run, t of the row) but (1, 1),
   whose numbers are the lens's 'affective' rows, the difference, as users and as
   conversations, must be empty or meet k. A row whose histogram fails is coarsened (the
   next partition in rule 2's order) until it passes; the run's is kept as chosen.
   Top-level rows hold disjoint conversations, so no two rows' sets are nested.

Input are index arrays and user ids; nothing here reads text.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from itertools import combinations

import numpy as np

from chorus.core.release import RELIANCE_BUCKETS, reliance_label

MeetsFn = Callable[[int, int], bool]  # meets(n_conversations, n_users)
Ranges = tuple[tuple[int, int], ...]  # (first bucket, last bucket) index pairs, in order

LOWERS = np.array([lower for lower, _ in RELIANCE_BUCKETS])


def all_partitions(n: int = len(RELIANCE_BUCKETS)) -> list[Ranges]:
    """Every partition of buckets 0..n-1 into adjacent ranges."""
    out = []
    for k in range(n):
        for cuts in combinations(range(1, n), k):
            bounds = (0, *cuts, n)
            out.append(tuple((bounds[i], bounds[i + 1] - 1) for i in range(len(bounds) - 1)))
    return out


def bucket_sizes(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(users, conversations) per bucket of per-user affective counts (zeros skipped)."""
    counts = counts[counts > 0]
    bucket = np.searchsorted(LOWERS, counts, side="right") - 1
    n = len(RELIANCE_BUCKETS)
    return (np.bincount(bucket, minlength=n),
            np.bincount(bucket, weights=counts, minlength=n).astype(np.int64))


def candidates(counts: np.ndarray, meets: MeetsFn) -> list[Ranges]:
    """Rule 2: partitions with two or more ranges, every range meeting k, best first."""
    users, convs = bucket_sizes(counts)

    def size(r: tuple[int, int]) -> tuple[int, int]:
        return int(convs[r[0]:r[1] + 1].sum()), int(users[r[0]:r[1] + 1].sum())

    ok = [p for p in all_partitions() if len(p) >= 2 and all(meets(*size(r)) for r in p)]
    return sorted(ok, key=lambda p: (-len(p), max(size(r)[1] for r in p),
                                     [r[1] for r in p]))


def lower_bounds(ranges: Ranges) -> list[int]:
    return [int(LOWERS[first]) for first, _ in ranges]


def nested_differences_ok(run: np.ndarray, run_lowers: list[int], row: np.ndarray,
                          row_lowers: list[int], meets: MeetsFn) -> bool:
    """Rule 3 for one top-level row.

    Args:
        run: (n_users,) affective conversations per user in the run.
        run_lowers: the lower bounds the run publishes (their cumulative counts).
        row: (n_users,) the same per user in the row (<= ``run``).
        row_lowers: the lower bounds the row would publish.
        meets: the gate's thresholds.
    """
    for t_run in run_lowers:
        in_run = run >= t_run
        for t_row in row_lowers:
            if t_row < t_run or (t_run, t_row) == (1, 1):
                continue
            in_row = row >= t_row
            only_run = in_run & ~in_row                   # users: a subset difference
            if only_run.any() and not meets(int(run[only_run].sum()), int(only_run.sum())):
                return False
            n_conv = int(run[in_run].sum() - row[in_row].sum())  # their conversations
            conv_users = only_run | (in_row & (run > row))
            if n_conv and not meets(n_conv, int(conv_users.sum())):
                return False
    return True


def histogram_rows(counts: np.ndarray, ranges: Ranges) -> list[dict]:
    """Rows {facet 'reliance', value, n_conversations, n_users} of a chosen partition."""
    users, convs = bucket_sizes(counts)
    return [{"facet": "reliance",
             "value": reliance_label(RELIANCE_BUCKETS[a][0], RELIANCE_BUCKETS[b][1]),
             "n_conversations": int(convs[a:b + 1].sum()),
             "n_users": int(users[a:b + 1].sum())} for a, b in ranges]


def reliance_histograms(user_codes: np.ndarray, affective: np.ndarray, run_published: bool,
                        rows: dict[Hashable, np.ndarray], meets: MeetsFn
                        ) -> tuple[list[dict], dict[Hashable, list[dict]]]:
    """The run's histogram and each top-level row's (rules 1-3).

    Args:
        user_codes: (n,) int user code per conversation (0..n_users-1).
        affective: (n,) bool.
        run_published: the run's affective count is published (rule 1).
        rows: top-level row key -> member indices, only rows that show their
            'affective' and 'task' facet rows (rule 1).
        meets: the gate's thresholds on (conversations, distinct users).

    Returns:
        (the run's rows, {row key: its rows}); rows as ``histogram_rows``.
    """
    n_users = int(user_codes.max()) + 1 if user_codes.size else 0
    run = np.bincount(user_codes[affective], minlength=n_users)
    run_rows: list[dict] = []
    run_lowers: list[int] = []
    if run_published:
        run_lowers = [1]  # runs.n_affective_users: the cumulative count at 1
        best = candidates(run, meets)
        if best:
            run_rows, run_lowers = histogram_rows(run, best[0]), lower_bounds(best[0])
    out: dict[Hashable, list[dict]] = {}
    for key, idx in rows.items():
        members = idx[affective[idx]]
        row = np.bincount(user_codes[members], minlength=n_users)
        for ranges in candidates(row, meets):
            if nested_differences_ok(run, run_lowers, row, lower_bounds(ranges), meets):
                out[key] = histogram_rows(row, ranges)
                break
    return run_rows, out
