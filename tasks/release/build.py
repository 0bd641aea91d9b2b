"""``build_release``: every rule of the gate (``tasks.release``) on one run -> ``Release``.

The published tree is chosen top-down by ``_Tree`` (rules 1-3 and 5, or 6 under DP),
its rows then get dense ids (by level, then 'cluster' before 'other', then size), and
the facet rows, PII-type counts and run counts are derived from the chosen rows.
"""

from __future__ import annotations

import logging
from typing import cast

import numpy as np
import polars as pl

from chorus.core.errors import text_safe_errors
from chorus.core.release import OTHER_DESCRIPTION, OTHER_NAME, Release
from chorus.core.schemas import CLUSTER_SCHEMA, FACET_SCHEMA, PHRASE_SCHEMA, RUN_FACET_SCHEMA
from chorus.core.settings import LensSettings, PrivacySettings
from chorus.core.tokens import TEMPLATE_WORDS
from tasks.release.affective_use import affective_use_rows
from tasks.release.boundary import boundary_specs
from tasks.release.dp import dp_cluster_counts
from tasks.release.facet_rows import Node, consistent_facet_rows
from tasks.release.lens_facets import (
    facet_specs,
    lens_run_counts,
    lens_values,
    mean_shift,
)
from tasks.release.partition import NOISE, group_size, split_partition
from tasks.release.strings import checked_strings

log = logging.getLogger(__name__)


class _Tree:
    """The rows of the published tree, in the order the gate chooses them.

    A row is {tmp, parent, level, kind ('cluster' | 'other'), name, description,
    n_conversations, n_users}; ``tmp`` is its position in ``rows`` and ``parent`` the
    parent row's ``tmp`` (None at the top level). Published ids are assigned later.
    """

    def __init__(self, facets: pl.DataFrame, labels: np.ndarray, summaries: pl.DataFrame,
                 privacy: PrivacySettings) -> None:
        self.labels = labels
        self.privacy = privacy
        self.users = facets["user_id"].to_numpy()
        self.texts = facets["request"].to_list()
        self.allowed = TEMPLATE_WORDS | frozenset(facets["language"].unique().to_list())
        self.summary_by = {(r["level"], r["cluster_key"]): r
                           for r in summaries.iter_rows(named=True)}
        self.rows: list[dict] = []
        self.phrases: list[tuple[int, list[dict]]] = []  # (cluster row tmp, kept phrases)
        self.members: dict[int, np.ndarray] = {}         # cluster row tmp -> member rows
        self.other_members: dict[int, np.ndarray] = {}   # 'other' row tmp -> member rows
        self.dropped = 0                                 # strings dropped by rule 5
        self.merged = 0                                  # parents that repeated their child
        self.noise_published: int | None = None          # the root's noise count, if shown

    def add_cluster(self, parent: int | None, level: int, key: int, sub: np.ndarray,
                    size: tuple[int | None, int]) -> int:
        """Add one published cluster row (strings re-checked, rule 5); its tmp id."""
        strings, n_drop = checked_strings(
            self.summary_by.get((level, key)), [self.texts[i] for i in sub],
            self.users[sub].tolist(), self.privacy, self.allowed)
        self.dropped += n_drop
        tmp = len(self.rows)
        self.rows.append({"tmp": tmp, "parent": parent, "level": level, "kind": "cluster",
                          "name": strings["name"], "description": strings["description"],
                          "n_conversations": size[0], "n_users": size[1]})
        self.phrases.append((tmp, strings["phrases"]))
        self.members[tmp] = sub
        return tmp

    def add_other(self, parent: int | None, level: int, sub: np.ndarray,
                  size: tuple[int, int]) -> None:
        """Add the "Other (suppressed)" row of a partition (rule 2)."""
        tmp = len(self.rows)
        self.other_members[tmp] = sub
        self.rows.append({"tmp": tmp, "parent": parent, "level": level, "kind": "other",
                          "name": OTHER_NAME, "description": OTHER_DESCRIPTION,
                          "n_conversations": size[0], "n_users": size[1]})

    def repeats_its_child(self, level: int, sub: np.ndarray) -> bool:
        """Whether the cluster of members ``sub`` at ``level`` has one child holding all
        of them: publishing it would repeat that child, so the gate skips it (counted in
        ``merged``) and the child takes its place under its parent. Such chains come from
        fewer base clusters than the levels need (``tasks.cluster.hierarchy``)."""
        return level > 0 and sub.size > 0 and bool(
            (self.labels[level - 1, sub] == self.labels[level - 1, sub[0]]).all())

    def visit(self, parent: int | None, level: int, idx: np.ndarray) -> None:
        """Rules 1-3 on the partition of members ``idx`` at ``level``, depth first; a
        cluster that repeats its only child is skipped (``repeats_its_child``), and a
        cluster none of whose children is shown gets no 'other' row (it is a leaf)."""
        keys = self.labels[level, idx]
        split = split_partition(keys, self.users[idx], self.privacy)
        for key in split.published:
            if key == NOISE:  # only at the root: noise is counted, never a cluster row
                self.noise_published = split.sizes[key][0]
                continue
            sub = idx[keys == key]
            if self.repeats_its_child(level, sub):
                self.merged += 1
                self.visit(parent, level - 1, sub)
                continue
            tmp = self.add_cluster(parent, level, key, sub, split.sizes[key])
            if level > 0:
                self.visit(tmp, level - 1, sub)
        if split.other and (parent is None or split.published):
            # under a cluster, an 'other' row of all its members would repeat it: the
            # cluster is then a leaf (at the root there is no row to repeat)
            self.add_other(parent, level, idx[~np.isin(keys, split.published)], split.other)

    def visit_dp(self, parent: int | None, level: int, idx: np.ndarray,
                 dp_counts: dict[tuple[int, int], tuple[int | None, int]]) -> None:
        """Rule 6: clusters chosen by DP partition selection, noisy counts, a child only
        under a published parent. No "other" rows: DP noise, not secondary suppression,
        is what defends against differencing here."""
        keys = self.labels[level, idx]
        for key in sorted(set(keys.tolist()) - {NOISE}):
            noisy = dp_counts.get((level, key))
            if noisy is None:  # not selected (the pre-threshold guarantees k in truth)
                continue
            sub = idx[keys == key]
            if (self.repeats_its_child(level, sub)
                    and (level - 1, int(self.labels[level - 1, sub[0]])) in dp_counts):
                self.merged += 1
                self.visit_dp(parent, level - 1, sub, dp_counts)
                continue
            tmp = self.add_cluster(parent, level, key, sub, noisy)
            if level > 0:
                self.visit_dp(tmp, level - 1, sub, dp_counts)


