"""Evaluate the emotional-support lens (tasks.lens) on public data, offline.

    python -m bench.lens_eval [--n 2000] [--seed 0] [--seeds 5] [--cache-dir DIR]
                              [--only boundary] [--only reliance]

Data and splits: ``bench/lens_data.py`` (read in place from ``../shared/data``, never
copied). The affective model is fit on the ``training`` split and its threshold chosen on
the ``calibration`` split by ``python -m bench.lens_fit``; this script reads only the
``evaluation`` split (ESConv test, SGD second half, BANKING77 test) and the held-out
checks.

Mixes: affective share 3%, 10% and 30%; ``--n`` conversations per mix, but never more
affective ones than the 195 ESConv test chats (so 10% uses 195 of 1,950 and 30% 195 of
650); task items half SGD, half BANKING77; seeded samples. Each mix goes through
``tasks.lens.lens_facets`` with the pool's precomputed request vectors. Reported per mix:
true share, estimated share (the share flagged), adjusted share (``adjusted_share``),
precision, recall; plus the spread of the same over ``--seeds`` resamples.

Held-out checks (not fit on): DailyDialog test (everyday chit-chat; flagged share, by
topic), CLINC150 test (task queries; its train split is in training) and the Chorus demo
data (``chorus.demo.generate(2000, 0)``; precision/recall against its truth's
``affective`` where present).

Sentiment: Spearman correlation, over all ESConv chats with a seeker survey (nothing is
fit on it), between the lens's sentiment shift and the seeker's own improvement,
``survey_score.seeker.initial_emotion_intensity - final_emotion_intensity`` (1-5 scale,
strings in the file); also per ESConv split and for the first-vs-last-turn variant.

Boundary flag (``tasks.scrub.boundary_flags``, regex on the assistant turns; nothing is fit):
precision and recall against the demo truth's ``boundary`` (``generate(2000, s)`` for s in
``DEMO_SEEDS``), and the false-positive rate, per assistant turn and per conversation, on
ESConv supporter turns and SGD system turns, where boundary statements should be near zero
(with the count of each pattern that fired; names, never text). Reported separately for the
part looked at while writing the patterns (``dev``: ESConv train, SGD first half) and the
rest (``eval``: ESConv valid + test, SGD second half).

Reliance: per user, the number of affective conversations, in the buckets of
``chorus.core.release.RELIANCE_BUCKETS`` (1, 2-3, 4-9, 10+; users with none skipped), from
the lens's predicted ``affective`` flags vs the demo truth, on the same demo seeds: users
per bucket and each bucket's relative error.

``--only boundary`` / ``--only reliance`` runs just those parts and merges them into the
existing ``bench/results/lens.json`` (other keys kept, ``latest.json`` untouched).

Writes ``bench/results/lens.json`` (everything) and merges ``{"mixes": [{mix, true_share,
estimated_share, precision, recall}], "sentiment": {n, spearman}}`` into
``bench/results/latest.json`` under ``lens`` (other keys kept). Prints counts and
scores only, never text.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bench.lens_data import (
    dailydialog,
    embed,
    esconv,
    requests,
    splits,
)

log = logging.getLogger("bench.lens_eval")

MIXES = (0.03, 0.10, 0.30)
DEMO_SEEDS = (7, 0)  # the demo of `make run`, and the lens's held-out demo check
RESULTS = Path(__file__).parent / "results" / "lens.json"
LATEST = Path(__file__).parent / "results" / "latest.json"


def share_errors(tpr: float, fpr: float) -> list[float]:
    """Expected estimated-minus-true share at each mix for a classifier with tpr/fpr."""
    return [s * (tpr - 1) + (1 - s) * fpr for s in MIXES]


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    from scipy.stats import spearmanr

    return float(spearmanr(a, b).statistic)


def _frame(items: list[dict]):
    """The lens's input as the flow builds it: request (tasks.facets) and referral (tasks.scrub,
    from the assistant turns); assistant_turns kept only for _time_parts."""
    import polars as pl

    from tasks.scrub import referral_flags

    user_turns = [c["user_turns"] for c in items]
    assistant_turns = [c["assistant_turns"] for c in items]
    return pl.DataFrame({
        "user_turns": user_turns,
        "assistant_turns": assistant_turns,
        "request": requests(items),
        "referral": referral_flags(assistant_turns),
    }, schema={"user_turns": pl.List(pl.Utf8), "assistant_turns": pl.List(pl.Utf8),
               "request": pl.Utf8, "referral": pl.Boolean})


def _mix(pos: list[int], sgd: list[int], bank: list[int], share: float, n: int,
         rng: random.Random) -> list[tuple[str, int]]:
    n_aff = min(round(share * n), len(pos))
    n_total = round(n_aff / share)
    n_task = n_total - n_aff
    items = ([("es", i) for i in rng.sample(pos, n_aff)]
             + [("sgd", i) for i in rng.sample(sgd, n_task // 2)]
             + [("banking77", i) for i in rng.sample(bank, n_task - n_task // 2)])
    rng.shuffle(items)
    return items


def _rates(pred: np.ndarray, truth: np.ndarray) -> dict:
    tp = int((pred & truth).sum())
    return {"true_share": float(truth.mean()), "estimated_share": float(pred.mean()),
            "precision": tp / max(int(pred.sum()), 1), "recall": tp / max(int(truth.sum()), 1)}


def flag_scores(pred: np.ndarray, truth: np.ndarray) -> dict:
    """Precision and recall of a Boolean flag against its truth, with the counts (None
    where a denominator is zero)."""
    pred, truth = np.asarray(pred, dtype=bool), np.asarray(truth, dtype=bool)
    tp, n_pred, n_true = int((pred & truth).sum()), int(pred.sum()), int(truth.sum())
    return {"n": len(truth), "n_true": n_true, "n_flagged": n_pred, "true_positives": tp,
            "precision": tp / n_pred if n_pred else None,
            "recall": tp / n_true if n_true else None}


def false_positive_rates(assistant_turns: list[list[str]]) -> dict:
    """The boundary flag on a set where it should not fire: flagged share per assistant turn
    and per conversation, and the count of each pattern among flagged turns (names only)."""
    from chorus.core.lexicon import matched_pattern_names
    from tasks.scrub import BOUNDARY_PATTERNS, boundary_flags

    turns = [t for conv in assistant_turns for t in conv if t]
    per_turn = boundary_flags([[t] for t in turns])
    per_conv = boundary_flags(assistant_turns)
    patterns = Counter(name for t, hit in zip(turns, per_turn, strict=True) if hit
                       for name in matched_pattern_names(t, BOUNDARY_PATTERNS))
    return {"n_conversations": len(assistant_turns), "n_turns": len(turns),
            "n_flagged_turns": int(per_turn.sum()),
            "turn_rate": float(per_turn.mean()) if turns else 0.0,
            "conversation_rate": float(per_conv.mean()) if assistant_turns else 0.0,
            "patterns": dict(sorted(patterns.items()))}


def reliance_bucket(count: int) -> str:
    """The ``RELIANCE_BUCKETS`` label of a user's number of affective conversations (>= 1)."""
    from chorus.core.release import RELIANCE_BUCKETS, reliance_label

    for lower, upper in RELIANCE_BUCKETS:
        if count >= lower and (upper is None or count <= upper):
            return reliance_label(lower, upper)
    raise ValueError(f"no reliance bucket for {count}")


