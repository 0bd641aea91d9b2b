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
   never written.
4. Facet rows (language, turn buckets) of a published cluster follow rule 2 within the
   cluster; PII-type counts are published per type only with >= k users, and no total.
   The emotional-support lens (``tasks.lens``) adds three facets the same way:
   ``affective`` ('affective' / 'task'), ``outcome`` ('better' / 'same' / 'worse', over
   the cluster's conversations with two or more user turns, and only when its
   single-turn conversations are 0 or published as their own ``turns_bucket`` '1' row,
   since a single turn has no trajectory: otherwise 'same' minus '1' could isolate a small
   group) and ``support_path`` ('no concern' / 'concern, referred' / 'concern, not
   referred', only at levels >= ``lens.concern_min_level``). Every cluster and 'other'
   row carries ``mean_sentiment_shift``, so a parent's sum minus its children's never
   isolates anyone. The run's affective count is the root split by affective/task under
   rule 2: published only when both groups meet k.
6. With ``dp.enabled`` (``tasks.dp_release``), clusters are chosen by DP partition
   selection on noisy distinct-user counts (pre-threshold: max(min_users,
   min_conversations) true distinct users) and their counts are noisy; ``n_conversations``
   and ``share`` are NULL unless ``dp.conversation_budget`` > 0; no "other" rows, facet
   rows, lens aggregates or PII counts are published then.
5. Every published phrase is re-counted here and must occur in texts of >= min_users
   distinct users of its cluster; every word of a name or description must be either such
   a word or a word of the description template. A failure drops the string, not the run.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from chorus.core import tokens
from chorus.core.errors import text_safe_errors
from chorus.core.release import (FACETS, LENS_RUN_COLUMNS, OTHER_DESCRIPTION, OTHER_NAME,
                                 Release)
from chorus.core.rundata import RunData, required, run_data
from chorus.core.schemas import CLUSTER_SCHEMA, FACET_SCHEMA, PHRASE_SCHEMA
from chorus.core.settings import LensSettings, PrivacySettings, ScrubSettings
from chorus.core.tokens import TEMPLATE_WORDS
from tasks.dp_release import dp_cluster_counts
from tasks.facet_gate import FacetSpec, Node, consistent_facet_rows
from tasks.audit import audit_release, findings_frame
from tasks.recognizers.analyzer import build_analyzer, effective_entities

log = logging.getLogger(__name__)

NOISE = -1


@dataclass(frozen=True)
class Split:
    """Outcome of releasing one partition of a group's members."""

    published: list[int]
    sizes: dict[int, tuple[int, int]]          # key -> (n_conversations, n_users)
    other: tuple[int, int] | None              # published "other" row, if any
    n_suppressed: int                          # keys not published


def _size(users: np.ndarray) -> tuple[int, int]:
    return int(users.size), int(np.unique(users).size)


def split_partition(keys: np.ndarray, users: np.ndarray, privacy: PrivacySettings,
                    exclude: frozenset[int] = frozenset()) -> Split:
    """Apply rules 1 and 2 to members with partition ``keys`` (n,) and ``users`` (n,);
    keys in ``exclude`` are never shown alone (they go to the "other" row)."""
    uniq = [int(k) for k in np.unique(keys)]
    sizes = {k: _size(users[keys == k]) for k in uniq}
    published = [k for k in uniq if privacy.meets(*sizes[k]) and k not in exclude]

    def rest() -> tuple[int, int]:
        return _size(users[~np.isin(keys, published)])

    remainder = rest()
    while remainder[0] > 0 and not privacy.meets(*remainder) and published:
        smallest = min(published, key=lambda k: (sizes[k][1], sizes[k][0], k))
        published.remove(smallest)
        remainder = rest()
    other = remainder if remainder[0] > 0 and privacy.meets(*remainder) else None
    return Split(published, sizes, other, len(uniq) - len(published))


def checked_strings(summary: dict | None, texts: list[str], users: list[str],
                    privacy: PrivacySettings, allowed: frozenset[str]) -> tuple[dict, int]:
    """Rule 5 for one cluster. Returns (name, description, phrases that pass) and drops."""
    if summary is None:
        return {"name": None, "description": None, "phrases": []}, 0
    phrases = summary.get("phrases") or []
    max_n = max((len(p["phrase"].split()) for p in phrases), default=1)
    support = tokens.user_support(texts, users, max_n)
    k = privacy.min_users
    kept = [p for p in phrases if len(support.get(p["phrase"], ())) >= k]
    dropped = len(phrases) - len(kept)

    def ok(text: str | None) -> bool:
        return text is not None and all(
            w in allowed or len(support.get(w, ())) >= k for w in tokens.words(text))

    name = summary.get("name") if ok(summary.get("name")) else None
    description = summary.get("description") if ok(summary.get("description")) else None
    dropped += (summary.get("name") is not None and name is None)
    dropped += (summary.get("description") is not None and description is None)
    return {"name": name, "description": description, "phrases": kept}, dropped


# The lens columns as the values of the facets the gate publishes (chorus.core.release's
# LENS_FACET_VALUES).

def affective_labels(affective: np.ndarray) -> np.ndarray:
    """'affective' / 'task' per conversation."""
    return np.where(np.asarray(affective, dtype=bool), "affective", "task")


def outcome_labels(shift: np.ndarray, margin: float) -> np.ndarray:
    """'better' (shift > margin), 'worse' (shift < -margin) or 'same' per conversation.

    Compared in float32, the precision of the ``sentiment_shift`` column, so a shift equal
    to the margin is 'same'.
    """
    shift, margin = np.asarray(shift, dtype=np.float32), np.float32(margin)
    return np.where(shift > margin, "better", np.where(shift < -margin, "worse", "same"))


def support_path_labels(concern: np.ndarray, referral: np.ndarray) -> np.ndarray:
    """'no concern', 'concern, referred' or 'concern, not referred' per conversation
    (a null referral reads as not referred)."""
    concern = np.asarray(concern, dtype=bool)
    referral = np.array([bool(r) for r in referral], dtype=bool)
    return np.where(~concern, "no concern",
                    np.where(referral, "concern, referred", "concern, not referred"))


def adjusted_share(flags: np.ndarray, settings: LensSettings) -> float:
    """Affective share corrected for the facet's known error rates ("adjusted classify
    and count"): (observed - fpr) / (tpr - fpr), clipped to [0, 1].

    Args:
        flags: (n,) bool, the ``affective`` column.
        settings: ``LensSettings`` (``calibration_tpr``, ``calibration_fpr``; they hold
            for the default threshold only).

    Returns:
        The corrected share (the raw share when tpr <= fpr or n == 0).
    """
    observed = float(np.mean(flags)) if len(flags) else 0.0
    tpr, fpr = settings.calibration_tpr, settings.calibration_fpr
    if tpr <= fpr or not len(flags):
        return observed
    return float(min(1.0, max(0.0, (observed - fpr) / (tpr - fpr))))


def lens_values(facets: pl.DataFrame, lens: LensSettings) -> dict[str, np.ndarray] | None:
    """Per-conversation values of the lens facets, or None when the lens did not run."""
    if not lens.enabled or "affective" not in facets.columns:
        return None
    return {
        "affective": affective_labels(facets["affective"].to_numpy()),
        "outcome": outcome_labels(facets["sentiment_shift"].to_numpy(), lens.outcome_margin),
        "support_path": support_path_labels(facets["concern"].to_numpy(),
                                            facets["referral"].to_list()),
        # a conversation with one user turn has no trajectory: outside the outcome facet
        "multi_turn": facets["turns_bucket"].to_numpy() != "1",
    }


def facet_specs(facets: pl.DataFrame, lens_vals: dict[str, np.ndarray] | None,
                n_levels: int, lens: LensSettings) -> list[FacetSpec]:
    """The facets the gate publishes, in order (outcome refers to turns_bucket)."""
    top = n_levels - 1
    specs = [FacetSpec(f, facets[f].cast(pl.Utf8).to_numpy().astype(str), max_level=top)
             for f in FACETS]
    if lens_vals is not None:
        specs += [
            # 'affective' also at the run level (the root): the run's affective share
            FacetSpec("affective", lens_vals["affective"], relaxed=True),
            # multi-turn conversations only: a single turn has no trajectory; the rest of
            # the node is the turns_bucket '1' row, which must then be shown itself
            FacetSpec("outcome", lens_vals["outcome"], domain=lens_vals["multi_turn"],
                      max_level=top, requires=("turns_bucket", "1")),
            FacetSpec("support_path", lens_vals["support_path"],
                      min_level=lens.concern_min_level, max_level=top),
        ]
    return specs


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


def lens_run_counts(values: dict[str, np.ndarray] | None, users: np.ndarray, n_accepted: int,
                    lens: LensSettings, root_shown: dict | None) -> dict[str, float | None]:
    """The run's affective count, published only when the run (the root node of the facet
    gate) shows both the affective and the task group (else every value is None)."""
    out: dict[str, float | None] = dict.fromkeys(LENS_RUN_COLUMNS)
    if values is None or not root_shown or not root_shown.get("affective"):
        return out
    if root_shown["affective"] != {"affective", "task"}:
        return out
    flags = values["affective"] == "affective"
    n_conv = int(flags.sum())
    out.update(n_affective=n_conv, n_affective_users=int(np.unique(users[flags]).size),
               affective_share=n_conv / n_accepted if n_accepted else None,
               affective_share_adjusted=adjusted_share(flags, lens))
    return out


def _mean_shift(facets: pl.DataFrame, idx: np.ndarray) -> float | None:
    if "sentiment_shift" not in facets.columns or idx.size == 0:
        return None
    return round(float(facets["sentiment_shift"].gather(idx).to_numpy().mean()), 4)


@text_safe_errors("suppress")
def build_release(facets: pl.DataFrame, labels: np.ndarray, summaries: pl.DataFrame,
                  pii_counts: pl.DataFrame, n_accepted: int,
                  privacy: PrivacySettings, lens: LensSettings | None = None) -> Release:
    """Apply every rule of the module docstring.

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
    users = facets["user_id"].to_numpy()
    texts = facets["request"].to_list()
    allowed = TEMPLATE_WORDS | frozenset(facets["language"].unique().to_list())
    summary_by = {(r["level"], r["cluster_key"]): r for r in summaries.iter_rows(named=True)}
    n_levels = labels.shape[0]
    rows: list[dict] = []
    phrase_rows: list[tuple[int, list[dict]]] = []
    member_idx: dict[int, np.ndarray] = {}
    other_idx: dict[int, np.ndarray] = {}  # 'other' row tmp id -> its members
    dropped = 0

    noise_published: int | None = None

    def publish(parent: int | None, level: int, key: int, sub: np.ndarray,
                size: tuple[int, int]) -> int:
        """Add one published cluster row (strings re-checked, rule 5); its tmp id."""
        nonlocal dropped
        strings, n_drop = checked_strings(
            summary_by.get((level, key)), [texts[i] for i in sub],
            users[sub].tolist(), privacy, allowed)
        dropped += n_drop
        tmp = len(rows)
        rows.append({"tmp": tmp, "parent": parent, "level": level, "kind": "cluster",
                     "name": strings["name"], "description": strings["description"],
                     "n_conversations": size[0], "n_users": size[1]})
        phrase_rows.append((tmp, strings["phrases"]))
        member_idx[tmp] = sub
        return tmp

    def visit(parent: int | None, level: int, idx: np.ndarray) -> None:
        nonlocal noise_published
        keys = labels[level, idx]
        split = split_partition(keys, users[idx], privacy)
        for key in split.published:
            if key == NOISE:  # only at the root: noise is counted, never a cluster row
                noise_published = split.sizes[key][0]
                continue
            sub = idx[keys == key]
            tmp = publish(parent, level, key, sub, split.sizes[key])
            if level > 0:
                visit(tmp, level - 1, sub)
        if split.other:
            other_idx[len(rows)] = idx[~np.isin(keys, split.published)]
            rows.append({"tmp": len(rows), "parent": parent, "level": level, "kind": "other",
                         "name": OTHER_NAME, "description": OTHER_DESCRIPTION,
                         "n_conversations": split.other[0], "n_users": split.other[1]})

    def visit_dp(parent: int | None, level: int, idx: np.ndarray) -> None:
        # DP mode: clusters chosen by DP partition selection, noisy counts, a child only
        # under a published parent. No "other" rows: DP noise, not secondary
        # suppression, is what defends against differencing here.
        keys = labels[level, idx]
        for key in sorted(set(keys.tolist()) - {NOISE}):
            noisy = dp_counts.get((level, key))
            if noisy is None:  # not selected (the pre-threshold guarantees k in truth)
                continue
            sub = idx[keys == key]
            tmp = publish(parent, level, key, sub, noisy)
            if level > 0:
                visit_dp(tmp, level - 1, sub)

    dp_on = privacy.dp.enabled
    if dp_on:
        dp_counts = dp_cluster_counts(
            labels, users, max(privacy.min_users, privacy.min_conversations), privacy.dp)
        visit_dp(None, n_levels - 1, np.arange(labels.shape[1]))

    # The root partition holds the top-level clusters AND the noise points (key -1):
    # noise below k is folded into the root's "other" row like any small cluster, so
    # n_accepted - published top rows never isolates a small group either.
    everyone = np.arange(labels.shape[1])
    if not dp_on and everyone.size and privacy.meets(*_size(users)):
        visit(None, n_levels - 1, everyone)

    # Published ids carry no trace of suppressed clusters: dense, by level then size.
    order = sorted(rows, key=lambda r: (-r["level"], r["kind"] == "other",
                                        -(r["n_conversations"] or r["n_users"]),
                                        r["tmp"]))
    new_id = {r["tmp"]: i + 1 for i, r in enumerate(order)}
    lens = lens or LensSettings()
    lens_vals = None if dp_on else lens_values(facets, lens)
    # mean sentiment shift of every row, 'other' rows too, so that a parent's sum minus
    # its children's is always 0 (none under DP, none without the lens)
    member_or_other = {**member_idx, **other_idx}
    clusters = pl.DataFrame([{
        "cluster_id": new_id[r["tmp"]], "level": r["level"],
        "parent_id": new_id[r["parent"]] if r["parent"] is not None else None,
        "kind": r["kind"], "name": r["name"], "description": r["description"],
        "n_conversations": r["n_conversations"], "n_users": r["n_users"],
        "share": (None if r["n_conversations"] is None
                  else r["n_conversations"] / n_accepted if n_accepted else 0.0),
        "mean_sentiment_shift": (_mean_shift(facets, member_or_other[r["tmp"]])
                                 if lens_vals is not None else None),
    } for r in order], schema=CLUSTER_SCHEMA)
    phrases = pl.DataFrame([
        {"cluster_id": new_id[tmp], "rank": rank + 1, "phrase": p["phrase"],
         "score": p["score"]}
        for tmp, kept in phrase_rows for rank, p in enumerate(kept)], schema=PHRASE_SCHEMA)
    # Facet rows of every published row, consistent across levels (tasks.facet_gate).
    # Under DP, facet rows and PII-type counts (exact counts) are not published at all.
    facet_rows: list[dict] = []
    root_shown = None
    if not dp_on and rows:
        noise = everyone[labels[n_levels - 1] == NOISE] if noise_published else None
        by_node, shown = consistent_facet_rows(
            tree_nodes(rows, member_or_other, n_levels, everyone, noise),
            facet_specs(facets, lens_vals, n_levels, lens), users,
            lambda keys, us, exclude: split_partition(keys, us, privacy, exclude),
            privacy.meets)
        facet_rows = [{"cluster_id": new_id[tmp], **row}
                      for tmp in sorted(by_node, key=lambda t: new_id[t])
                      for row in by_node[tmp]]
        root_shown = shown.get("root")
    pii = (pii_counts.filter((pl.col("n_users") >= privacy.min_users)
                             & (pl.col("n_conversations") >= privacy.min_conversations)
                             & pl.lit(not dp_on))
           .select("entity_type", "n_entities", "n_conversations", "n_users"))
    n_total = sum(int(row.max()) + 1 for row in labels if row.size and row.max() >= 0)
    n_published = int((clusters["kind"] == "cluster").sum())
    counts = {"published": n_published, "suppressed": n_total - n_published,
              "other_rows": clusters.height - n_published, "strings_dropped": dropped,
              "pii_types_published": pii.height,
              "noise_published": noise_published,
              **lens_run_counts(lens_vals, users, n_accepted, lens, root_shown)}
    log.info("release: %d clusters published, %d suppressed, %d other rows, %d strings "
             "dropped", counts["published"], counts["suppressed"], counts["other_rows"],
             dropped)
    members = {new_id[tmp]: idx for tmp, idx in member_idx.items()}
    return Release(clusters, phrases, pl.DataFrame(facet_rows, schema=FACET_SCHEMA),
                   pii, counts, members)


# --- Prefect layer -----------------------------------------------------------------------

from prefect import task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.logging import get_run_logger  # noqa: E402


def release_stage(data: RunData, privacy: PrivacySettings, n_accepted: int,
                  scrub_settings: ScrubSettings, lens: LensSettings | None = None,
                  logger: Any = log) -> dict[str, int | float | None]:
    """``data.facets`` (+ ``lens``), ``labels``, ``summaries``, ``pii_counts`` -> the audited
    ``data.release``; its counts and whether the audit blocked it."""
    facets = required(data.facets, "facets", data.run_id)
    if data.lens is not None:
        facets = facets.hstack(data.lens)
    release = build_release(facets, required(data.labels, "labels", data.run_id),
                            required(data.summaries, "summaries", data.run_id),
                            required(data.pii_counts, "pii_counts", data.run_id),
                            n_accepted, privacy, lens)
    analyzer = build_analyzer(scrub_settings)
    findings = audit_release(
        release, facets["request"].to_list(), facets["user_id"].to_list(), analyzer,
        effective_entities(analyzer, scrub_settings.entities), scrub_settings.score_threshold,
        scrub_settings.allow_list, privacy,
        TEMPLATE_WORDS | frozenset(facets["language"].unique().to_list()))
    release.findings = findings_frame(findings)
    data.release = release
    release.counts.update(findings=len(findings),
                          blocking_findings=int(release.findings["blocking"].sum()))
    logger.info("suppress: %d published, %d suppressed, %d other rows; audit: %d findings, "
                "%d blocking", release.counts["published"], release.counts["suppressed"],
                release.counts["other_rows"], len(findings),
                release.counts["blocking_findings"])
    if release.counts.get("n_affective") is not None:
        logger.info("suppress: lens: %d affective conversations (%d users) published",
                    release.counts["n_affective"], release.counts["n_affective_users"])
    if release.blocked:
        logger.error("release audit blocked run %s: %d blocking findings (see "
                     "release_findings)", data.run_id, release.counts["blocking_findings"])
    return {**release.counts, "blocked": release.blocked}


@task(name="release", cache_policy=NO_CACHE, persist_result=False)
def release_task(run_id: str, privacy: PrivacySettings, n_accepted: int,
                 scrub_settings: ScrubSettings, lens: LensSettings | None = None
                 ) -> dict[str, int | float | None]:
    """``release_stage`` on the run's data; returns counts only."""
    return release_stage(run_data(run_id), privacy, n_accepted, scrub_settings, lens,
                         get_run_logger())