def tree_nodes(rows: list[dict], members: dict[int, np.ndarray], n_levels: int,
               everyone: np.ndarray, noise: np.ndarray | None) -> list[Node]:
    """Nodes for ``consistent_facet_rows``: every published row (clusters and 'other'
    rows), the noise group when its count is published, and the run itself (key
    "root"); only the rows' nodes publish facet rows."""
    nodes = {r["tmp"]: Node(r["tmp"], r["level"], members[r["tmp"]]) for r in rows}
    root = Node("root", n_levels, everyone, publish_rows=False, prefer_show=True)
    for r in rows:
        (root if r["parent"] is None else nodes[r["parent"]]).children.append(r["tmp"])
    out = [*nodes.values(), root]
    if noise is not None:
        out.append(Node("noise", 0, noise, publish_rows=False))
        root.children.append("noise")
    return out


def _dense_ids(rows: list[dict]) -> tuple[list[dict], dict[int, int]]:
    """Rows in published order and tmp -> published id. Ids carry no trace of suppressed
    clusters: dense, by level (top first), clusters before 'other', then size."""
    order = sorted(rows, key=lambda r: (-r["level"], r["kind"] == "other",
                                        -(r["n_conversations"] or r["n_users"]),
                                        r["tmp"]))
    return order, {r["tmp"]: i + 1 for i, r in enumerate(order)}


def _cluster_frame(order: list[dict], new_id: dict[int, int], n_accepted: int,
                   facets: pl.DataFrame, member_or_other: dict[int, np.ndarray] | None
                   ) -> pl.DataFrame:
    """``CLUSTER_SCHEMA`` rows; ``mean_sentiment_shift`` only with ``member_or_other``
    (the lens ran), on 'other' rows too, so a parent's sum minus its children's is 0."""
    return pl.DataFrame([{
        "cluster_id": new_id[r["tmp"]], "level": r["level"],
        "parent_id": new_id[r["parent"]] if r["parent"] is not None else None,
        "kind": r["kind"], "name": r["name"], "description": r["description"],
        "n_conversations": r["n_conversations"], "n_users": r["n_users"],
        "share": (None if r["n_conversations"] is None
                  else r["n_conversations"] / n_accepted if n_accepted else 0.0),
        "mean_sentiment_shift": (mean_shift(facets, member_or_other[r["tmp"]])
                                 if member_or_other is not None else None),
    } for r in order], schema=CLUSTER_SCHEMA)


def _facet_rows(tree: _Tree, facets: pl.DataFrame, lens_vals: dict[str, np.ndarray] | None,
                lens: LensSettings, new_id: dict[int, int]
                ) -> tuple[list[dict], dict | None, dict[int, set[str] | None]]:
    """Facet rows of every published row, consistent across levels (rule 4,
    ``tasks.release.facet_rows``), ordered by published id; the values the run's root
    shows (None without rows); the 'affective' values each top-level row shows."""
    if not tree.rows:
        return [], None, {}
    labels, privacy = tree.labels, tree.privacy
    n_levels = labels.shape[0]
    everyone = np.arange(labels.shape[1])
    noise = everyone[labels[n_levels - 1] == NOISE] if tree.noise_published else None
    by_node, shown = consistent_facet_rows(
        tree_nodes(tree.rows, {**tree.members, **tree.other_members}, n_levels, everyone,
                   noise),
        facet_specs(facets, lens_vals, n_levels, lens)
        + boundary_specs(facets, lens_vals, n_levels, lens, tree.users, privacy.meets),
        tree.users,
        lambda keys, us, exclude: split_partition(keys, us, privacy, exclude),
        privacy.meets)
    # Only the rows' nodes publish rows, and their keys are the rows' int ``tmp`` ids.
    row_nodes = cast("dict[int, list[dict]]", by_node)
    rows = [{"cluster_id": new_id[tmp], **row}
            for tmp in sorted(row_nodes, key=lambda t: new_id[t]) for row in row_nodes[tmp]]
    top = {new_id[r["tmp"]]: shown[r["tmp"]].get("affective")
           for r in tree.rows if r["parent"] is None}
    return rows, shown.get("root"), top