def reliance_counts(user_ids: Sequence[str],
                    affective: Sequence[bool] | np.ndarray) -> dict[str, int]:
    """Users per reliance bucket by their number of affective conversations (every bucket
    listed, zeros included; users without one skipped)."""
    from chorus.core.release import RELIANCE_BUCKETS, reliance_label

    per_user = Counter(u for u, a in zip(user_ids, affective, strict=True) if a)
    counts = Counter(reliance_bucket(c) for c in per_user.values())
    return {reliance_label(lo, hi): counts.get(reliance_label(lo, hi), 0)
            for lo, hi in RELIANCE_BUCKETS}


def relative_errors(estimate: dict[str, int], truth: dict[str, int]) -> dict[str, float | None]:
    """Per key of ``truth``: |estimate - truth| / truth (None where the truth is zero)."""
    return {k: abs(estimate.get(k, 0) - v) / v if v else None for k, v in truth.items()}


def _boundary() -> dict:
    """The boundary flag on the demo truth and on ESConv/SGD assistant turns."""
    from bench.lens_data import sgd
    from bench.loaders import DatasetMissing
    from chorus.demo import generate
    from tasks.scrub import boundary_flags

    out: dict[str, object] = {
        "targets": "demo precision and recall >= 0.9; SGD turn false-positive rate < 1%",
        "patterns": "tasks/scrub/boundary.py BOUNDARY_PATTERNS, written from the definition; "
                    "dev (ESConv train, SGD first half) was read once, one change after it "
                    "(a role needs its article: \"I'm not friends with ...\")"}
    for seed in DEMO_SEEDS:
        conversations, truth = generate(2000, seed)
        pred = boundary_flags([[m["content"] for m in c["messages"] if m["role"] == "assistant"]
                               for c in conversations])
        labels = np.array([bool(t["boundary"]) for t in truth])
        affective = np.array([bool(t["affective"]) for t in truth])
        out[f"demo_2000_seed{seed}"] = {
            **flag_scores(pred, labels),
            "true_share_affective": float(labels[affective].mean()),
            "flagged_share_task": float(pred[~affective].mean())}
    try:
        out["esconv"] = {
            "dev": false_positive_rates([c["assistant_turns"] for c in esconv("train")]),
            "eval": false_positive_rates([c["assistant_turns"] for s in ("valid", "test")
                                          for c in esconv(s)])}
        out["sgd"] = {"dev": false_positive_rates([c["assistant_turns"] for c in sgd(0)]),
                      "eval": false_positive_rates([c["assistant_turns"] for c in sgd(1)])}
    except DatasetMissing as exc:
        log.warning("boundary: public sets skipped (%s)", type(exc).__name__)
    return out


