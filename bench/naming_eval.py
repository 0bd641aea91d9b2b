"""Name accuracy: does a cluster's name point at the cluster's own label?

For each base cluster, its name and every label's humanized name (``humanize``: CLINC's
``change_ai_name`` -> "change ai name", BANKING77's ``card_arrival`` -> "card arrival",
ESConv's problem types as they are) are embedded with the same embedder; the predicted
label is the one whose name is nearest (cosine). ``name_accuracy`` is the share of
clustered conversations whose cluster's predicted label is the cluster's majority label
(a size-weighted share of clusters). A cluster without a name counts as wrong. Noise
(-1) is not a cluster and is left out.

Three namings of the same partition and embeddings (``naming_rows``):

* ``chorus``: whatever the summarize stage produces now (run through
  ``flows.composition``, so it is the flow's own code);
* ``chorus (phrases)``: the names before issue 12, the summarize stage run again with
  ``name_method = "phrases"`` (its first three key phrases by MMR on centroid relevance,
  comma-joined: ``legacy_names`` of those rows);
* ``bertopic``: BERTopic 0.17.4's default topic names ("3_card_arrive_delivery_week"
  -> "card arrive delivery week") with its default representation (CountVectorizer +
  c-TF-IDF) fit on Chorus's own clusters: ``fit(docs, embeddings, y=labels)`` with
  ``BaseDimensionalityReduction`` and ``BaseCluster`` (the identity clustering), so the
  names are compared on the very same partition. Its words need no k users: a word
  one person wrote can name a topic.
* ``bertopic (k-backed words)``: the same ranked topic words, keeping only those that
  >= k (``privacy.min_users``) distinct users of the cluster wrote, first four: BERTopic's
  ranking under the rule every Chorus name obeys.

Each row: ``{dataset, method, name_accuracy, n_clusters}``.

Selection: the summarize defaults are chosen on the *train* splits only (a seeded sample
of 4,500 of CLINC150's train queries, ``bench.loaders.load_clinc150_train``, and of
3,080 of BANKING77's, ``load_banking77_train``): ``python -m bench.naming_eval --split
train [--set summarize.KEY=VALUE ...]``; ``--split test`` prints the reported table. Each
set's scrubbed, embedded and clustered run is cached under ``--cache`` (public data only,
never demo or user data), so a naming change is scored without re-running scrub and
clustering.

Spread: one partition is one draw (the clusters move with ``cluster.seed`` and between
CPUs), so ``--seeds 0 1 2 3 4`` names the partitions of several cluster seeds and prints
``seed_summary``: mean and standard deviation per method, and on how many seeds Chorus
was above each other method.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import pickle
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
import polars as pl

log = logging.getLogger(__name__)

Embed = Callable[[list[str]], np.ndarray]


def humanize(label: str) -> str:
    """A label as words: underscores and hyphens -> spaces, lower case, single spaces."""
    return re.sub(r"\s+", " ", re.sub(r"[_\-]+", " ", str(label))).strip().lower()


def majority_labels(base: np.ndarray, truth: Sequence) -> dict[int, tuple[str, int]]:
    """Per base cluster (>= 0): (majority true label, size). Ties: the smallest label."""
    values = np.asarray(truth, dtype=object)
    out = {}
    for c in np.unique(base[base >= 0]):
        counts = Counter(values[base == c].tolist())
        top = max(counts.values())
        out[int(c)] = (min(str(v) for v, n in counts.items() if n == top),
                       int((base == c).sum()))
    return out


def name_accuracy(names: Mapping[int, str | None], base: np.ndarray, truth: Sequence,
                  embed: Embed) -> tuple[float | None, int]:
    """Size-weighted share of base clusters whose name is nearest their majority label.

    Args:
        names: base cluster id -> name (None or "" for an unnamed cluster).
        base: (n,) base cluster ids, -1 noise.
        truth: (n,) true labels; the label set is every distinct value.
        embed: list[str] -> (m, d) unit rows (the embedder Chorus uses).

    Returns:
        (accuracy, number of base clusters); accuracy None without clusters.
    """
    major = majority_labels(np.asarray(base), truth)
    if not major:
        return None, 0
    labels = sorted({str(v) for v in np.asarray(truth, dtype=object).tolist()})
    label_vecs = embed([humanize(label) for label in labels])
    named = [c for c in major if names.get(c)]
    hits = 0
    if named:
        name_vecs = embed([humanize(str(names[c])) for c in named])
        predicted = np.argmax(name_vecs @ label_vecs.T, axis=1)
        hits = sum(major[c][1] for c, p in zip(named, predicted, strict=True)
                   if labels[int(p)] == major[c][0])
    total = sum(size for _, size in major.values())
    return hits / total, len(major)


def base_names(summaries: pl.DataFrame) -> dict[int, str | None]:
    """Level-0 cluster key -> name of SUMMARY rows."""
    rows = summaries.filter(pl.col("level") == 0)
    return {int(k): n for k, n in zip(rows["cluster_key"].to_list(), rows["name"].to_list(),
                                      strict=True)}


def legacy_names(summaries: pl.DataFrame, n_phrases: int = 3) -> dict[int, str | None]:
    """Today's (pre-issue-12) names: the first ``n_phrases`` key phrases, comma-joined."""
    rows = summaries.filter(pl.col("level") == 0)
    return {int(k): ", ".join(p["phrase"] for p in (phrases or [])[:n_phrases]) or None
            for k, phrases in zip(rows["cluster_key"].to_list(), rows["phrases"].to_list(),
                                  strict=True)}