@text_safe_errors("release")
def build_release(facets: pl.DataFrame, labels: np.ndarray, summaries: pl.DataFrame,
                  pii_counts: pl.DataFrame, n_accepted: int,
                  privacy: PrivacySettings, lens: LensSettings | None = None) -> Release:
    """Apply every rule of the gate (``tasks.release``).

    Args:
        facets: one row per conversation (user_id, request, language, turns_bucket, ...),
            aligned with ``labels`` columns.
        labels: int array (levels, n), -1 noise, row 0 the base level.
        summaries: tasks.summarize.SUMMARY_SCHEMA rows.
        pii_counts: entity_type, n_entities, n_conversations, n_users.
        n_accepted: conversations accepted in the run (denominator of ``share``).
        privacy: thresholds.
        lens: the lens's settings (defaults when None); its facets and run counts are
            published only when ``facets`` holds the lens columns (tasks.lens).
    """
    tree = _Tree(facets, labels, summaries, privacy)
    n_levels = labels.shape[0]
    everyone = np.arange(labels.shape[1])
    dp_on = privacy.dp.enabled
    if dp_on:
        dp_counts = dp_cluster_counts(
            labels, tree.users, max(privacy.min_users, privacy.min_conversations), privacy.dp)
        tree.visit_dp(None, n_levels - 1, everyone, dp_counts)
    elif everyone.size and privacy.meets(*group_size(tree.users)):
        # The root partition holds the top-level clusters AND the noise points (key -1):
        # noise below k is folded into the root's "other" row like any small cluster, so
        # n_accepted - published top rows never isolates a small group either.
        tree.visit(None, n_levels - 1, everyone)

    order, new_id = _dense_ids(tree.rows)
    lens = lens or LensSettings()
    lens_vals = None if dp_on else lens_values(facets, lens)  # no lens aggregate under DP
    clusters = _cluster_frame(order, new_id, n_accepted, facets,
                              None if lens_vals is None
                              else {**tree.members, **tree.other_members})
    phrases = pl.DataFrame([
        {"cluster_id": new_id[tmp], "rank": rank + 1, "phrase": p["phrase"],
         "score": p["score"]}
        for tmp, kept in tree.phrases for rank, p in enumerate(kept)], schema=PHRASE_SCHEMA)
    # Under DP, facet rows and PII-type counts (exact counts) are not published at all.
    facet_rows, root_shown, top_shown = (([], None, {}) if dp_on else
                                         _facet_rows(tree, facets, lens_vals, lens, new_id))
    pii = (pii_counts.filter((pl.col("n_users") >= privacy.min_users)
                             & (pl.col("n_conversations") >= privacy.min_conversations)
                             & pl.lit(not dp_on))
           .select("entity_type", "n_entities", "n_conversations", "n_users"))
    n_total = sum(int(row.max()) + 1 for row in labels if row.size and row.max() >= 0)
    n_published = int((clusters["kind"] == "cluster").sum())
    counts = {"published": n_published, "suppressed": n_total - n_published - tree.merged,
              "merged": tree.merged,
              "other_rows": clusters.height - n_published, "strings_dropped": tree.dropped,
              "pii_types_published": pii.height,
              "noise_published": tree.noise_published,
              **lens_run_counts(lens_vals, tree.users, n_accepted, lens, root_shown)}
    log.info("release: %d clusters published, %d suppressed, %d other rows, %d strings "
             "dropped", counts["published"], counts["suppressed"], counts["other_rows"],
             tree.dropped)
    run_facets = pl.DataFrame(schema=RUN_FACET_SCHEMA)
    if lens_vals is not None and facet_rows:  # depth medians, reliance (affective_use)
        facet_rows, run_facets = affective_use_rows(
            facet_rows, {new_id[t]: idx for t, idx in {**tree.members,
                                                        **tree.other_members}.items()},
            top_shown, tree.users, lens_vals["affective"] == "affective", facets,
            counts["n_affective"] is not None, privacy.meets)
    members = {new_id[tmp]: idx for tmp, idx in tree.members.items()}
    return Release(clusters, phrases, pl.DataFrame(facet_rows, schema=FACET_SCHEMA),
                   pii, counts, members, run_facets=run_facets)
