"""The release gate: the one place that decides what an analyst may see.

Everything the analyst database receives is built here, as a ``Release``; the store
stage writes a ``Release`` and nothing else. The rules, with k = (min_users,
min_conversations):

1. A cluster at any level is published only with >= min_users distinct users AND >=
   min_conversations conversations. Many conversations of one user never make a cluster
   publishable: users are counted distinct.
2. Under every published parent (and under the run's root), the members of unpublished
   children are shown only as one "Other (suppressed)" row, and only when that row itself
   meets both thresholds. If it does not, the smallest published sibling is folded into it
   too (secondary suppression), until it does: so a parent's count minus its published
   children's counts is always either 0 or a published row, never a small group. At the
   root, noise (HDBSCAN -1) is one more member of the partition: its count is published
   (``runs.n_noise``) only when it meets k, else it is folded into the root "other" row
   and ``n_noise`` is withheld (NULL).
3. An unpublished cluster's subtree is unpublished; its name, description and phrases are
   never written. No row repeats another: a cluster whose only child holds all its members
   is skipped and the child takes its place (the release count ``merged``; chains of single
   children come from fewer base clusters than levels), and a cluster none of whose
   children is shown is a leaf, without an "other" row of all its members.
4. Facet rows (language, turn buckets) of a published cluster follow rule 2 within the
   cluster, and are consistent across levels (``facet_rows``); PII-type counts are
   published per type only with >= k users, and no total.
   The emotional-support lens (``tasks.lens``) adds three facets the same way
   (``lens_facets``): ``affective`` ('affective' / 'task'), ``outcome`` ('better' /
   'same' / 'worse', over the cluster's conversations with two or more user turns, and
   only when its single-turn conversations are 0 or published as their own
   ``turns_bucket`` '1' row, since a single turn has no trajectory: otherwise 'same' minus
   '1' could isolate a small group) and ``support_path`` ('no concern' / 'concern,
   referred' / 'concern, not referred', only at levels >= ``lens.concern_min_level``).
   Every cluster and 'other' row carries ``mean_sentiment_shift``, so a parent's sum
   minus its children's never isolates anyone. The run's affective count is the root
   split by affective/task under rule 2: published only when both groups meet k.
   Issue 14 adds (``affective_use``): median user turns and characters on the
   'affective' / 'task' rows (``depth``, each user once), a reliance histogram of
   affective users per run and top-level row (``reliance``, ranges of >= k users, no
   run-minus-cluster difference below k), and the 'boundary' / 'boundary_concern'
   facets (``boundary``); the run's own rows go to ``Release.run_facets``.
5. Every published phrase is re-counted here (``strings``) and must occur in texts of >=
   min_users distinct users of its cluster; every word of a name or description must be
   either such a word or a word of the description template. A failure drops the string,
   not the run.
6. With ``dp.enabled`` (``dp``), clusters are chosen by DP partition selection on noisy
   distinct-user counts (pre-threshold: max(min_users, min_conversations) true distinct
   users) and their counts are noisy; ``n_conversations`` and ``share`` are NULL unless
   ``dp.conversation_budget`` > 0; no "other" rows, facet rows, lens aggregates or PII
   counts are published then.

After the gate, the release audit (``audit``) re-checks every published string
independently and can block the run. Modules: ``partition`` (rules 1-2), ``strings``
(rule 5), ``facet_rows``, ``lens_facets``, ``boundary``, ``depth``, ``reliance`` and
``affective_use`` (rule 4), ``dp`` (rule 6), ``build`` (all
rules -> ``Release``), ``audit``, ``stage`` (the stage and its Prefect task).
"""

from tasks.release.audit import (
    Finding,
    audit_release,
    findings_frame,
    published_strings,
)
from tasks.release.build import build_release
from tasks.release.dp import dp_cluster_counts
from tasks.release.facet_rows import FacetSpec, Node, consistent_facet_rows
from tasks.release.lens_facets import (
    adjusted_share,
    affective_labels,
    facet_specs,
    lens_run_counts,
    lens_values,
    outcome_labels,
    support_path_labels,
)
from tasks.release.partition import Split, split_partition
from tasks.release.stage import release_stage, release_task
from tasks.release.strings import checked_strings

__all__ = [
    "FacetSpec", "Finding", "Node", "Split", "adjusted_share", "affective_labels",
    "audit_release", "build_release", "checked_strings", "consistent_facet_rows",
    "dp_cluster_counts", "facet_specs", "findings_frame", "lens_run_counts", "lens_values",
    "outcome_labels", "published_strings", "release_stage", "release_task",
    "split_partition", "support_path_labels",
]
