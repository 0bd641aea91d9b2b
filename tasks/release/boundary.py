"""Boundary among affective conversations: two facets of coarse clusters (rule 4).

``boundary`` is a per-conversation Boolean computed by the scrub stage from the raw
assistant turns, which never leave scrub (``tasks.scrub.boundary``: the assistant says
what it is not, declines a role, asks not to be the only support), carried in the facets
frame. Two facets, both
with values 'boundary' / 'no boundary' and both only at levels >=
``lens.concern_min_level`` (like 'support_path'):

* ``boundary``: over the node's affective conversations. It requires the node to show
  its 'affective' row, so its total is that published row.
* ``boundary_concern``: over the node's affective conversations with the concern flag.
  It requires the 'affective' row too; its total (affective with concern) is no
  published number, so a guard (``FacetSpec.guard``) makes every group it can be
  subtracted from to isolate empty or of k or more: task conversations with concern
  (the 'support_path' concern rows minus this total), and affective conversations
  without concern, with and without boundary (the 'boundary' rows minus these). A node
  whose guard fails shows neither value, nor does any node above it
  (``tasks.release.facet_rows``).

Without the ``boundary`` column (or the lens) there are no such facets.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import polars as pl

from chorus.core.settings import LensSettings
from tasks.release.facet_rows import FacetSpec

MeetsFn = Callable[[int, int], bool]  # meets(n_conversations, n_users)


def boundary_labels(boundary: np.ndarray) -> np.ndarray:
    """'boundary' / 'no boundary' per conversation."""
    return np.where(np.asarray(boundary, dtype=bool), "boundary", "no boundary")


def concern_guard(affective: np.ndarray, concern: np.ndarray, boundary: np.ndarray,
                  users: np.ndarray, meets: MeetsFn) -> Callable[[np.ndarray], bool]:
    """guard(node members): every group the 'boundary_concern' total can be subtracted
    from to isolate is empty or meets k (module docstring)."""
    groups = (~affective & concern,
              affective & ~concern & boundary,
              affective & ~concern & ~boundary)

    def guard(idx: np.ndarray) -> bool:
        for group in groups:
            members = idx[group[idx]]
            if members.size and not meets(int(members.size),
                                          int(np.unique(users[members]).size)):
                return False
        return True

    return guard


def boundary_specs(facets: pl.DataFrame, lens_vals: dict[str, np.ndarray] | None,
                   n_levels: int, lens: LensSettings, users: np.ndarray,
                   meets: MeetsFn) -> list[FacetSpec]:
    """The two boundary facets, after the lens facets (they require 'affective'); none
    without the lens or the ``boundary`` column."""
    if lens_vals is None or "boundary" not in facets.columns:
        return []
    affective = lens_vals["affective"] == "affective"
    concern = facets["concern"].to_numpy().astype(bool)
    boundary = facets["boundary"].fill_null(False).to_numpy().astype(bool)
    values = boundary_labels(boundary)
    top = n_levels - 1
    return [
        FacetSpec("boundary", values, domain=affective, min_level=lens.concern_min_level,
                  max_level=top, requires=("affective", "affective")),
        FacetSpec("boundary_concern", values, domain=affective & concern,
                  min_level=lens.concern_min_level, max_level=top,
                  requires=("affective", "affective"),
                  guard=concern_guard(affective, concern, boundary, users, meets)),
    ]