def _reliance(embedder, settings, args) -> dict:
    """Users per reliance bucket: the lens's predicted affective flags vs the demo truth."""
    from chorus.core.release import RELIANCE_BUCKETS, reliance_label
    from chorus.demo import generate
    from tasks.lens import affective_scores

    out: dict[str, object] = {
        "buckets": [reliance_label(lo, hi) for lo, hi in RELIANCE_BUCKETS],
        "target": "each bucket's user count within 5% of the demo truth",
        "note": "request built from the raw demo user turns (bench.lens_data.requests); "
                "the flow embeds the scrubbed ones"}
    for seed in DEMO_SEEDS:
        conversations, truth = generate(2000, seed)
        items = [{"user_turns": [m["content"] for m in c["messages"] if m["role"] == "user"]}
                 for c in conversations]
        texts = requests(items)
        pred = affective_scores(texts, embedder, settings,
                                embed(texts, embedder, args.cache_dir)) >= settings.threshold
        users = [t["user_id"] for t in truth]
        labels = np.array([bool(t["affective"]) for t in truth])
        true_counts = reliance_counts(users, labels)
        pred_counts = reliance_counts(users, pred)
        out[f"demo_2000_seed{seed}"] = {
            "truth": true_counts, "predicted": pred_counts,
            "relative_error": relative_errors(pred_counts, true_counts),
            "affective": flag_scores(pred, labels)}
    return out