def chorus_summaries(out, cfg) -> pl.DataFrame:
    """Run the composition's summarize stage on an evaluation run (``ChorusOutput``)."""
    from chorus.core.rundata import RunData
    from flows.composition import RunContext, new_run_row, run_stages

    if out.facets is None:
        raise ValueError("ChorusOutput without facets: run bench.chorus_path.run_chorus")
    data = RunData("eval-naming", facets=out.facets, embeddings=out.embeddings,
                   labels=out.cluster_labels)
    run_stages(data, RunContext(cfg, new_run_row(cfg, data.run_id)), names=("summarize",))
    assert data.summaries is not None
    return data.summaries


def k_backed_words(words: Sequence[str], texts: Sequence[str], users: Sequence[str],
                   analyzer: Callable[[str], list[str]], min_users: int) -> list[str]:
    """``words`` (in order) that at least ``min_users`` distinct ``users`` of ``texts``
    wrote (a word counts once per user; ``analyzer``: text -> its words)."""
    writers: dict[str, set[str]] = {}
    wanted = set(words)
    for text, user in zip(texts, users, strict=True):
        for w in wanted.intersection(analyzer(text)):
            writers.setdefault(w, set()).add(user)
    return [w for w in words if len(writers.get(w, ())) >= min_users]


def bertopic_names(texts: list[str], embeddings: np.ndarray, base: np.ndarray,
                   embedding_model, users: Sequence[str] | None = None,
                   min_users: int | None = None,
                   n_words: int = 4) -> dict[str, dict[int, str | None]]:
    """BERTopic's default topic names for the given partition (noise -1 is its outliers).

    Returns ``{"bertopic": names}``; with ``users`` and ``min_users`` also ``"bertopic
    (k-backed words)"``: the first ``n_words`` of its ranked topic words (its top 30)
    that >= ``min_users`` distinct users of the cluster wrote, the rule every Chorus name
    obeys (None when no word is). The two rows apart are what the k rule costs BERTopic's
    own ranking.
    """
    from bertopic import BERTopic
    from bertopic.cluster import BaseCluster
    from bertopic.dimensionality import BaseDimensionalityReduction

    model = BERTopic(embedding_model=embedding_model, umap_model=BaseDimensionalityReduction(),
                     hdbscan_model=BaseCluster(), top_n_words=30)
    model.fit(texts, embeddings=embeddings, y=np.asarray(base))
    topic_of = np.asarray(model.topics_)
    analyzer = model.vectorizer_model.build_analyzer()
    raw: dict[int, str | None] = {}
    backed: dict[int, str | None] = {}
    for c in np.unique(base[base >= 0]):
        topic = Counter(topic_of[base == c].tolist()).most_common(1)[0][0]
        words = [w for w, _ in (model.get_topic(topic) or [])]
        raw[int(c)] = " ".join(words[:n_words]) or None
        if users is not None and min_users is not None:
            rows = np.flatnonzero(base == c)
            kept = k_backed_words(words, [texts[int(i)] for i in rows],
                                  [users[int(i)] for i in rows],
                                  analyzer, min_users)
            backed[int(c)] = " ".join(kept[:n_words]) or None
    out = {"bertopic": raw}
    if users is not None and min_users is not None:
        out["bertopic (k-backed words)"] = backed
    return out


def naming_rows(dataset: str, out, cfg, embed: Embed, embedding_model=None,
                summaries: pl.DataFrame | None = None) -> list[dict]:
    """Name accuracy of Chorus now, Chorus's phrase names, and BERTopic (when installed)."""
    from bench.baselines import bertopic_available

    base = out.cluster_labels[0]
    summaries = chorus_summaries(out, cfg) if summaries is None else summaries
    before = cfg.model_copy(update={"summarize": cfg.summarize.model_copy(
        update={"name_method": "phrases"})})
    namings = {"chorus": base_names(summaries),
               "chorus (phrases)": legacy_names(chorus_summaries(out, before))}
    if embedding_model is not None and bertopic_available():
        namings.update(bertopic_names(out.requests, out.embeddings, base, embedding_model,
                                      out.facets["user_id"].to_list(),
                                      cfg.privacy.min_users))
    rows = []
    for method, names in namings.items():
        acc, n_clusters = name_accuracy(names, base, out.labels, embed)
        rows.append({"dataset": dataset, "method": method, "name_accuracy": acc,
                     "n_clusters": n_clusters})
        log.info("%s naming %s: accuracy %s over %d clusters", dataset, method,
                 "-" if acc is None else f"{acc:.3f}", n_clusters)
    return rows


