"""The release data model: what the gate publishes and the store writes.

The gate (``tasks.release``) builds a ``Release``; the audit annotates it with findings;
the store stage (``tasks.store``) writes it. Both depend on this model, not on the gate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

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
LENS_FACET_VALUES: dict[str, frozenset[str]] = {
    "affective": frozenset(AFFECTIVE_VALUES),
    "outcome": frozenset(OUTCOME_VALUES),
    "support_path": frozenset(SUPPORT_PATH_VALUES),
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

    @property
    def blocked(self) -> bool:
        """True when the audit found anything blocking: nothing may be published."""
        return self.findings is not None and bool(self.findings["blocking"].any())