def _only(parts: list[str], args) -> None:
    """Runs only ``parts`` and merges them into the existing results file."""
    doc = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    if "boundary" in parts:
        doc["boundary"] = _boundary()
    if "reliance" in parts:
        from chorus.core.settings import EmbedSettings, LensSettings
        from tasks.embedders import build_embedder

        doc["reliance"] = _reliance(build_embedder(EmbedSettings(progress=False)),
                                    LensSettings(), args)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(doc, indent=2) + "\n")
    _print_boundary_reliance(doc)
    print(f"wrote {RESULTS} (keys {', '.join(parts)})")


def _print_boundary_reliance(doc: dict) -> None:
    boundary, reliance = doc.get("boundary", {}), doc.get("reliance", {})
    for key, r in boundary.items():
        if key.startswith("demo_"):
            print(f"boundary {key}: precision {r['precision']:.3f} recall {r['recall']:.3f} "
                  f"(true {r['n_true']}, flagged {r['n_flagged']})")
    for name in ("esconv", "sgd"):
        for split, r in boundary.get(name, {}).items():
            print(f"boundary {name} {split}: {r['n_flagged_turns']}/{r['n_turns']} turns "
                  f"({r['turn_rate']:.4%}), conversations {r['conversation_rate']:.4%}, "
                  f"patterns {json.dumps(r['patterns'])}")
    for key, r in reliance.items():
        if key.startswith("demo_"):
            errors = {k: None if v is None else round(v, 3)
                      for k, v in r["relative_error"].items()}
            print(f"reliance {key}: truth {json.dumps(r['truth'])} predicted "
                  f"{json.dumps(r['predicted'])} relative error {json.dumps(errors)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="conversations per mix (at most)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--seeds", type=int, default=5,
                        help="resamples of each mix for the spread (seed, seed+1, ...)")
    parser.add_argument("--cache-dir", type=Path, default=None,
                        help="cache embeddings here as .npy (outside the repository)")
    parser.add_argument("--no-demo", action="store_true", help="skip the demo-data check")
    parser.add_argument("--only", action="append", choices=("boundary", "reliance"),
                        help="run only this part, merged into the existing lens.json")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("sentence_transformers").setLevel(logging.WARNING)
    if args.only:
        _only(args.only, args)
        return

    from chorus.core.settings import EmbedSettings, LensSettings
    from tasks.embedders import build_embedder
    from tasks.lens import affective_scores, lens_facets
    from tasks.release import adjusted_share

    embedder = build_embedder(EmbedSettings(progress=False))
    settings = LensSettings()

    es, task = splits("evaluation")
    pool = {"es": es, **task}
    vectors = {k: embed(requests(v), embedder, args.cache_dir) for k, v in pool.items()}
    log.info("evaluation split: %s", {k: len(v) for k, v in pool.items()})
    index = {k: list(range(len(v))) for k, v in pool.items()}

    rows, spread, timing = [], {}, {}
    for share in MIXES:
        per_seed = []
        for s in range(args.seed, args.seed + max(1, args.seeds)):
            rng = random.Random(f"{s}-{share}")
            picked = _mix(index["es"], index["sgd"], index["banking77"], share, args.n, rng)
            items = [pool[k][i] for k, i in picked]
            truth = np.array([c["affective"] for c in items])
            frame = _frame(items)
            vec = np.stack([vectors[k][i] for k, i in picked])
            t0 = time.perf_counter()
            out = lens_facets(frame.drop("assistant_turns"), embedder, settings, vec)
            elapsed = time.perf_counter() - t0
            pred = out["affective"].to_numpy()
            rates = _rates(pred, truth)
            per_seed.append(rates)
            if s != args.seed:
                continue
            concern, referral = out["concern"].to_numpy(), out["referral"].to_numpy()
            rows.append({"mix": f"{share:.0%}", "n": len(items), **rates,
                         "adjusted_share": adjusted_share(pred, settings),
                         "concern_share_affective": float(concern[truth].mean()),
                         "concern_share_task": float(concern[~truth].mean()),
                         "referral_share_affective": float(referral[truth].mean()),
                         "referral_share_task": float(referral[~truth].mean()),
                         "lens_seconds_without_embedding": round(elapsed, 2)})
            if share == 0.03:
                timing = _time_parts(frame, embedder, settings, elapsed)
        spread[f"{share:.0%}"] = {
            "seeds": len(per_seed),
            "min_precision": min(r["precision"] for r in per_seed),
            "min_recall": min(r["recall"] for r in per_seed),
            "max_abs_share_error": max(abs(r["estimated_share"] - r["true_share"])
                                       for r in per_seed)}

    checks = _held_out(embedder, settings, affective_scores, args)
    sentiment = _sentiment()
    boundary = _boundary()
    reliance = _reliance(embedder, settings, args)

    doc = {"settings": settings.model_dump(), "lens": rows, "spread_over_seeds": spread,
           "held_out": checks, "sentiment": sentiment, "timing_per_mix": timing,
           "boundary": boundary, "reliance": reliance,
           "splits": "bench/lens_data.py: training (bench.lens_fit) ESConv train, SGD first "
                     "half part, BANKING77 train part, CLINC150 train; calibration ESConv "
                     "valid + held-out SGD first half / BANKING77 train; evaluation ESConv "
                     "test, SGD second half, BANKING77 test"}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(doc, indent=2) + "\n")
    merged = json.loads(LATEST.read_text()) if LATEST.exists() else {}
    merged["lens"] = {
        "mixes": [{k: r[k] for k in ("mix", "true_share", "estimated_share", "precision",
                                     "recall")} for r in rows],
        "sentiment": {"n": sentiment["n"], "spearman": sentiment["spearman"]},
    }
    LATEST.write_text(json.dumps(merged, indent=2) + "\n")
    if all(k in merged for k in ("date", "commit", "clustering", "pii", "throughput")):
        from bench.report import markdown

        LATEST.with_suffix(".md").write_text(markdown(merged))

    print(f"{'mix':>4} {'n':>5} {'true':>6} {'est':>6} {'adj':>6} {'prec':>5} {'recall':>6} "
          f"{'concern a/t':>12} {'referral a/t':>13}")
    for r in rows:
        print(f"{r['mix']:>4} {r['n']:>5} {r['true_share']:6.3f} {r['estimated_share']:6.3f} "
              f"{r['adjusted_share']:6.3f} {r['precision']:5.3f} {r['recall']:6.3f} "
              f"{r['concern_share_affective']:5.3f}/{r['concern_share_task']:.3f} "
              f"{r['referral_share_affective']:6.3f}/{r['referral_share_task']:.3f}")
    print("spread over seeds:", json.dumps(spread))
    print("held out:", json.dumps({k: v.get("flagged_share", v) if isinstance(v, dict) else v
                                  for k, v in checks.items()}))
    print(f"sentiment: n={sentiment['n']} spearman={sentiment['spearman']:.3f} "
          f"(first/last-turn variant {sentiment['spearman_first_last_turn']:.3f}; "
          f"by split {json.dumps(sentiment['by_split'])})")
    print("timing (one mix):", json.dumps(timing))
    _print_boundary_reliance(doc)
    print(f"wrote {RESULTS} and {LATEST} (key 'lens')")