def seed_summary(rows_by_seed: Mapping[int, list[dict]]) -> list[dict]:
    """Per (dataset, method): the mean and sample standard deviation of name accuracy over
    cluster seeds, the seeds, the cluster counts seen, and the seeds on which Chorus's
    accuracy was above the method's (``chorus_above``; None for Chorus itself).

    Args:
        rows_by_seed: cluster seed -> ``naming_rows`` of every set under that seed.

    Returns:
        ``{dataset, method, mean, std, seeds, n_clusters, chorus_above}`` rows, in the
        order first seen; a method without an accuracy on some seed is left out.
    """
    acc: dict[tuple[str, str], dict[int, float]] = {}
    sizes: dict[str, set[int]] = {}
    for seed, rows in sorted(rows_by_seed.items()):
        for row in rows:
            if row["name_accuracy"] is not None:
                acc.setdefault((row["dataset"], row["method"]), {})[seed] = row["name_accuracy"]
            sizes.setdefault(row["dataset"], set()).add(int(row["n_clusters"]))
    seeds = sorted(rows_by_seed)
    out = []
    for (dataset, method), by_seed in acc.items():
        if sorted(by_seed) != seeds:
            continue
        values = np.array([by_seed[s] for s in seeds])
        ours = acc.get((dataset, "chorus"), {})
        above = (None if method == "chorus" or sorted(ours) != seeds
                 else sum(ours[s] > by_seed[s] for s in seeds))
        out.append({"dataset": dataset, "method": method, "mean": float(values.mean()),
                    "std": float(values.std(ddof=1)) if len(seeds) > 1 else 0.0,
                    "seeds": seeds, "n_clusters": sorted(sizes[dataset]),
                    "chorus_above": above})
    return out


def split_loaders(split: str) -> dict[str, Callable[[], list[dict]]]:
    """Set name -> records of the selection (``train``) or the reported (``test``) split."""
    from bench.loaders import LOADERS, load_banking77_train, load_clinc150_train

    if split == "train":
        return {"clinc150": load_clinc150_train, "banking77": load_banking77_train}
    return dict(LOADERS)


def cached_run(name: str, split: str, load: Callable[[], list[dict]], cfg, cache: Path):
    """``run_chorus`` on a set's records, pickled under ``cache`` (keyed by set, split and
    the settings of the stages up to cluster); the eval sets are public data."""
    from bench.chorus_path import run_chorus
    from bench.throughput import Meter

    stages = {s: getattr(cfg, s).model_dump(mode="json")
              for s in ("ingest", "scrub", "facets", "embed", "cluster")}
    key = hashlib.sha256(json.dumps(stages, sort_keys=True).encode()).hexdigest()[:12]
    path = cache / f"{name}-{split}-{key}.pkl"
    if path.exists():
        with path.open("rb") as fh:
            return pickle.load(fh)
    out = run_chorus(f"{name}-{split}", load(), Meter(), cfg)
    cache.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as fh:
        pickle.dump(out, fh)
    tmp.replace(path)
    return out


def main(argv: list[str] | None = None) -> None:
    """Print name accuracy rows of Chorus, its phrase names and BERTopic on one split."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--split", choices=("train", "test"), default="train")
    parser.add_argument("--sets", nargs="*", default=None, help="default: every set of the split")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/chorus-naming-cache"))
    parser.add_argument("--set", dest="overrides", action="append", default=[],
                        help="a config override such as summarize.contrast=0.5")
    parser.add_argument("--no-baselines", action="store_true", help="Chorus only")
    parser.add_argument("--seeds", type=int, nargs="*", default=None,
                        help="run once per cluster.seed and print seed_summary rows "
                             "(each seed's partition is cached apart)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    for noisy in ("presidio-analyzer", "numba", "sentence_transformers", "BERTopic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    from bench.chorus_path import load_config
    from tasks.embedders import build_embedder, resolve_model_path
    from tasks.embedders.sentence_transformer import _load_model

    cfg = load_config(args.overrides)  # the embed settings are the same for every seed
    embed = build_embedder(cfg.embed.model_copy(update={"progress": False})).embed
    model = None if args.no_baselines else _load_model(
        str(resolve_model_path(cfg.embed.model)), cfg.embed.max_seq_length)
    if args.seeds:
        by_seed = {seed: run_split(args, load_config([*args.overrides,
                                                      f"cluster.seed={seed}"]), embed, model)
                   for seed in args.seeds}
        print(json.dumps({"rows": by_seed, "summary": seed_summary(by_seed)}, indent=1))
    else:
        print(json.dumps(run_split(args, cfg, embed, model), indent=1))


def run_split(args: argparse.Namespace, cfg, embed: Embed, model) -> list[dict]:
    """``naming_rows`` of every set of ``args.split`` under ``cfg``, names embedded with
    ``embed`` (and BERTopic's ``model``, None for no baselines)."""
    loaders = split_loaders(args.split)
    rows: list[dict] = []
    for name in args.sets or list(loaders):
        out = cached_run(name, args.split, loaders[name], cfg, args.cache)
        rows += naming_rows(f"{name}" if args.split == "test" else f"{name}-train", out, cfg,
                            embed, model)
    return rows


if __name__ == "__main__":
    main()
