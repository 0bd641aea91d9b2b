"""The release data model: what the gate publishes and the store writes.

The gate (``tasks.release``) builds a ``Release``; the audit annotates it with findings;
the store stage (``tasks.store``) writes it. Both depend on this model, not on the gate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

from chorus.core.schemas import RUN_FACET_SCHEMA

OTHER_NAME = "Other (suppressed)"
OTHER_DESCRIPTION = ("Conversations of clusters too small to publish on their own "
                     "(below the k-anonymity thresholds), counted together.")
FACETS = ("language", "turns_bucket")
LENS_FACETS = ("affective", "outcome", "support_path")  # values: LENS_FACET_VALUES
LENS_RUN_COLUMNS = ("n_affective", "n_affective_users", "affective_share",
                    "affective_share_adjusted")  # runs columns, in Release.counts

# Fixed vocabulary of the lens facets the gate publishes (template words, never user
# text): the audit does not scan these values as PII.
AFFECTIVE_VALUES = ("affective", "task")
OUTCOME_VALUES = ("better", "same", "worse")
SUPPORT_PATH_VALUES = ("no concern", "concern, referred", "concern, not referred")
# Reliance (tasks/release/reliance.py): affective users by their number of affective
# conversations in a scope, in these buckets (lower, upper; None: open); a published row
# is a range of adjacent buckets ('1', '2-3', '4-9', '10+', or merged: '2-9', '4+', ...).
RELIANCE_BUCKETS: tuple[tuple[int, int | None], ...] = ((1, 1), (2, 3), (4, 9), (10, None))
BOUNDARY_VALUES = ("boundary", "no boundary")  # facets 'boundary', 'boundary_concern'


def reliance_label(lower: int, upper: int | None) -> str:
    """The label of the buckets ``lower``..``upper`` (None: no upper bound)."""
    if upper is None:
        return f"{lower}+"
    return str(lower) if upper == lower else f"{lower}-{upper}"


RELIANCE_VALUES = frozenset(
    reliance_label(RELIANCE_BUCKETS[i][0], RELIANCE_BUCKETS[j][1])
    for i in range(len(RELIANCE_BUCKETS)) for j in range(i, len(RELIANCE_BUCKETS)))
LENS_FACET_VALUES: dict[str, frozenset[str]] = {
    "affective": frozenset(AFFECTIVE_VALUES),
    "outcome": frozenset(OUTCOME_VALUES),
    "support_path": frozenset(SUPPORT_PATH_VALUES),
    "boundary": frozenset(BOUNDARY_VALUES),
    "boundary_concern": frozenset(BOUNDARY_VALUES),
    "reliance": RELIANCE_VALUES,
}


@dataclass
class Release:
    """What analysts may see. Frames (schemas as in warehouse/schema.sql, less run_id)."""

    clusters: pl.DataFrame
    phrases: pl.DataFrame
    facets: pl.DataFrame
    pii: pl.DataFrame
    counts: dict[str, int | float | None] = field(default_factory=dict)
    # In memory only, never written: published cluster id -> member row indices, so the
    # release audit can re-count support independently.
    members: dict[int, np.ndarray] = field(default_factory=dict, repr=False)
    # Set by the release audit (tasks.release.audit): location, check, entity_type, blocking.
    findings: pl.DataFrame | None = None
    # Run-level rows (``run_facets``, RUN_FACET_SCHEMA): the run's affective and task
    # groups with their medians, and its reliance histogram (tasks.release.reliance).
    run_facets: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(schema=RUN_FACET_SCHEMA))

    @property
    def blocked(self) -> bool:
        """True when the audit found anything blocking: nothing may be published."""
        return self.findings is not None and bool(self.findings["blocking"].any())