def _held_out(embedder, settings, affective_scores, args) -> dict:
    """Flagged shares on sets nothing was fit on (see the module docstring)."""
    from bench.lens_data import clinc

    out = {}
    dd = dailydialog("test")
    flags = affective_scores(requests(dd), embedder, settings,
                             embed(requests(dd), embedder, args.cache_dir)) >= settings.threshold
    by_topic = defaultdict(list)
    for c, f in zip(dd, flags, strict=True):
        by_topic[c["topic"]].append(bool(f))
    out["dailydialog_test"] = {
        "n": len(dd), "flagged_share": float(flags.mean()),
        "by_topic": {t: {"n": len(v), "flagged_share": float(np.mean(v))}
                     for t, v in sorted(by_topic.items())}}
    cl = clinc(("test",))
    flags = affective_scores(requests(cl), embedder, settings,
                             embed(requests(cl), embedder, args.cache_dir)) >= settings.threshold
    out["clinc150_test"] = {"n": len(cl), "flagged_share": float(flags.mean())}
    if not args.no_demo:
        from chorus.demo import generate

        conversations, truth = generate(2000, 0)
        items = [{"user_turns": [m["content"] for m in c["messages"] if m["role"] == "user"]}
                 for c in conversations]
        texts = requests(items)
        flags = affective_scores(texts, embedder, settings,
                                 embed(texts, embedder, args.cache_dir)) >= settings.threshold
        demo: dict[str, object] = {"n": len(items), "flagged_share": float(flags.mean())}
        if all("affective" in t for t in truth):
            labels = np.array([bool(t["affective"]) for t in truth])
            demo.update(_rates(flags, labels))
            by_topic = defaultdict(list)
            for t, f in zip(truth, flags, strict=True):
                by_topic[t["topic"]].append(bool(f))
            demo["by_topic"] = {t: float(np.mean(v)) for t, v in sorted(by_topic.items())}
        out["demo_2000_seed0"] = demo
    return out


