"""Rules 1 and 2 of the gate on one partition of a group's members.

A partition is a group's members keyed by child (a cluster key, or a facet value's code);
``split_partition`` decides which keys are shown alone and which go to the one "other"
row, with secondary suppression, so that the group minus its shown keys is either empty
or itself meets k.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from chorus.core.settings import PrivacySettings

NOISE = -1  # HDBSCAN's noise label: a member of the root partition, never a cluster row


@dataclass(frozen=True)
class Split:
    """Outcome of releasing one partition of a group's members."""

    published: list[int]
    sizes: dict[int, tuple[int, int]]          # key -> (n_conversations, n_users)
    other: tuple[int, int] | None              # published "other" row, if any
    n_suppressed: int                          # keys not published


def group_size(users: np.ndarray) -> tuple[int, int]:
    """(n_conversations, n_distinct_users) of a group given its members' user ids (n,)."""
    return int(users.size), int(np.unique(users).size)


def split_partition(keys: np.ndarray, users: np.ndarray, privacy: PrivacySettings,
                    exclude: frozenset[int] = frozenset()) -> Split:
    """Apply rules 1 and 2 to members with partition ``keys`` (n,) and ``users`` (n,).

    A key is published when its members meet both thresholds and it is not in
    ``exclude`` (keys that are never shown alone: they go to the "other" row). While the
    remainder (members of unpublished keys) is non-empty and below k, the smallest
    published key (fewest users, then conversations, then lowest key) is folded into it.
    The remainder is published as ``other`` only when it meets k.
    """
    uniq = [int(k) for k in np.unique(keys)]
    sizes = {k: group_size(users[keys == k]) for k in uniq}
    published = [k for k in uniq if privacy.meets(*sizes[k]) and k not in exclude]

    def rest() -> tuple[int, int]:
        return group_size(users[~np.isin(keys, published)])

    remainder = rest()
    while remainder[0] > 0 and not privacy.meets(*remainder) and published:
        smallest = min(published, key=lambda k: (sizes[k][1], sizes[k][0], k))
        published.remove(smallest)
        remainder = rest()
    other = remainder if remainder[0] > 0 and privacy.meets(*remainder) else None
    return Split(published, sizes, other, len(uniq) - len(published))