def _intensity(survey: dict, key: str) -> float | None:
    try:
        return float(survey[key])
    except (KeyError, TypeError, ValueError):
        return None


def _sentiment() -> dict:
    from tasks.lens import compound, sentiment_trajectory

    by_split, shifts, gains, firstlast = {}, [], [], []
    for split in ("train", "valid", "test"):
        have = [c for c in esconv(split)
                if _intensity(c["survey"], "initial_emotion_intensity") is not None
                and _intensity(c["survey"], "final_emotion_intensity") is not None]
        _, _, shift = sentiment_trajectory([c["user_turns"] for c in have])
        # ``have`` holds only conversations whose two intensities parse as floats
        gain = np.array([float(c["survey"]["initial_emotion_intensity"])
                         - float(c["survey"]["final_emotion_intensity"]) for c in have])
        by_split[split] = {"n": len(have), "spearman": round(spearman(shift, gain), 4)}
        shifts.append(shift)
        gains.append(gain)
        firstlast += [compound(c["user_turns"][-1]) - compound(c["user_turns"][0])
                      for c in have]
    shift, gain = np.concatenate(shifts), np.concatenate(gains)
    return {"n": len(gain), "spearman": spearman(shift, gain),
            "spearman_first_last_turn": spearman(np.array(firstlast), gain),
            "by_split": by_split, "mean_shift": float(shift.mean()),
            "mean_improvement": float(gain.mean()),
            "field": "survey_score.seeker.initial_emotion_intensity - "
                     "survey_score.seeker.final_emotion_intensity"}


def _time_parts(frame, embedder, settings, total: float) -> dict:
    """Seconds per part on one mix: request embedding vs the lens's own work."""
    from tasks.lens import (
        affective_scores,
        clear_prototype_cache,
        concern_flags,
        sentiment_trajectory,
    )
    from tasks.scrub import referral_flags

    users = frame["user_turns"].to_list()
    texts = frame["request"].to_list()
    t0 = time.perf_counter()
    vectors = embedder.embed(texts)
    t1 = time.perf_counter()
    clear_prototype_cache()
    affective_scores(texts, embedder, settings, vectors)  # prototypes + scoring only
    t2 = time.perf_counter()
    sentiment_trajectory(users)
    t3 = time.perf_counter()
    concern_flags(users)
    referral_flags(frame["assistant_turns"].to_list())
    t4 = time.perf_counter()
    return {"n": frame.height, "lens_facets_total_s": round(total, 2),
            "embed_requests_s": round(t1 - t0, 2),
            "prototypes_and_scoring_s": round(t2 - t1, 3), "vader_s": round(t3 - t2, 3),
            "regex_s": round(t4 - t3, 3),
            "lens_without_request_embedding_s": round(t4 - t1, 3)}


if __name__ == "__main__":
    main()
